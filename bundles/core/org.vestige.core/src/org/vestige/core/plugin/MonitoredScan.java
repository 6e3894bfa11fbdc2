package org.vestige.core.plugin;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.ScanProgress;

/**
 * A {@link ScanProgress} that reports to an analysis's {@link IProgressMonitor}: the scan's units
 * (often bytes) become monitor ticks, scaled to fit an {@code int}, and each tick is a
 * {@link SubMonitor#split(int) split}, so a cancelled monitor stops the scan with
 * {@link org.eclipse.core.runtime.OperationCanceledException} at its next unit.
 *
 * @since 0.1
 */
public final class MonitoredScan implements ScanProgress {

    /** At most this many ticks: bytes of a 64 GiB image are scaled down, not truncated. */
    private static final long MAX_TICKS = 1 << 20;

    private final IProgressMonitor monitor;
    private final String task;
    private SubMonitor progress;
    private long scale = 1;
    private long done;
    private long reported;

    /**
     * @param monitor the analysis's monitor (or a split of it)
     * @param task    what the scan does, shown as the task name
     */
    public MonitoredScan(IProgressMonitor monitor, String task) {
        this.monitor = monitor;
        this.task = task;
    }

    @Override
    public void begin(long total) {
        scale = Math.max(1, (total + MAX_TICKS - 1) / MAX_TICKS);
        progress = SubMonitor.convert(monitor, task, (int) ((Math.max(0, total) + scale - 1) / scale));
    }

    @Override
    public void worked(long units) {
        if (progress == null) {
            begin(0);
        }
        done += units;
        long ticks = done / scale - reported;
        if (ticks > 0) {
            reported += ticks;
            progress.split((int) ticks);
        }
    }

    @Override
    public boolean isCanceled() {
        return monitor.isCanceled();
    }

    @Override
    public void done() {
        if (progress != null) {
            progress.done();
        }
    }
}
