package org.vestige.plugin.windows;

import java.time.Instant;

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
import org.vestige.windows.LinkTime;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.WinModule;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.modules}: kernel modules from PsLoadedModuleList, with the time each was linked (its PE header's
 * TimeDateStamp, a timeline source).
 *
 * @since 0.1
 */
public final class Modules implements Analysis {

    public static final Column<Long> OFFSET = Column.address("Offset(V)");
    public static final Column<Long> BASE = Column.address("Base");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> NAME = Column.string("Name").subject();
    public static final Column<String> PATH = Column.string("Path");
    /** The TimeDateStamp of the module's PE header as mapped. */
    public static final Column<Instant> LINKED = Column.time("Linked", TimeMeaning.LINKED);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        if (kernel.discovery().psLoadedModuleList() == 0) {
            throw new AnalysisException("PsLoadedModuleList was not found (see windows.info)");
        }
        ModuleList list = ModuleWalker.kernel(kernel.discovery().kernel(), kernel.discovery().profile()).walk(kernel
                .discovery().psLoadedModuleList());
        ResultTable table = ResultTable.of(OFFSET, BASE, SIZE, NAME, PATH, LINKED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (WinModule m : list.modules()) {
            Row row = table.addRow().set(OFFSET, m.entry()).set(BASE, m.base()).set(SIZE, m.size());
            Selected.cell(row, NAME, m.baseName());
            Selected.cell(row, PATH, m.fullName());
            Selected.cell(row, LINKED, LinkTime.read(kernel.discovery().kernel(), m.base()));
        }
        list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "PsLoadedModuleList", w)));
        return result;
    }
}
