package org.vestige.core.plugin;

import java.util.Map;

/**
 * A session service that can say what it found out about the case — the kernel's build, the profile it
 * chose — so case files and reports record it without knowing the engine. Front ends ask the session for
 * every service made that implements it ({@link AnalysisSession#servicesOf(Class)}).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface CaseFacts {

    /** @return facts by name, e.g. {@code "profile" -> "ntkrnlmp.pdb/…-1 (build 19041)"}, in a stable order */
    Map<String, String> caseFacts();
}
