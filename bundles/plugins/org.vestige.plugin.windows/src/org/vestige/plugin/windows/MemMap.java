package org.vestige.plugin.windows;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.windows.PageMapper;

/**
 * {@code windows.memmap}: every page of a process's user address space that has a page-table entry,
 * and where it lives: a physical frame, transition, a paging file at an offset, demand-zero, or why
 * it cannot be read.
 *
 * @since 0.1
 */
public final class MemMap implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<Long> VIRTUAL = Column.address("Virtual");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> KIND = Column.string("Kind");
    public static final Column<PageProvenance> SOURCE = Column.provenance("Source");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, VIRTUAL, SIZE, KIND, SOURCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (Selected.Process s : Selected.processes(context, kernel)) {
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
}
