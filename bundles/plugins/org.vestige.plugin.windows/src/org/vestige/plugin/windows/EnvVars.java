package org.vestige.plugin.windows;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.EnvironmentVariable;
import org.vestige.windows.PebReader;
import org.vestige.windows.ProcessEnvironment;
import org.vestige.windows.Readout;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.envars}: each process's environment variables from its PEB.
 *
 * @since 0.1
 */
public final class EnvVars implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<String> VARIABLE = Column.string("Variable");
    public static final Column<String> VALUE = Column.string("Value");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, VARIABLE, VALUE);
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Reading environment variables", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue;
            }
            ProcessEnvironment env = new PebReader(s.layer(), kernel.discovery().profile()).read(s.process().peb());
            Readout<List<EnvironmentVariable>> vars = env.environment();
            if (!vars.isPresent()) {
                Unavailable why = new Unavailable(vars.reason(), vars.cause());
                table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).setCell(VARIABLE, why)
                        .setCell(VALUE, why);
                continue;
            }
            for (EnvironmentVariable v : vars.get()) {
                table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(VARIABLE, v.name())
                        .set(VALUE, v.value());
            }
        }
        return new AnalysisResult(context.plugin().id(), table);
    }
}
