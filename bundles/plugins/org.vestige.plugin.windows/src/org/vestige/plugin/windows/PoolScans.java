package org.vestige.plugin.windows;

import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.windows.ModuleList;
import org.vestige.windows.PoolScanner;

/** Runs a pool scan on every core with progress and cancel, and reports what it met as diagnostics. */
final class PoolScans {

    private PoolScans() {
    }

    /** One pool scan, given the number of workers and the progress it reports to; R is what it returns. */
    @FunctionalInterface
    interface Scan<R> {
        R run(int threads, MonitoredScan progress);
    }

    /**
     * @param what what is scanned for ("loader entries")
     * @throws OperationCanceledException when the user cancels
     */
    static <R> R run(IProgressMonitor monitor, String what, Scan<R> scan) {
        try {
            return scan.run(Math.max(1, Runtime.getRuntime().availableProcessors()), new MonitoredScan(monitor,
                    "Scanning physical memory for " + what));
        } catch (CancellationException e) {
            throw new OperationCanceledException(e.getMessage());
        }
    }

    /** Adds the list walk's and the scan's warnings, and the scan's rate, to the result. */
    static void report(AnalysisResult result, ModuleList listed, PoolScanner.Result<?> scan) {
        listed.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "PsLoadedModuleList",
                w)));
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "pool scan", String.format("%d bytes scanned at %.2f GB/s",
                scan.bytesScanned(), scan.bytesPerSecond() / 1e9)));
    }
}
