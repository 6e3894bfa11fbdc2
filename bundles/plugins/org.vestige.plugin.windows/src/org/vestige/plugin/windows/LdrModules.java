package org.vestige.plugin.windows;

import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.ldrmodules}: every image mapped into each process (its image VADs) against the three
 * loader lists of its PEB — load order, initialization order, memory order. A DLL the loader loaded is on
 * all three (the executable is never on the initialization-order list); one mapped as an image but missing
 * from a list it belongs on was unlinked, the way code hides a DLL from tools that read the lists.
 *
 * @since 0.1
 */
public final class LdrModules implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> BASE = Column.address("Base");
    public static final Column<Boolean> IN_LOAD = Column.bool("InLoad");
    public static final Column<Boolean> IN_INIT = Column.bool("InInit");
    public static final Column<Boolean> IN_MEM = Column.bool("InMem");
    public static final Column<Boolean> UNLINKED = Column.bool("Unlinked");
    public static final Column<String> MAPPED_PATH = Column.string("MappedPath");

    private static final Map<ModuleWalker.Order, Column<Boolean>> LISTS = Map.of(ModuleWalker.Order.LOAD, IN_LOAD,
            ModuleWalker.Order.INITIALIZATION, IN_INIT, ModuleWalker.Order.MEMORY, IN_MEM);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, BASE, IN_LOAD, IN_INIT, IN_MEM, UNLINKED, MAPPED_PATH);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        new LoaderLists(kernel).forEach(context, result, monitor, (s, image) -> {
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(BASE, image
                    .vad().start());
            for (Map.Entry<ModuleWalker.Order, Column<Boolean>> list : LISTS.entrySet()) {
                Selected.cell(row, list.getValue(), image.lists().get(list.getKey()));
            }
            Selected.cell(row, UNLINKED, image.unlinked());
            if (image.vad().file() != null) {
                Selected.cell(row, MAPPED_PATH, image.vad().file());
            } else {
                row.setCell(MAPPED_PATH, new Unavailable("the image VAD names no file"));
            }
        });
        return result;
    }
}
