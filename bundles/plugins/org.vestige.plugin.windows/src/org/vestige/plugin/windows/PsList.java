package org.vestige.plugin.windows;

import java.time.Instant;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeMeaning;
import org.vestige.windows.EvidenceProcesses;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.ProcessList;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.pslist}: the active process list, in list order; on a user-mode minidump, the one
 * process it holds.
 *
 * @since 0.1
 */
public final class PsList implements Analysis {

    public static final Column<Long> PID = Column.pid("PID").subject();
    public static final Column<Long> PPID = Column.pid("PPID");
    public static final Column<String> NAME = Column.string("ImageFileName").subject();
    public static final Column<Long> OFFSET = Column.address("Offset(V)");
    public static final Column<Long> THREADS = Column.integer("Threads");
    public static final Column<Instant> CREATED = Column.time("CreateTime", TimeMeaning.CREATED);
    public static final Column<Instant> EXITED = Column.time("ExitTime", TimeMeaning.EXITED);

    /** The columns every process listing shares. */
    static ResultTable table() {
        return ResultTable.of(PID, PPID, NAME, OFFSET, THREADS, CREATED, EXITED);
    }

    static void fill(Row row, WinProcess p) {
        row.set(PID, p.pid()).set(PPID, p.ppid()).set(NAME, p.name()).set(OFFSET, p.eprocess());
        if (p.threads() >= 0) {
            row.set(THREADS, (long) p.threads());
        } else {
            row.missing(THREADS, "the profile has no ActiveThreads");
        }
        row.set(CREATED, p.createTime()).set(EXITED, p.exitTime());
    }

    /** Fills a row for the process a minidump holds; what a minidump does not record is missing, with why. */
    static void fill(Row row, MinidumpProcess p) {
        if (p.pid().isPresent()) {
            row.set(PID, p.pid().getAsLong());
        } else {
            row.missing(PID, "the minidump has no MiscInfo stream recording the process id");
        }
        row.missing(PPID, "a minidump holds one process; its parent is not recorded");
        if (p.imageName().isPresent()) {
            row.set(NAME, p.imageName().get());
        } else {
            row.missing(NAME, "the minidump has no module list to name the executable");
        }
        row.missing(OFFSET, "a minidump holds no kernel memory; the process's _EPROCESS is not recorded");
        row.set(THREADS, (long) p.threads().size());
        if (p.createTime().isPresent()) {
            row.set(CREATED, p.createTime().get());
        } else {
            row.missing(CREATED, "the minidump's MiscInfo stream does not record the process times");
        }
        row.missing(EXITED, "not recorded in a minidump, which is written while the process runs");
    }

    static void report(AnalysisResult result, ProcessList list) {
        for (String w : list.warnings()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "active process list", w));
        }
    }

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = table();
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        switch (EvidenceProcesses.of(context)) {
            case MinidumpProcess dump -> {
                if (Selected.dump(dump, context, result)) {
                    fill(table.addRow(), dump);
                }
            }
            case WindowsKernel kernel -> list(context, kernel, table, result);
        }
        return result;
    }

    private static void list(AnalysisContext context, WindowsKernel kernel, ResultTable table, AnalysisResult result) {
        ProcessList list = kernel.processes();
        List<Long> only = context.options().all("pid", Long.class);
        for (WinProcess p : list.processes()) {
            if (only.isEmpty() || only.contains(p.pid())) {
                fill(table.addRow(), p);
            }
        }
        report(result, list);
        if (list.processes().isEmpty()) {
            // a running Windows has at least System: an empty list is one that could not be read
            result.outcome(AnalysisResult.Outcome.NOTHING_READ);
        }
    }
}
