package org.vestige.core.plugin;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.result.AnalysisResult;

/**
 * An analysis plugin's implementation, contributed through the {@code org.vestige.core.plugins}
 * extension point with its id, name, category, options and requirements declared beside it in
 * {@code plugin.xml}. Instances are created only when the analysis runs.
 *
 * <p>An analysis returns a typed result and never prints. Inconsistent structures and unreadable
 * pages become {@link org.vestige.core.result.Diagnostic diagnostics} or
 * {@link org.vestige.core.result.Unavailable unavailable} cells, and the analysis goes on; it
 * throws {@link AnalysisException} only when it cannot produce a result at all.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Analysis {

    /**
     * Runs the analysis.
     *
     * @param context the evidence, options, output folder and shared caches
     * @param monitor progress and cancellation; long work must check {@code isCanceled()}
     */
    AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException;
}
