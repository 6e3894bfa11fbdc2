package org.vestige.plugin.windows;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

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
import org.vestige.windows.ProcessScanner;
import org.vestige.windows.ScanResult;
import org.vestige.windows.ScannedProcess;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.psscan}: _EPROCESS objects found by scanning all of physical memory for process
 * pool allocations, on every core — exited and unlinked processes included, marked by whether the
 * active list still holds them.
 *
 * @since 0.1
 */
public final class PsScan implements Analysis {

    public static final Column<Long> PHYSICAL = Column.address("Offset(P)");
    public static final Column<Long> PID = Column.pid("PID").subject();
    public static final Column<Long> PPID = Column.pid("PPID");
    public static final Column<String> NAME = Column.string("ImageFileName").subject();
    public static final Column<Long> VIRTUAL = Column.address("Offset(V)");
    public static final Column<Long> THREADS = Column.integer("Threads");
    public static final Column<Instant> CREATED = Column.time("CreateTime", TimeMeaning.CREATED);
    public static final Column<Instant> EXITED = Column.time("ExitTime", TimeMeaning.EXITED);
    public static final Column<Boolean> LISTED = Column.bool("InActiveList");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ProcessScanner scanner = new ProcessScanner(context.requireEvidence().physical(), kernel.discovery()
                .kernel(), kernel.discovery().profile());
        ScanResult scan = PoolScans.run(monitor, "process objects", scanner::scan);
        Set<Long> listed = new HashSet<>();
        kernel.processes().processes().forEach(p -> listed.add(p.eprocess()));
        ResultTable table = ResultTable.of(PHYSICAL, PID, PPID, NAME, VIRTUAL, THREADS, CREATED, EXITED, LISTED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ScannedProcess s : scan.processes()) {
            WinProcess p = s.process();
            Row row = table.addRow().set(PHYSICAL, s.physical()).set(PID, p.pid()).set(PPID, p.ppid()).set(NAME, p
                    .name()).set(VIRTUAL, p.eprocess()).set(CREATED, p.createTime()).set(EXITED, p.exitTime()).set(
                            LISTED, listed.contains(p.eprocess()));
            if (p.threads() >= 0) {
                row.set(THREADS, (long) p.threads());
            } else {
                row.missing(THREADS, "the profile has no ActiveThreads");
            }
        }
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "pool scan", String.format("%d bytes scanned at %.2f GB/s",
                scan.bytesScanned(), scan.bytesPerSecond() / 1e9)));
        return result;
    }
}
