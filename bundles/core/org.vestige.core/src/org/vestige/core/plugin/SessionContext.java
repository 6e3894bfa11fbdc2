package org.vestige.core.plugin;

import java.util.Optional;
import java.util.function.Function;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.registry.Extensions;

/**
 * What a case-wide service is built from: the case, the analyst's settings, the host's contributions
 * and the services already made. Engines build their per-case services from it (the Windows engine's
 * session: discovery, profile, backing stores, process lists), once per case; analyses, the workbench
 * and third-party bundles look them up through the same typed call.
 *
 * @since 0.1
 */
public interface SessionContext {

    /** @return the open case, if evidence was given */
    Optional<EvidenceCase> evidenceCase();

    /** @return the analyst's choices for this session */
    SessionSettings settings();

    /** @return the host's contributions (formats, stores, profiles, analyses, renderers), read once */
    Extensions extensions();

    /**
     * Returns the case-wide instance of a service, creating it with {@code factory} on first use.
     * Services live as long as the session and are closed with it when they are {@link AutoCloseable}.
     * A factory may itself ask for other services.
     *
     * @param type    the service's type, its key
     * @param factory makes the service from this context
     * @return the one instance for this session
     */
    <T> T service(Class<T> type, Function<? super SessionContext, ? extends T> factory);

    /** @return the service of this type when one was already made in this session */
    <T> Optional<T> existingService(Class<T> type);
}
