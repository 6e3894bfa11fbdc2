package org.vestige.core.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;

/**
 * Runs analyses against one case. The CLI and the workbench both run plugins through a session,
 * so the same analysis gives the same result wherever it runs. The session is also where the case's
 * services live: engines build them on first use ({@link #service(Class, Function)}), once per case,
 * and analyses, views and third-party bundles reach them by type, not by running an analysis.
 *
 * @since 0.1
 */
public final class AnalysisSession implements SessionContext, Closeable {

    private final EvidenceCase evidenceCase;
    private final Extensions extensions;
    private final SessionSettings settings;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    /** Services in the order they were made, so they close in the reverse order. */
    private final List<Object> made = new ArrayList<>();
    /**
     * The result of every analysis run in this session, by {@link #runKey run key}: an analysis that runs
     * another ({@link AnalysisContext#run}, as the timeline runs its sources) takes the result the session
     * already has for the same options instead of running it again.
     */
    private final Map<String, AnalysisResult> results = new ConcurrentHashMap<>();

    /**
     * @param evidenceCase the open case, or null for analyses that need no evidence; the session owns it
     *                     and closes it
     * @param extensions   the host's contributions
     * @param settings     the analyst's choices
     */
    public AnalysisSession(EvidenceCase evidenceCase, Extensions extensions, SessionSettings settings) {
        this.evidenceCase = evidenceCase;
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Optional<EvidenceCase> evidenceCase() {
        return Optional.ofNullable(evidenceCase);
    }

    @Override
    public SessionSettings settings() {
        return settings;
    }

    @Override
    public Extensions extensions() {
        return extensions;
    }

    @Override
    public <T> T service(Class<T> type, Function<? super SessionContext, ? extends T> factory) {
        Object existing = services.get(type);
        if (existing == null) {
            // not computeIfAbsent: a factory may itself ask for other services
            T created = Objects.requireNonNull(factory.apply(this), () -> "no " + type.getName() + " was made");
            existing = services.putIfAbsent(type, created);
            if (existing == null) {
                existing = created;
                synchronized (made) {
                    made.add(created);
                }
            }
        }
        return type.cast(existing);
    }

    @Override
    public <T> Optional<T> existingService(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    /**
     * @return the services made so far in this session that are instances of {@code type}, in the order they
     *         were made
     * @since 0.1
     */
    public <T> List<T> servicesOf(Class<T> type) {
        synchronized (made) {
            return made.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * Runs an analysis.
     *
     * @throws AnalysisException when a requirement is not met or the analysis fails
     */
    public AnalysisResult run(PluginInfo plugin, Analysis analysis, Options options, IProgressMonitor monitor)
            throws AnalysisException {
        return run(plugin, analysis, options, settings.outputDirectory(), monitor);
    }

    /**
     * Runs an analysis that writes its files to {@code outputDirectory} instead of the session's folder (an
     * interactive session whose analyst moved the output folder keeps its caches).
     *
     * @throws AnalysisException when a requirement is not met or the analysis fails
     */
    public AnalysisResult run(PluginInfo plugin, Analysis analysis, Options options, Path outputDirectory,
            IProgressMonitor monitor) throws AnalysisException {
        SessionSettings runSettings = settings.withOutputDirectory(outputDirectory);
        if (plugin.requires(Requirement.EVIDENCE) && evidenceCase == null) {
            throw new AnalysisException(plugin.id() + " needs evidence: give a memory image with -f IMAGE");
        }
        AnalysisSession session = this;
        AnalysisContext context = new AnalysisContext() {
            @Override
            public PluginInfo plugin() {
                return plugin;
            }

            @Override
            public Options options() {
                return options;
            }

            @Override
            public Optional<EvidenceCase> evidenceCase() {
                return session.evidenceCase();
            }

            @Override
            public SessionSettings settings() {
                return runSettings;
            }

            @Override
            public Extensions extensions() {
                return extensions;
            }

            @Override
            public <T> T service(Class<T> type, Function<? super SessionContext, ? extends T> factory) {
                return session.service(type, factory);
            }

            @Override
            public <T> Optional<T> existingService(Class<T> type) {
                return session.existingService(type);
            }

            @Override
            public AnalysisResult run(PluginDescriptor other, Options otherOptions, IProgressMonitor otherMonitor)
                    throws AnalysisException {
                AnalysisResult done = results.get(runKey(other.info(), otherOptions));
                if (done != null) {
                    return done;
                }
                Analysis created;
                try {
                    created = other.create();
                } catch (IllegalStateException e) {
                    throw new AnalysisException(e.getMessage(), e);
                }
                return session.run(other.info(), created, otherOptions, outputDirectory, otherMonitor);
            }
        };
        AnalysisResult result = analysis.run(context, monitor);
        if (result == null) {
            throw new AnalysisException(plugin.id() + " returned no result");
        }
        if (!monitor.isCanceled()) {
            results.put(runKey(plugin, options), result);
        }
        return result;
    }

    /** @return what identifies one run of an analysis: its id and its options' values */
    private static String runKey(PluginInfo plugin, Options options) {
        return plugin.id() + " " + options.text();
    }

    @Override
    public void close() throws IOException {
        List<Object> toClose;
        synchronized (made) {
            toClose = new ArrayList<>(made);
            made.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            if (toClose.get(i) instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing caches must not mask the analysis outcome
                }
            }
        }
        services.clear();
        if (evidenceCase != null) {
            evidenceCase.close();
        }
    }
}
