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
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleScanner;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PoolScanner;
import org.vestige.windows.ScannedModule;
import org.vestige.windows.WinModule;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.modscan}: kernel loader entries found by scanning all of physical memory for pool blocks
 * tagged 'MmLd', on every core, each flagged when {@code PsLoadedModuleList} does not link it — a driver
 * unloaded since, or one hidden by unlinking its entry.
 *
 * @since 0.1
 */
public final class ModScan implements Analysis {

    public static final Column<Long> PHYSICAL = Column.address("Offset(P)");
    public static final Column<Long> VIRTUAL = Column.address("Offset(V)");
    public static final Column<Long> BASE = Column.address("Base");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> NAME = Column.string("Name");
    public static final Column<String> PATH = Column.string("Path");
    public static final Column<Boolean> UNLISTED = Column.bool("NotOnModuleList");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ModuleList listed;
        ModuleScanner scanner;
        try {
            listed = ModuleWalker.loaded(kernel.discovery());
            scanner = new ModuleScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), kernel
                    .discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe kernel loader entries: " + e.getMessage());
        }
        PoolScanner.Result<ScannedModule> scan = PoolScans.run(monitor, "loader entries", (threads,
                progress) -> scanner.scan(threads, progress, listed));
        ResultTable table = ResultTable.of(PHYSICAL, VIRTUAL, BASE, SIZE, NAME, PATH, UNLISTED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ScannedModule s : scan.found()) {
            WinModule m = s.module();
            Row row = table.addRow().set(PHYSICAL, s.physical()).set(BASE, m.base()).set(SIZE, m.size()).set(UNLISTED,
                    !s.listed());
            if (m.entry() != 0) {
                row.set(VIRTUAL, m.entry());
            } else {
                row.missing(VIRTUAL, "neither PsLoadedModuleList nor the entry's own links lead back to it");
            }
            Selected.cell(row, NAME, m.baseName());
            Selected.cell(row, PATH, m.fullName());
        }
        PoolScans.report(result, listed, scan);
        return result;
    }
}
