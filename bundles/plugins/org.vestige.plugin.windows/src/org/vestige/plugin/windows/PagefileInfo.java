package org.vestige.plugin.windows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PageStates;
import org.vestige.layer.compressed.CompressionStore;
import org.vestige.windows.PageMapper;
import org.vestige.windows.PagingFile;
import org.vestige.windows.PagingFiles;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.pagefile.info}: the paging files the kernel uses (its _MMPAGING_FILE records: number,
 * name, size, swapfile, virtual store) beside the files supplied with the evidence, whether they
 * agree, and coverage: how many software PTEs of the processes' user address spaces name each
 * page-file number, and how many of them the supplied file (or the compression store) satisfies.
 *
 * @since 0.1
 */
public final class PagefileInfo implements Analysis {

    public static final Column<Long> SLOT = Column.integer("Slot");
    public static final Column<String> NAME = Column.string("KernelName");
    public static final Column<String> KIND = Column.string("Kind");
    public static final Column<Long> KERNEL_SIZE = Column.size("KernelSize");
    public static final Column<String> SUPPLIED = Column.string("Supplied");
    public static final Column<Long> SUPPLIED_SIZE = Column.size("SuppliedSize");
    public static final Column<String> CHECK = Column.string("Check");
    public static final Column<Long> PTES = Column.integer("PTEs");
    public static final Column<Long> SATISFIED = Column.integer("Satisfied");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(SLOT, NAME, KIND, KERNEL_SIZE, SUPPLIED, SUPPLIED_SIZE, CHECK, PTES,
                SATISFIED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        PagingFiles.Listing listing = kernel.pagingFiles();
        listing.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "_MMPAGING_FILE", w)));
        // the files as the backing stores numbered them, so this report and the reads agree
        Map<Integer, BackingStore> supplied = new HashMap<>();
        kernel.stores().forEach(store -> supplied.put(store.slot(), store));
        kernel.stores().forEach(store -> store.problems().forEach(p -> result.add(new Diagnostic(
                Diagnostic.Severity.WARNING, store.name(), p))));
        long[][] coverage = coverage(kernel, monitor);
        for (PagingFile f : listing.files()) {
            Row row = table.addRow().set(SLOT, (long) f.slot()).set(KIND, f.virtualStore() ? "virtual store"
                    : f.swapfile() ? "swapfile" : "pagefile").set(KERNEL_SIZE, f.sizePages() * 4096);
            Selected.cell(row, NAME, f.name());
            row.set(PTES, coverage[f.slot()][0]).set(SATISFIED, coverage[f.slot()][1]);
            BackingStore s = supplied.remove(f.slot());
            if (f.virtualStore()) {
                row.missing(SUPPLIED, "held in memory by the MemCompression process").missing(SUPPLIED_SIZE,
                        "not a file").set(CHECK, virtualStoreCheck(kernel, s));
            } else if (s == null) {
                row.missing(SUPPLIED, "not supplied").missing(SUPPLIED_SIZE, "not supplied").set(CHECK,
                        "pages in this file are reported missing; supply it with --pagefile " + f.slot() + "=FILE");
            } else if (s.size() < 0) {
                row.set(SUPPLIED, s.name()).missing(SUPPLIED_SIZE, "held in memory").set(CHECK, "not a file");
            } else {
                row.set(SUPPLIED, s.name()).set(SUPPLIED_SIZE, s.size());
                long kernelBytes = f.sizePages() * 4096;
                String check = s.size() == kernelBytes ? "size matches"
                        : s.size() < kernelBytes ? "smaller than the kernel's file: pages past its end are missing"
                                : "larger than the kernel's file: another image's, or grown since";
                row.set(CHECK, check);
                if (s.size() != kernelBytes) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.name(), "page-file number " + f.slot()
                            + ": " + check + " (" + s.size() + " bytes supplied, " + kernelBytes
                            + " in the kernel's record)"));
                }
            }
        }
        supplied.forEach((slot, s) -> {
            table.addRow().set(SLOT, (long) slot).missing(NAME, "the kernel has no paging file with this number")
                    .set(SUPPLIED, s.name()).set(SUPPLIED_SIZE, s.size()).set(CHECK, "not used").set(PTES,
                            coverage[slot][0]).set(SATISFIED, coverage[slot][1]);
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.name(), "supplied as page-file number " + slot
                    + ", which the kernel does not use"));
        });
        return result;
    }

    private static String virtualStoreCheck(WindowsKernel kernel, BackingStore s) {
        if (s instanceof CompressionStore c) {
            return "read from the memory-compression store (manager 0x" + Long.toHexString(c.location().manager())
                    + ")";
        }
        return kernel.unavailableStore(PageStates.COMPRESSED).map(MissingCause.StoreUnavailable::why).orElse(s == null ? "no store answers for it" : "read from " + s);
    }

    /**
     * Counts, per page-file number, the software PTEs of every process's user space that name it and
     * those whose page the registered store can supply.
     */
    private static long[][] coverage(WindowsKernel kernel, IProgressMonitor monitor) {
        long[][] counts = new long[16][2];
        List<WinProcess> processes = kernel.processes().processes();
        // counts of part of the processes would mislead: a cancel stops the analysis
        SubMonitor progress = SubMonitor.convert(monitor, "Counting software PTEs", processes.size());
        for (WinProcess p : processes) {
            progress.split(1);
            if (p.peb() != 0 || p.name().equals("MemCompression")) {
                new PageMapper(kernel.processLayers().layer(p)).forEachUserPage(page -> {
                    if (page.pageFile() >= 0 && page.pageFile() < 16) {
                        counts[page.pageFile()][0]++;
                        if (page.provenance().isAvailable()) {
                            counts[page.pageFile()][1]++;
                        }
                    }
                    return true;
                });
            }
        }
        return counts;
    }
}
