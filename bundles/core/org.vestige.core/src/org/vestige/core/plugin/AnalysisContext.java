package org.vestige.core.plugin;

import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;

/**
 * What an analysis runs against: the case (evidence and paging files), its parsed options, the
 * folder for files it writes, and caches shared by every analysis on the same evidence (so the
 * kernel is discovered once per case, not once per plugin).
 *
 * @since 0.1
 */
public interface AnalysisContext extends SessionContext {

    /** @return the declaration of the running analysis */
    PluginInfo plugin();

    /** @return the values of its options */
    Options options();

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
    default List<Path> symbolPaths() {
        return settings().symbolPaths();
    }

    /**
     * @return the backing stores the analyst switched off ({@code --no-compressed-store}), by contribution
     *         id or by a page state they resolve; pages they would supply are reported missing with that reason
     */
    default Set<String> disabledStores() {
        return settings().disabledStores();
    }

    /** @return the folder where the analysis writes files (created on demand by the caller) */
    default Path outputDirectory() {
        return settings().outputDirectory();
    }

    /**
     * Resolves a file the analysis writes under its {@link #outputDirectory() output folder}. Names come from
     * analysts' options and from evidence contents (process and module names), so a name that would leave the
     * folder (absolute, or climbing out with {@code ..}) is refused, never followed.
     *
     * @param name a file name, or a relative path under the output folder
     * @return the normalized path, inside the output folder
     * @throws AnalysisException naming the name and the folder when it would leave it
     */
    default Path outputFile(String name) throws AnalysisException {
        return OutputPaths.resolve(outputDirectory(), name);
    }

    /**
     * Runs another contributed analysis on the same case, sharing its caches, and returns its result: an
     * analysis that gathers from others (the timeline) finds them through the registry, never by their class.
     * A host may answer with the result it already has of the same analysis with the same options (the
     * session does: {@code windows.pslist windows.timeliner} reads the process list once).
     *
     * @param plugin  the analysis to run
     * @param options its options
     * @param monitor progress and cancellation
     * @throws AnalysisException when it cannot run or fails
     * @since 0.1
     */
    default AnalysisResult run(PluginDescriptor plugin, Options options, IProgressMonitor monitor)
            throws AnalysisException {
        throw new AnalysisException(plugin().id() + " cannot run " + plugin.id() + ": this host runs no analysis "
                + "from inside another");
    }
}
