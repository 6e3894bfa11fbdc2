package org.vestige.plugin.windows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
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
import org.vestige.layer.crashdump.MemoryInfo;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.windows.EvidenceProcesses;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.PageMapper;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.memmap}: every page of a process's user address space that has a page-table entry,
 * and where it lives: a physical frame, transition, a paging file at an offset, demand-zero, or why
 * it cannot be read. On a user-mode minidump: the captured ranges, each with the dump-file offset its bytes
 * come from, and the committed regions the dump's MemoryInfoList records but did not capture.
 *
 * @since 0.1
 */
public final class MemMap implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<Long> VIRTUAL = Column.address("Virtual");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> KIND = Column.string("Kind");
    public static final Column<PageProvenance> SOURCE = Column.provenance("Source");
    /** On a minidump: the region as VirtualQuery described it (state, protection, type). */
    public static final Column<String> REGION = Column.string("Region");
    /** On a minidump: the module whose image holds the stretch. */
    public static final Column<String> MODULE = Column.string("Module");

    private static final int COMMITTED = 0x1000;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        EvidenceProcesses processes = EvidenceProcesses.of(context);
        if (processes instanceof MinidumpProcess dump) {
            ResultTable table = ResultTable.of(PID, VIRTUAL, SIZE, KIND, SOURCE, REGION, MODULE);
            AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
            if (Selected.dump(dump, context, result)) {
                map(dump, table, result, monitor);
            }
            return result;
        }
        WindowsKernel kernel = (WindowsKernel) processes;
        ResultTable table = ResultTable.of(PID, VIRTUAL, SIZE, KIND, SOURCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        var selected = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Mapping process pages", selected.size());
        for (Selected.Process s : selected) {
            progress.split(1);
            Map<String, Long> counts = new TreeMap<>();
            new PageMapper(s.layer()).forEachUserPage(page -> {
                if (monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
                table.addRow().set(PID, s.process().pid()).set(VIRTUAL, page.va()).set(SIZE, page.size()).set(KIND,
                        page.provenance().kind()).set(SOURCE, page.provenance());
                counts.merge(page.provenance().kind(), 1L, Long::sum);
                return true;
            });
            result.add(new Diagnostic(Diagnostic.Severity.INFO, s.process().toString(), "pages by source: " + counts));
        }
        return result;
    }

    /**
     * Maps a minidump's process: the captured ranges and, when the dump has a MemoryInfoList, the committed
     * regions, split where either begins or ends, so each row is one stretch that is wholly captured (from
     * the dump file at an offset) or wholly not captured, with the region and module it lies in.
     */
    private static void map(MinidumpProcess dump, ResultTable table, AnalysisResult result, IProgressMonitor monitor) {
        List<MemoryInfo> committed = dump.regions().stream().filter(r -> r.state() == COMMITTED).toList();
        TreeSet<Long> cuts = new TreeSet<>(Long::compareUnsigned);
        for (MemoryRange r : dump.ranges()) {
            cuts.add(r.base());
            cuts.add(r.end());
        }
        for (MemoryInfo r : committed) {
            cuts.add(r.baseAddress());
            cuts.add(r.baseAddress() + r.regionSize());
        }
        Map<String, Long> bytes = new TreeMap<>();
        Long start = null;
        int range = 0;
        for (long end : cuts) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            if (start != null) {
                long at = start;
                while (range < dump.ranges().size() && Long.compareUnsigned(dump.ranges().get(range).end(), at) <= 0) {
                    range++;
                }
                boolean captured = range < dump.ranges().size() && dump.ranges().get(range).contains(at);
                Optional<MemoryInfo> region = dump.regionAt(at).filter(r -> r.state() == COMMITTED);
                if (captured || region.isPresent()) {
                    PageProvenance p = dump.memory().provenance(at);
                    Row row = table.addRow();
                    if (dump.pid().isPresent()) {
                        row.set(PID, dump.pid().getAsLong());
                    } else {
                        row.missing(PID, "the minidump has no MiscInfo stream recording the process id");
                    }
                    row.set(VIRTUAL, at).set(SIZE, end - at).set(KIND, p.kind()).set(SOURCE, p);
                    String stack = dump.stackAt(at).map(t -> "stack of thread " + t.threadId()).orElse("");
                    if (region.isPresent()) {
                        row.set(REGION, MinidumpProcess.describe(region.get()) + (stack.isEmpty() ? "" : ", " + stack));
                    } else if (!stack.isEmpty()) {
                        row.set(REGION, stack);
                    } else {
                        row.missing(REGION, committed.isEmpty() ? "the minidump has no MemoryInfoList stream"
                                : "captured, but outside the committed regions the MemoryInfoList records");
                    }
                    Optional<MinidumpModule> module = dump.moduleAt(at);
                    if (module.isPresent()) {
                        row.set(MODULE, module.get().baseName());
                    } else {
                        row.missing(MODULE, "no module of the module list holds it");
                    }
                    bytes.merge(captured ? "captured" : "not captured", end - at, Long::sum);
                }
            }
            start = end;
        }
        result.add(new Diagnostic(Diagnostic.Severity.INFO, dump.toString(), "bytes by source: " + bytes + " ("
                + dump.ranges().size() + " captured range(s), " + committed.size() + " committed region(s) listed)"));
    }
}
