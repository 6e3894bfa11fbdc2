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
import org.vestige.windows.ProcessList;
import org.vestige.windows.WinProcess;

/**
 * {@code windows.pslist}: the active process list, in list order.
 *
 * @since 0.1
 */
public final class PsList implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<Long> PPID = Column.pid("PPID");
    public static final Column<String> NAME = Column.string("ImageFileName");
    public static final Column<Long> OFFSET = Column.address("Offset(V)");
    public static final Column<Long> THREADS = Column.integer("Threads");
    public static final Column<Instant> CREATED = Column.time("CreateTime");
    public static final Column<Instant> EXITED = Column.time("ExitTime");

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

    static void report(AnalysisResult result, ProcessList list) {
        for (String w : list.warnings()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "active process list", w));
        }
    }

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ProcessList list = kernel.processes();
        List<Long> only = context.options().all("pid", Long.class);
        ResultTable table = table();
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (WinProcess p : list.processes()) {
            if (only.isEmpty() || only.contains(p.pid())) {
                fill(table.addRow(), p);
            }
        }
        report(result, list);
        return result;
    }
}
