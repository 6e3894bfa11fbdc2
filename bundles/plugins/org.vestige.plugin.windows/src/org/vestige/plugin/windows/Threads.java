package org.vestige.plugin.windows;

import java.time.Instant;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.AddressOwners;
import org.vestige.windows.Readout;
import org.vestige.windows.ThreadState;
import org.vestige.windows.WinThread;

/**
 * {@code windows.threads}: every thread of each process from its thread list — thread id, scheduling
 * state, start and Win32 start address with the module or memory each lies in, and creation time.
 *
 * @since 0.1
 */
public final class Threads implements Analysis {

    public static final Column<Long> PID = Column.pid("PID").subject();
    public static final Column<String> PROCESS = Column.string("Process").subject();
    public static final Column<Long> TID = Column.pid("TID").subject();
    public static final Column<Long> ETHREAD = Column.address("ETHREAD");
    public static final Column<String> STATE = Column.string("State");
    public static final Column<Long> START = Column.address("StartAddress");
    public static final Column<String> START_IN = Column.string("StartIn");
    public static final Column<Long> WIN32_START = Column.address("Win32StartAddress");
    public static final Column<String> WIN32_START_IN = Column.string("Win32StartIn");
    public static final Column<Instant> CREATED = Column.time("CreateTime", TimeMeaning.CREATED);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(PID, PROCESS, TID, ETHREAD, STATE, START, START_IN, WIN32_START,
                WIN32_START_IN, CREATED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ProcessThreads.Entry e : ProcessThreads.read(context, result, monitor)) {
            for (WinThread t : e.threads().threads()) {
                Row row = table.addRow().set(PID, e.process().pid()).set(PROCESS, e.process().name()).set(TID, t
                        .tid()).set(ETHREAD, t.ethread());
                Selected.cell(row, STATE, t.state().map(ThreadState::describe));
                address(row, START, START_IN, t.startAddress(), e.owners());
                address(row, WIN32_START, WIN32_START_IN, t.win32StartAddress(), e.owners());
                Selected.cell(row, CREATED, t.createTime());
            }
        }
        return result;
    }

    /** Sets an address cell and the cell naming what the address lies in. */
    private static void address(Row row, Column<Long> address, Column<String> in, Readout<Long> value,
            AddressOwners owners) {
        Selected.cell(row, address, value);
        if (!value.isPresent()) {
            row.setCell(in, new Unavailable(value.reason(), value.cause()));
            return;
        }
        AddressOwners.Owner owner = owners.of(value.get());
        if (owner.kind() == AddressOwners.Kind.UNKNOWN) {
            row.setCell(in, new Unavailable(owner.name()));
        } else {
            row.set(in, owner.describe());
        }
    }
}
