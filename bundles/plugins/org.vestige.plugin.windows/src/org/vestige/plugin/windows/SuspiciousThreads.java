package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.AddressOwners;
import org.vestige.windows.Readout;
import org.vestige.windows.WinThread;

/**
 * {@code windows.suspicious_threads}: threads whose start address or Win32 start address lies outside
 * every mapped image — in private memory, in a mapped non-image section or in no VAD at all (for a kernel
 * address, outside every loaded kernel module), where code that was written into the process rather than
 * loaded runs from. One row per such address.
 *
 * @since 0.1
 */
public final class SuspiciousThreads implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> TID = Column.pid("TID");
    public static final Column<Long> ETHREAD = Column.address("ETHREAD");
    public static final Column<String> FIELD = Column.string("Field");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> VAD_START = Column.address("VadStart");
    public static final Column<Long> VAD_END = Column.address("VadEnd");
    public static final Column<String> PROTECTION = Column.string("Protection");
    public static final Column<String> REASON = Column.string("Reason");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(PID, PROCESS, TID, ETHREAD, FIELD, ADDRESS, VAD_START, VAD_END,
                PROTECTION, REASON);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ProcessThreads.Entry e : ProcessThreads.read(context, result, monitor)) {
            for (WinThread t : e.threads().threads()) {
                List<Start> starts = new ArrayList<>();
                check(starts, "Win32StartAddress", t.win32StartAddress());
                check(starts, "StartAddress", t.startAddress());
                for (Start f : starts) {
                    long va = f.address();
                    AddressOwners.Owner owner = e.owners().of(va);
                    if (!owner.outsideImages()) {
                        continue;
                    }
                    Row row = table.addRow().set(PID, e.process().pid()).set(PROCESS, e.process().name()).set(TID, t
                            .tid()).set(ETHREAD, t.ethread()).set(FIELD, f.field()).set(ADDRESS, va);
                    if (owner.vad() != null) {
                        row.set(VAD_START, owner.vad().start()).set(VAD_END, owner.vad().end()).set(PROTECTION, owner
                                .vad().protectionName());
                    } else {
                        Unavailable none = new Unavailable(va < 0 ? "a kernel address" : "the address is in no VAD");
                        row.setCell(VAD_START, none).setCell(VAD_END, none).setCell(PROTECTION, none);
                    }
                    row.set(REASON, reason(owner));
                }
            }
        }
        return result;
    }

    /** A start address of a thread and the _ETHREAD field holding it. */
    private record Start(String field, long address) {
    }

    private static void check(List<Start> starts, String field, Readout<Long> value) {
        if (value.isPresent() && value.get() != 0) {
            starts.add(new Start(field, value.get()));
        }
    }

    private static String reason(AddressOwners.Owner owner) {
        return switch (owner.kind()) {
            case PRIVATE -> "starts in private memory, not in a mapped image";
            case MAPPED -> "starts in a mapped section that is not an image" + (owner.name() != null ? " ("
                    + owner.name() + ")" : "");
            case NO_VAD -> "starts at a user address no VAD describes";
            default -> "starts at a kernel address outside every loaded kernel module";
        };
    }
}
