package org.vestige.plugin.windows;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.cmdline}: each process's command line from its PEB.
 *
 * @since 0.1
 */
public final class CmdLine implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<String> ARGS = Column.string("Args");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, ARGS);
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Reading command lines", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name());
            Selected.cell(row, ARGS, kernel.commandLine(s.process()));
        }
        return new AnalysisResult(context.plugin().id(), table);
    }
}
