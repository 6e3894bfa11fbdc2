package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.windows.EvidenceProcesses;
import org.vestige.windows.MemoryStretches;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PageMapper;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinModule;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.strings}: the ASCII and UTF-16LE strings of a process's memory, each with its virtual
 * address, the module or region it lies in and where the page holding its first byte came from. On a
 * memory image it reads each process's VADs through its address space (paged-out pages through the
 * supplied paging files); on a user-mode minidump, the captured ranges. Strings never run across bytes
 * that cannot be read. The scan streams through memory chunk by chunk; {@code --limit} bounds the rows.
 *
 * @since 0.1
 */
public final class Strings implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<String> ENCODING = Column.string("Encoding");
    public static final Column<Long> LENGTH = Column.integer("Length");
    public static final Column<String> STRING = Column.string("String");
    public static final Column<String> REGION = Column.string("Region");
    public static final Column<PageProvenance> SOURCE = Column.provenance("Source");

    /** What the scan is reading, so rows can name it. */
    private static final class Scan {
        final AnalysisContext context;
        final ResultTable table;
        final long limit;
        long rows;
        long pid;
        String process;
        String region;

        Scan(AnalysisContext context, ResultTable table) {
            this.context = context;
            this.table = table;
            this.limit = context.options().number("limit").orElse(100_000L);
        }

        boolean add(StringScanner.Found s, String where) {
            Row row = table.addRow();
            if (pid >= 0) {
                row.set(PID, pid);
            } else {
                row.missing(PID, "the minidump has no MiscInfo stream recording the process id");
            }
            row.set(PROCESS, process).set(ADDRESS, s.address()).set(ENCODING, s.encoding()).set(LENGTH, s.length())
                    .set(STRING, s.length() > s.text().length() ? s.text() + "…" : s.text()).set(SOURCE, s
                            .provenance());
            if (where.isEmpty()) {
                row.missing(REGION, "no module or listed region holds it");
            } else {
                row.set(REGION, where);
            }
            return ++rows < limit;
        }

        StringScanner scanner(org.vestige.core.layer.Layer layer, IProgressMonitor monitor,
                java.util.function.Function<StringScanner.Found, String> where) {
            String encoding = context.options().string("encoding").orElse("both");
            int min = (int) Math.max(1, Math.min(StringScanner.MAX_TEXT, context.options().number("min-length")
                    .orElse(4L)));
            return new StringScanner(layer, min, !encoding.equals("utf-16le"), !encoding.equals("ascii"),
                    monitor::isCanceled, s -> add(s, where.apply(s)));
        }
    }

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(PID, PROCESS, ADDRESS, ENCODING, LENGTH, STRING, REGION, SOURCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        Scan scan = new Scan(context, table);
        boolean complete = switch (EvidenceProcesses.of(context)) {
            case MinidumpProcess dump -> !Selected.dump(dump, context, result) || scan(dump, scan, monitor);
            case WindowsKernel kernel -> scan(context, kernel, scan, result, monitor);
        };
        if (!complete) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "--limit", "stopped after " + scan.rows
                    + " strings (--limit " + scan.limit + "); the rest of memory was not scanned"));
        }
        return result;
    }

    /** Scans the captured ranges of a minidump, naming for each string the module or region it lies in. */
    private static boolean scan(MinidumpProcess dump, Scan scan, IProgressMonitor monitor) {
        scan.pid = dump.pidOrMinus1();
        scan.process = dump.name();
        StringScanner scanner = scan.scanner(dump.memory(), monitor, s -> dump.placeOf(s.address()));
        List<MemoryRange> ranges = dump.ranges();
        SubMonitor progress = SubMonitor.convert(monitor, "Scanning " + dump.name() + " for strings", ranges.size());
        for (MemoryRange r : ranges) {
            progress.split(1);
            if (!scanner.scan(r.base(), r.size())) {
                return false;
            }
        }
        return true;
    }

    /** Scans every selected process's VADs in address order. */
    private static boolean scan(AnalysisContext context, WindowsKernel kernel, Scan scan, AnalysisResult result,
            IProgressMonitor monitor) {
        VadWalker walker = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Scanning process memory for strings", processes.size());
        for (Selected.Process s : processes) {
            SubMonitor perProcess = progress.split(1);
            if (s.process().peb() == 0) {
                continue; // System and other processes without a user address space
            }
            List<WinVad> sorted = Selected.vadsInOrder(walker, s, result);
            List<WinModule> modules = modules(kernel, s);
            scan.pid = s.process().pid();
            scan.process = s.process().name();
            StringScanner scanner = scan.scanner(s.layer(), monitor, f -> scan.region);
            PageMapper pages = new PageMapper(s.layer());
            perProcess.setWorkRemaining(sorted.size());
            for (WinVad v : sorted) {
                perProcess.split(1);
                scan.region = label(v, modules);
                if (!MemoryStretches.ofVad(v, pages, scanner::scan)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return the process's modules from its PEB loader list, or none when the list cannot be read */
    private static List<WinModule> modules(WindowsKernel kernel, Selected.Process s) {
        try {
            Readout<ModuleList> list = new PebReader(s.layer(), kernel.discovery().profile()).modules(s.process()
                    .peb(), ModuleWalker.Order.LOAD);
            return list.isPresent() ? list.get().modules() : List.of();
        } catch (RuntimeException e) {
            return List.of(); // a profile without the loader types: regions are named by their VADs alone
        }
    }

    /** @return the module mapped by a VAD, else the VAD's file, else the kind of memory */
    private static String label(WinVad v, List<WinModule> modules) {
        List<String> names = new ArrayList<>();
        for (WinModule m : modules) {
            if (m.base() == v.start()) {
                names.add(m.baseName().orElse(null));
            }
        }
        names.removeIf(n -> n == null);
        if (!names.isEmpty()) {
            return names.get(0);
        }
        if (v.file() != null && v.file().isPresent()) {
            return v.file().get();
        }
        return v.privateMemory() ? "private " + v.protectionName() : "mapped " + v.protectionName();
    }
}
