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
import org.vestige.windows.MemoryStretches;
import org.vestige.windows.PageMapper;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.vadyarascan}: YARA rules over each selected process's VADs through libyara, each VAD on its
 * own: mapped and image VADs read whole (pages found through prototype PTEs included), private memory where
 * page-table entries exist, every page through the backing stores. One row per match with the VAD it lies in,
 * its virtual address, rule, string, bytes and the source of its page, and one row per range of the VAD that
 * could not be read, with the cause.
 *
 * @since 0.1
 */
public final class VadYaraScan implements Analysis {

    public static final Column<Long> VAD_START = Column.address("VadStart");
    public static final Column<Long> VAD_END = Column.address("VadEnd");
    public static final Column<String> PROTECTION = Column.string("Protection");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(YaraFindings.PID, YaraFindings.PROCESS, VAD_START, VAD_END, PROTECTION,
                YaraFindings.ADDRESS, YaraFindings.LENGTH, YaraFindings.RULE, YaraFindings.STRING, YaraFindings.DATA,
                YaraFindings.SOURCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        YaraFindings findings = new YaraFindings(table, context.options().number("limit").orElse(100_000L));
        WindowsKernel kernel = WindowsKernel.require(context);
        try (YaraRules rules = YaraRuleSource.compile(context)) {
            YaraScans.summarize(result, findings, scan(context, kernel, rules, findings, result, monitor));
        }
        return result;
    }

    private static boolean scan(AnalysisContext context, WindowsKernel kernel, YaraRules rules,
            YaraFindings findings, AnalysisResult result, IProgressMonitor monitor) {
        VadWalker walker = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Scanning VADs with YARA rules", processes.size());
        for (Selected.Process s : processes) {
            SubMonitor perProcess = progress.split(1);
            if (s.process().peb() == 0) {
                continue; // System and other processes without a user address space
            }
            List<WinVad> sorted = Selected.vadsInOrder(walker, s, result);
            YaraScanner scanner = YaraScans.scanner(s.layer(), rules, findings, monitor);
            PageMapper pages = new PageMapper(s.layer());
            perProcess.setWorkRemaining(sorted.size());
            for (WinVad v : sorted) {
                perProcess.split(1);
                findings.owner(YaraFindings.process(s.process().pid(), s.process().name()).andThen(row -> row.set(
                        VAD_START, v.start()).set(VAD_END, v.end()).set(PROTECTION, v.protectionName())));
                if (!MemoryStretches.ofVad(v, pages, scanner::scan) || !YaraScans.finish(scanner, s.process()
                        .toString(), result)) {
                    return false;
                }
            }
        }
        return true;
    }
}
