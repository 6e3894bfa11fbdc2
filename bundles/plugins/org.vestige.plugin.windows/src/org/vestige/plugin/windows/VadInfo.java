package org.vestige.plugin.windows;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.vadinfo}: each process's virtual address descriptors.
 *
 * @since 0.1
 */
public final class VadInfo implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> NODE = Column.address("Offset");
    public static final Column<Long> START = Column.address("Start VPN");
    public static final Column<Long> END = Column.address("End VPN");
    public static final Column<String> PROTECTION = Column.string("Protection");
    public static final Column<String> KIND = Column.string("Type");
    public static final Column<Long> COMMIT = Column.integer("CommitCharge");
    public static final Column<String> FILE = Column.string("File");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, NODE, START, END, PROTECTION, KIND, COMMIT, FILE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        VadWalker walker = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Walking VAD trees", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            VadList vads = walker.walk(s.process().eprocess());
            for (WinVad v : vads.vads()) {
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(NODE, v
                        .node()).set(START, v.start()).set(END, v.end()).set(PROTECTION, v.protectionName()).set(KIND,
                                v.privateMemory() ? "Private" : "Mapped").set(COMMIT, v.commitCharge());
                if (v.file() == null) {
                    row.missing(FILE, "private memory");
                } else {
                    Selected.cell(row, FILE, v.file());
                }
            }
            vads.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process()
                    .toString(), w)));
        }
        return result;
    }
}
