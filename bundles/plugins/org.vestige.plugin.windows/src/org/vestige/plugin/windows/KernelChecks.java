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
import org.vestige.windows.DriverScanner;
import org.vestige.windows.Finding;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleScanner;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PoolScanner;
import org.vestige.windows.Readout;
import org.vestige.windows.ScannedDriver;
import org.vestige.windows.ScannedModule;
import org.vestige.windows.ServiceTable;
import org.vestige.windows.WinModule;
import org.vestige.windows.WindowsKernel;

/**
 * The kernel's part of {@code windows.findevil}: loader entries in pool that PsLoadedModuleList does not hold,
 * driver objects whose code starts in no listed module, and system services whose routine lies outside the
 * kernel image. Each check that cannot run is a diagnostic; the others still run.
 */
final class KernelChecks {

    private KernelChecks() {
    }

    static List<Finding> run(AnalysisContext context, WindowsKernel kernel, AnalysisResult result,
            IProgressMonitor monitor) throws AnalysisException {
        SubMonitor progress = SubMonitor.convert(monitor, 3);
        ModuleList listed;
        try {
            listed = ModuleWalker.loaded(kernel.discovery());
        } catch (NoSuchElementException e) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "kernel modules", "not checked: the profile "
                    + "cannot describe kernel loader entries: " + e.getMessage()));
            return List.of();
        }
        listed.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "PsLoadedModuleList",
                w)));
        List<Finding> out = new ArrayList<>();
        hiddenModules(context, kernel, listed, out, result, progress.split(1));
        drivers(context, kernel, listed, out, result, progress.split(1));
        Readout<ServiceTable> table = ServiceTable.read(kernel.discovery(), listed);
        progress.split(1);
        if (!table.isPresent()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "system service table", "not checked: "
                    + table.reason()));
            return out;
        }
        table.get().warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING,
                "system service table", w)));
        for (ServiceTable.Service s : table.get().services()) {
            if (s.hooked()) {
                out.add(new Finding(Finding.Kind.HOOKED_SYSTEM_SERVICE, Finding.Severity.HIGH, null, s.target(), String
                        .format("service %d (0x%x) of KiServiceTable 0x%x dispatches to 0x%x, in %s", s.index(), s
                                .index(), table.get().base(), s.target(), s.owner() != null ? s.owner().baseName()
                                        .orElse("a module of no name") : "no listed module")));
            }
        }
        return out;
    }

    private static void hiddenModules(AnalysisContext context, WindowsKernel kernel, ModuleList listed,
            List<Finding> out, AnalysisResult result, IProgressMonitor monitor) throws AnalysisException {
        ModuleScanner scanner;
        try {
            scanner = new ModuleScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), kernel
                    .discovery().profile());
        } catch (NoSuchElementException e) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "kernel modules", "not scanned: " + e
                    .getMessage()));
            return;
        }
        PoolScanner.Result<ScannedModule> scan = PoolScans.run(monitor, "loader entries", (threads,
                progress) -> scanner.scan(threads, progress, listed));
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        for (ScannedModule s : scan.found()) {
            if (!s.listed()) {
                WinModule m = s.module();
                out.add(new Finding(Finding.Kind.HIDDEN_KERNEL_MODULE, Finding.Severity.HIGH, null, m.base(), String
                        .format("loader entry in 'MmLd' pool at physical 0x%x: %s at 0x%x, 0x%x bytes, not on "
                                + "PsLoadedModuleList", s.physical(), m.fullName().orElse(m.baseName().orElse(
                                        "(no name)")), m.base(), m.size())));
            }
        }
    }

    private static void drivers(AnalysisContext context, WindowsKernel kernel, ModuleList listed, List<Finding> out,
            AnalysisResult result, IProgressMonitor monitor) throws AnalysisException {
        DriverScanner scanner;
        try {
            scanner = new DriverScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), kernel
                    .objects());
        } catch (NoSuchElementException e) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "driver objects", "not scanned: " + e
                    .getMessage()));
            return;
        }
        PoolScanner.Result<ScannedDriver> scan = PoolScans.run(monitor, "driver objects", (threads,
                progress) -> scanner.scan(threads, progress, listed));
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        for (ScannedDriver d : scan.found()) {
            if (d.outsideListedModules()) {
                out.add(new Finding(Finding.Kind.DRIVER_OUTSIDE_MODULES, Finding.Severity.HIGH, null, d.start(), String
                        .format("driver object %s in 'Driv' pool at physical 0x%x starts at 0x%x (0x%x bytes), in no "
                                + "module on PsLoadedModuleList", d.name().orElse("(no name)"), d.physical(), d.start(), d
                                        .size())));
            }
        }
    }
}
