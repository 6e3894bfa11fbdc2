package org.vestige.ui;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;

/**
 * Runs one analysis on an open case in the background, with progress and cancel in the workbench's
 * progress view. The result is the same object the CLI renders; it is kept with the case ({@link CaseStore}).
 *
 * @since 0.1
 */
public final class AnalysisJob extends Job {

    /** Jobs of this family are analyses (for joining and cancelling them together). */
    public static final Object FAMILY = AnalysisJob.class;

    private final Cases.OpenCase openCase;
    private final PluginDescriptor plugin;
    private final Options options;
    private volatile AnalysisResult result;
    private volatile java.nio.file.Path kept;
    private volatile boolean keep = true;

    public AnalysisJob(Cases.OpenCase openCase, PluginDescriptor plugin, Options options) {
        super(plugin.info().name() + " on " + openCase.label());
        this.openCase = openCase;
        this.plugin = plugin;
        this.options = options;
        setUser(true);
    }

    /**
     * Runs without keeping the result in the case's store and audit log: for what a case runs on its own as it
     * opens (its evidence details), which every open runs again and no analyst asked for.
     *
     * @return this job
     */
    public AnalysisJob unkept() {
        keep = false;
        return this;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            AnalysisResult r = openCase.session().run(plugin.info(), plugin.create(), options, monitor);
            CaseStore store = VestigeUi.get().cases().store();
            if (keep && openCase.kept() != null && store != null) {
                try {
                    kept = store.keepResult(openCase.kept(), options, r);
                } catch (java.io.IOException e) {
                    VestigeUi.get().getLog().warn("cannot keep the result of " + plugin.id() + ": " + e.getMessage());
                }
            }
            result = r;
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (AnalysisException | RuntimeException e) {
            if (monitor.isCanceled()) {
                // cancelled, or its case closed under it: what it read last is no failure of the analysis
                return Status.CANCEL_STATUS;
            }
            return Status.error(plugin.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Belongs to {@link #FAMILY} and to its case's family (closing the case cancels it). */
    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY || family == openCase;
    }

    public PluginDescriptor plugin() {
        return plugin;
    }

    public Cases.OpenCase openCase() {
        return openCase;
    }

    /** @return the file the result is kept in with its case, or null */
    public java.nio.file.Path keptResult() {
        return kept;
    }

    /** @return the result once the job has finished successfully, else null */
    public AnalysisResult result() {
        return result;
    }
}
