package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.windows.AddressOwners;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ThreadList;
import org.vestige.windows.ThreadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * The threads of the processes an analysis was asked about, each process with what its threads' start
 * addresses lie in. Every broken thread list, loader list or VAD tree becomes a warning naming the process;
 * the other processes are still read.
 */
final class ProcessThreads {

    /** One process's threads and what its addresses lie in. */
    record Entry(WinProcess process, ThreadList threads, AddressOwners owners) {
    }

    private ProcessThreads() {
    }

    static List<Entry> read(AnalysisContext context, AnalysisResult result, IProgressMonitor monitor)
            throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ThreadWalker walker;
        try {
            walker = new ThreadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe thread lists: " + e.getMessage());
        }
        ModuleList kernelModules = AddressOwners.kernelModules(kernel);
        kernelModules.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING,
                "PsLoadedModuleList", w)));
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Walking thread lists", processes.size());
        List<Entry> out = new ArrayList<>();
        for (Selected.Process s : processes) {
            progress.split(1);
            WinProcess p = s.process();
            ThreadList threads = walker.walk(p);
            threads.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            if (threads.threads().isEmpty()) {
                continue;
            }
            AddressOwners owners;
            try {
                owners = AddressOwners.of(kernel, p, kernelModules);
            } catch (NoSuchElementException e) {
                throw new AnalysisException("the profile cannot describe loader lists or VADs: " + e.getMessage());
            }
            owners.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            out.add(new Entry(p, threads, owners));
        }
        return out;
    }
}
