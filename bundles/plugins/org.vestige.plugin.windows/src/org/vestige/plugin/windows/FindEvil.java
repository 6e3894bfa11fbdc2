package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.AddressOwners;
import org.vestige.windows.Finding;
import org.vestige.windows.HiddenProcesses;
import org.vestige.windows.HollowedProcess;
import org.vestige.windows.InjectedCode;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.ProcessScanner;
import org.vestige.windows.Readout;
import org.vestige.windows.ScanResult;
import org.vestige.windows.SystemProcessRules;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WinThread;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.findevil}: one table of the signs of compromise the engine's checks find, each with its
 * evidence and a severity — a running process hidden from the active list, a system process with an
 * unexpected parent or too many instances, a process whose image is not what its PEB names, executable
 * private memory, an image unlinked from the loader lists, a thread starting outside every image, a kernel
 * module unlinked from the module list, a driver starting outside every listed module, a system service
 * hooked outside the kernel. Sorted by severity, then kind, then process. A check that cannot run is a
 * diagnostic and the others still run.
 *
 * @since 0.1
 */
public final class FindEvil implements Analysis {

    public static final Column<String> SEVERITY = Column.string("Severity");
    public static final Column<String> FINDING = Column.string("Finding");
    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<String> EVIDENCE = Column.string("Evidence");

    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).thenComparing(
            Finding::kind).thenComparingLong(f -> f.process() == null ? -1 : f.process().pid()).thenComparingLong(
                    Finding::address);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(SEVERITY, FINDING, PID, PROCESS, ADDRESS, EVIDENCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        SubMonitor progress = SubMonitor.convert(monitor, "Looking for signs of compromise", 100);
        List<WinProcess> listed = kernel.processes().processes();
        List<Finding> findings = new ArrayList<>(SystemProcessRules.check(listed));
        findings.addAll(hiddenProcesses(context, kernel, listed, result, progress.split(30)));
        findings.addAll(processMemory(context, kernel, result, progress.split(20)));
        findings.addAll(unlinkedModules(context, kernel, result, progress.split(10)));
        findings.addAll(threadsOutsideImages(context, result, progress.split(10)));
        findings.addAll(KernelChecks.run(context, kernel, result, progress.split(30)));
        findings.sort(ORDER);
        for (Finding f : findings) {
            Row row = table.addRow().set(SEVERITY, f.severity().name()).set(FINDING, f.kind().title()).set(EVIDENCE, f
                    .evidence());
            if (f.process() != null) {
                row.set(PID, f.process().pid()).set(PROCESS, f.process().name());
            } else {
                row.missing(PID, "in the kernel").missing(PROCESS, "in the kernel");
            }
            if (f.address() != -1) {
                row.set(ADDRESS, f.address());
            } else {
                row.missing(ADDRESS, "the finding has no address");
            }
        }
        return result;
    }

    private static List<Finding> hiddenProcesses(AnalysisContext context, WindowsKernel kernel,
            List<WinProcess> listed, AnalysisResult result, IProgressMonitor monitor) throws AnalysisException {
        ProcessScanner scanner = new ProcessScanner(context.requireEvidence().physical(), kernel.discovery()
                .kernel(), kernel.discovery().profile());
        ScanResult scan = PoolScans.run(monitor, "process objects", scanner::scan);
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        return HiddenProcesses.find(scan.processes(), listed);
    }

    /** Executable private memory and hollowed processes, from one VAD walk per process. */
    private static List<Finding> processMemory(AnalysisContext context, WindowsKernel kernel, AnalysisResult result,
            IProgressMonitor monitor) {
        InjectedCode injected;
        HollowedProcess hollowed;
        VadWalker vads;
        try {
            injected = new InjectedCode(kernel.discovery().kernel(), kernel.discovery().profile());
            hollowed = new HollowedProcess(kernel.discovery().kernel(), kernel.discovery().profile());
            vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "executable memory and hollowing",
                    "not checked: the profile cannot describe VADs: " + e.getMessage()));
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Looking for executable private memory", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            WinProcess p = s.process();
            if (p.peb() == 0) {
                continue; // no user address space
            }
            InjectedCode.Scan scan = injected.scan(p.eprocess(), s.layer());
            scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            for (InjectedCode.Finding f : scan.findings()) {
                String content = f.peHeader() ? ", begins with a PE header" : f.firstBytes().isPresent() ? ""
                        : ", its first bytes unread (" + f.firstBytes().reason() + "): whether it holds a PE is not known";
                out.add(new Finding(Finding.Kind.EXECUTABLE_PRIVATE_MEMORY, f.peHeader() ? Finding.Severity.HIGH
                        : Finding.Severity.MEDIUM, p, f.vad().start(), String.format("VAD 0x%x-0x%x %s%s, commit %d; "
                                + "pages: %s", f.vad().start(), f.vad().end(), f.vad().protectionName(), content, f
                                        .vad().commitCharge(), f.pages())));
            }
            for (InjectedCode.Patch c : scan.patches()) {
                out.add(new Finding(Finding.Kind.MODIFIED_IMAGE_CODE, Finding.Severity.HIGH, p, c.address(), String
                        .format("%s %s pages 0x%x-0x%x differ from the image's (first change at 0x%x); pages: %s", c
                                .vad().file().orElse("image at 0x" + Long.toHexString(c.vad().start())), c.section(), c
                                        .start(), c.end(), c.address(), c.pages())));
            }
            try {
                HollowedProcess.Verdict v = hollowed.check(p, s.layer(), vads.walk(p.eprocess()));
                if (v.hollowed()) {
                    out.add(new Finding(Finding.Kind.HOLLOWED_PROCESS, Finding.Severity.HIGH, p, v.imageBase().orElse(
                            -1L), String.join("; ", v.signs())));
                }
            } catch (NoSuchElementException e) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), "hollowing not checked: "
                        + e.getMessage()));
            }
        }
        return out;
    }

    private static List<Finding> unlinkedModules(AnalysisContext context, WindowsKernel kernel,
            AnalysisResult result, IProgressMonitor monitor) throws AnalysisException {
        List<Finding> out = new ArrayList<>();
        new LoaderLists(kernel).forEach(context, result, monitor, (s, image) -> {
            if (image.unlinked().orElse(false)) {
                out.add(new Finding(Finding.Kind.UNLINKED_MODULE, Finding.Severity.HIGH, s.process(), image.vad()
                        .start(), String.format("image VAD 0x%x-0x%x%s; on the loader lists: load %s, "
                                + "initialization %s, memory %s", image.vad().start(), image.vad().end(), image.vad()
                                        .file() != null ? " (" + image.vad().file().display() + ")" : "", on(image,
                                                ModuleWalker.Order.LOAD), on(image, ModuleWalker.Order.INITIALIZATION),
                                on(image, ModuleWalker.Order.MEMORY))));
            }
        });
        return out;
    }

    private static String on(LoaderLists.Image image, ModuleWalker.Order order) {
        Readout<Boolean> r = image.lists().get(order);
        return r.isPresent() ? (r.get() ? "yes" : "no") : "unknown";
    }

    private static List<Finding> threadsOutsideImages(AnalysisContext context, AnalysisResult result,
            IProgressMonitor monitor) throws AnalysisException {
        List<Finding> out = new ArrayList<>();
        for (ProcessThreads.Entry e : ProcessThreads.read(context, result, monitor)) {
            for (WinThread t : e.threads().threads()) {
                for (Readout<Long> start : List.of(t.win32StartAddress(), t.startAddress())) {
                    long va = start.orElse(0L);
                    AddressOwners.Owner owner = va == 0 ? null : e.owners().of(va);
                    if (owner != null && owner.outsideImages()) {
                        out.add(new Finding(Finding.Kind.THREAD_OUTSIDE_IMAGES, owner.kind()
                                == AddressOwners.Kind.PRIVATE ? Finding.Severity.HIGH : Finding.Severity.MEDIUM, e
                                        .process(), va, String.format("thread %d (_ETHREAD 0x%x) starts at 0x%x: %s",
                                                t.tid(), t.ethread(), va, owner.describe())));
                        break; // one finding per thread, at its first start address outside every image
                    }
                }
            }
        }
        return out;
    }
}
