package org.vestige.core.layer;

/**
 * Progress and cancellation of a long pass over a layer (a pool scan of physical memory, a string
 * scan, a copy), for engines that stay free of Eclipse. Analyses adapt their
 * {@code IProgressMonitor} with {@link org.vestige.core.plugin.MonitoredScan}.
 *
 * <p>The scanner calls {@link #begin(long)} once, then {@link #worked(long)} as units finish and
 * {@link #done()} when it completes, all from the thread that started the scan.
 * {@link #isCanceled()} may be polled from worker threads too; a scanner that sees it stops
 * promptly and throws {@link java.util.concurrent.CancellationException}. {@code worked} may itself
 * throw an unchecked exception to stop the scan (an analysis's {@code OperationCanceledException}).
 *
 * @since 0.1
 */
public interface ScanProgress {

    /** Reports nothing and never cancels. */
    ScanProgress NONE = new ScanProgress() {
        @Override
        public void begin(long total) {
        }

        @Override
        public void worked(long units) {
        }

        @Override
        public boolean isCanceled() {
            return false;
        }
    };

    /** @param total the units of work the scan will report (bytes, for a pass over a layer) */
    void begin(long total);

    /** @param units units finished since the last call */
    void worked(long units);

    /** @return whether the scan should stop; safe to call from any thread */
    boolean isCanceled();

    /** The scan finished (all its units reported). */
    default void done() {
    }
}
