package org.vestige.plugin.windows;

import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.windows.ProcessScanner;
import org.vestige.windows.ScanResult;
import org.vestige.windows.WindowsKernel;

/** The pool scan of all physical memory for process objects, on every core, as the analyses that need it run it. */
final class ProcessPoolScan {

    private ProcessPoolScan() {
    }

    /** @return the _EPROCESS objects found; a cancel through the monitor ends the analysis */
    static ScanResult run(AnalysisContext context, WindowsKernel kernel, IProgressMonitor monitor)
            throws AnalysisException {
        try {
            return new ProcessScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), kernel
                    .discovery().profile()).scan(Math.max(1, Runtime.getRuntime().availableProcessors()),
                            new MonitoredScan(monitor, "Scanning physical memory for process objects"));
        } catch (CancellationException e) {
            throw new OperationCanceledException(e.getMessage());
        }
    }
}
