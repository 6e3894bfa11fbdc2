package org.vestige.plugin.windows;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.ResultTable;
import org.vestige.windows.MappedPage;
import org.vestige.windows.MemoryStretches;
import org.vestige.windows.PageMapper;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.yarascan}: YARA rules over memory through libyara. By default each selected process's user
 * address space, every page its page tables name (resident, in transition, in a paging file or in the
 * compressed store, each read through the backing stores); with {@code --space kernel} the kernel's address
 * space, with {@code --space physical} the physical memory of the evidence. One row per match with its
 * virtual (or physical) address, rule, string, bytes and the source of its page, and one row per range that
 * could not be read, with the cause.
 *
 * @since 0.1
 */
public final class YaraScan implements Analysis {

    /** The first kernel-mode address of x64 Windows. */
    private static final long KERNEL_START = 0xFFFF800000000000L;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(YaraFindings.PID, YaraFindings.PROCESS, YaraFindings.ADDRESS,
                YaraFindings.LENGTH, YaraFindings.RULE, YaraFindings.STRING, YaraFindings.DATA, YaraFindings.SOURCE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        YaraFindings findings = new YaraFindings(table, context.options().number("limit").orElse(100_000L));
        String space = context.options().string("space").orElse("process");
        try (YaraRules rules = YaraRuleSource.compile(context)) {
            boolean complete = switch (space) {
                case "physical" -> physical(context, rules, findings, result, monitor);
                case "kernel" -> kernel(WindowsKernel.require(context), rules, findings, result, monitor);
                default -> processes(context, WindowsKernel.require(context), rules, findings, result, monitor);
            };
            YaraScans.summarize(result, findings, complete);
        }
        return result;
    }

    private static boolean physical(AnalysisContext context, YaraRules rules, YaraFindings findings,
            AnalysisResult result, IProgressMonitor monitor) throws AnalysisException {
        Layer physical = context.requireEvidence().physical();
        findings.owner(YaraFindings.noProcess("physical memory"));
        YaraScanner scanner = YaraScans.scanner(physical, rules, findings, monitor);
        SubMonitor.convert(monitor, "Scanning physical memory with YARA rules", 1);
        return scanner.scan(0, physical.size()) && YaraScans.finish(scanner, physical.name(), result);
    }

    private static boolean kernel(WindowsKernel kernel, YaraRules rules, YaraFindings findings,
            AnalysisResult result, IProgressMonitor monitor) {
        Layer layer = kernel.discovery().kernel();
        findings.owner(YaraFindings.noProcess("kernel memory"));
        SubMonitor.convert(monitor, "Scanning kernel memory with YARA rules", 1);
        YaraScanner scanner = YaraScans.scanner(layer, rules, findings, monitor);
        return mapped(new PageMapper(kernel.discovery().kernel()), KERNEL_START, -1L, scanner, monitor)
                && YaraScans.finish(scanner, layer.name(), result);
    }

    private static boolean processes(AnalysisContext context, WindowsKernel kernel, YaraRules rules,
            YaraFindings findings, AnalysisResult result, IProgressMonitor monitor) {
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Scanning process memory with YARA rules", processes
                .size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue; // System and other processes without a user address space
            }
            findings.owner(YaraFindings.process(s.process().pid(), s.process().name()));
            YaraScanner scanner = YaraScans.scanner(s.layer(), rules, findings, monitor);
            if (!mapped(new PageMapper(s.layer()), 0, PageMapper.USER_END, scanner, monitor) || !YaraScans.finish(
                    scanner, s.process().toString(), result)) {
                return false;
            }
        }
        return true;
    }

    /** Scans every page with a page-table entry in {@code [start, end)}, pages that follow one another together. */
    private static boolean mapped(PageMapper pages, long start, long end, YaraScanner scanner,
            IProgressMonitor monitor) {
        return MemoryStretches.mapped(pages, start, end, new MemoryStretches.Sink() {
            @Override
            public boolean stretch(long address, long length) {
                return scanner.scan(address, length);
            }

            @Override
            public boolean tableMissing(MappedPage span) {
                if (monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
                scanner.missing(span.va(), span.size(), (PageProvenance.Missing) span.provenance());
                return true;
            }
        });
    }
}
