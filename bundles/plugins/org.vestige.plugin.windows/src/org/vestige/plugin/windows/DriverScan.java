package org.vestige.plugin.windows;

import java.util.NoSuchElementException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.DriverScanner;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PoolScanner;
import org.vestige.windows.ScannedDriver;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.driverscan}: {@code _DRIVER_OBJECT}s found by scanning all of physical memory for pool blocks
 * tagged 'Driv', on every core, with the listed module their code starts in, each flagged when DriverStart lies
 * in no module on {@code PsLoadedModuleList} — the driver's image was hidden from the list.
 *
 * @since 0.1
 */
public final class DriverScan implements Analysis {

    public static final Column<Long> PHYSICAL = Column.address("Offset(P)");
    public static final Column<Long> VIRTUAL = Column.address("Offset(V)");
    public static final Column<String> NAME = Column.string("DriverName");
    public static final Column<Long> START = Column.address("Start");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> SERVICE_KEY = Column.string("ServiceKey");
    public static final Column<String> MODULE = Column.string("Module");
    public static final Column<Boolean> OUTSIDE = Column.bool("StartOutsideModules");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ModuleList listed;
        DriverScanner scanner;
        try {
            listed = ModuleWalker.loaded(kernel.discovery());
            scanner = new DriverScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), kernel
                    .objects());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe driver objects: " + e.getMessage());
        }
        PoolScanner.Result<ScannedDriver> scan = PoolScans.run(monitor, "driver objects", (threads,
                progress) -> scanner.scan(threads, progress, listed));
        ResultTable table = ResultTable.of(PHYSICAL, VIRTUAL, NAME, START, SIZE, SERVICE_KEY, MODULE, OUTSIDE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ScannedDriver d : scan.found()) {
            Row row = table.addRow().set(PHYSICAL, d.physical()).set(START, d.start()).set(SIZE, d.size()).set(OUTSIDE,
                    d.outsideListedModules());
            if (d.address() != 0) {
                row.set(VIRTUAL, d.address());
            } else {
                row.missing(VIRTUAL, "no driver extension leads back to the driver object");
            }
            Selected.cell(row, NAME, d.name());
            Selected.cell(row, SERVICE_KEY, d.serviceKey());
            if (d.owner() != null) {
                Selected.cell(row, MODULE, d.owner().baseName());
            } else {
                row.missing(MODULE, "DriverStart lies in no module on PsLoadedModuleList");
            }
        }
        PoolScans.report(result, listed, scan);
        return result;
    }
}
