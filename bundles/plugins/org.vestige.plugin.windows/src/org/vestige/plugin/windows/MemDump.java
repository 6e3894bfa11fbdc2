package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.memdump}: all of a process's committed memory (every VAD), region after region in
 * address order, sparse where pages cannot be read, with a provenance sidecar giving each page's
 * virtual address and source.
 *
 * @since 0.1
 */
public final class MemDump implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<Long> FILE_OFFSET = Column.address("FileOffset");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, ADDRESS, SIZE, FILE_OFFSET, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        VadWalker walker = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        DumpBounds bounds = new DumpBounds(context.requireEvidence());
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Dumping process memory", processes.size());
        for (Selected.Process s : processes) {
            SubMonitor perProcess = progress.split(1);
            VadList vads = walker.walk(s.process().eprocess());
            vads.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process()
                    .toString(), w)));
            java.util.List<WinVad> dumpable = bounds.dumpable(vads.vads(), s.process().toString(), result);
            if (dumpable.isEmpty()) {
                continue;
            }
            Path file = context.outputFile(s.process().pid() + "." + ProcDump.safe(s.process().name())
                    + ".dmp");
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name());
            try (RegionDump dump = new RegionDump(file)) {
                long offset = 0;
                java.util.List<WinVad> sorted = dumpable.stream().sorted(java.util.Comparator.comparingLong(
                        WinVad::start)).toList();
                perProcess.setWorkRemaining(sorted.size());
                for (WinVad v : sorted) {
                    perProcess.split(1);
                    long size = v.end() - v.start() + 1;
                    long before = dump.missing().size();
                    dump.copy(s.layer(), v.start(), size, offset);
                    row.addChild().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(ADDRESS, v
                            .start()).set(SIZE, size).set(FILE_OFFSET, offset).set(DETAIL, (dump.missing().size()
                                    - before) + " page(s) unavailable");
                    offset += size;
                }
                String sha = dump.finish();
                row.set(SIZE, offset).set(FILE_OFFSET, 0L).set(DETAIL, file.getFileName() + ": " + dump.summary());
                row.missing(ADDRESS, "all committed regions");
                result.addFile(new OutputFile(file, Files.size(file), sha, s.process().name() + " committed memory ("
                        + dump.summary() + ")"));
            } catch (IOException e) {
                throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
            }
            result.addFile(RegionDump.sidecarFile(file));
        }
        return result;
    }
}
