package org.vestige.core.plugin;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import org.vestige.core.evidence.EvidenceCase;

/**
 * What an analysis runs against: the case (evidence and paging files), its parsed options, the
 * folder for files it writes, and caches shared by every analysis on the same evidence (so the
 * kernel is discovered once per case, not once per plugin).
 *
 * @since 0.1
 */
public interface AnalysisContext {

    /** @return the declaration of the running analysis */
    PluginInfo plugin();

    /** @return the values of its options */
    Options options();

    /** @return the open case, if evidence was given */
    Optional<EvidenceCase> evidenceCase();

    /**
     * @return the open case
     * @throws AnalysisException when the analysis runs without evidence
     */
    default EvidenceCase requireEvidence() throws AnalysisException {
        return evidenceCase().orElseThrow(() -> new AnalysisException(plugin().id() + " needs evidence (-f IMAGE)"));
    }

    /**
     * @return symbol tables the analyst supplied ({@code --symbols}): ISF files, folders of them, or
     *         symbol-pack zips, tried before the contributed profiles
     */
    default java.util.List<Path> symbolPaths() {
        return java.util.List.of();
    }

    /**
     * @return the backing stores the analyst switched off ({@code --no-compressed-store}), by contribution
     *         id or by a page state they resolve; pages they would supply are reported missing with that reason
     */
    default java.util.Set<String> disabledStores() {
        return java.util.Set.of();
    }

    /** @return the folder where the analysis writes files (created on demand by the caller) */
    Path outputDirectory();

    /**
     * Returns the case-wide instance of a shared service (kernel discovery, process lists, page
     * caches), creating it on first use. Services live as long as the case.
     */
    <T> T shared(Class<T> type, Function<AnalysisContext, T> factory);
}
