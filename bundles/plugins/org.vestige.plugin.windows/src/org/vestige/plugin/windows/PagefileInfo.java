package org.vestige.plugin.windows;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.store.BackingStore;
import org.vestige.windows.PagingFile;
import org.vestige.windows.PagingFiles;

/**
 * {@code windows.pagefile.info}: the paging files the kernel uses (its _MMPAGING_FILE records: number,
 * name, size, swapfile, virtual store) beside the files supplied with the evidence, and whether they
 * agree.
 */
public final class PagefileInfo implements Analysis {

    public static final Column<Long> SLOT = Column.integer("Slot");
    public static final Column<String> NAME = Column.string("KernelName");
    public static final Column<String> KIND = Column.string("Kind");
    public static final Column<Long> KERNEL_SIZE = Column.size("KernelSize");
    public static final Column<String> SUPPLIED = Column.string("Supplied");
    public static final Column<Long> SUPPLIED_SIZE = Column.size("SuppliedSize");
    public static final Column<String> CHECK = Column.string("Check");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(SLOT, NAME, KIND, KERNEL_SIZE, SUPPLIED, SUPPLIED_SIZE, CHECK);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        PagingFiles.Listing listing = kernel.pagingFiles();
        listing.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "_MMPAGING_FILE", w)));
        // the files as the backing stores numbered them, so this report and the reads agree
        Map<Integer, BackingStore> supplied = new HashMap<>();
        kernel.stores().forEach(store -> supplied.put(store.slot(), store));
        for (PagingFile f : listing.files()) {
            Row row = table.addRow().set(SLOT, (long) f.slot()).set(KIND, f.virtualStore() ? "virtual store"
                    : f.swapfile() ? "swapfile" : "pagefile").set(KERNEL_SIZE, f.sizePages() * 4096);
            Selected.cell(row, NAME, f.name());
            BackingStore s = supplied.remove(f.slot());
            if (f.virtualStore()) {
                row.missing(SUPPLIED, "held in memory by the MemCompression process").missing(SUPPLIED_SIZE,
                        "not a file").set(CHECK, "read from the compression store, not a file");
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
                    .set(SUPPLIED, s.name()).set(SUPPLIED_SIZE, s.size()).set(CHECK, "not used");
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.name(), "supplied as page-file number " + slot
                    + ", which the kernel does not use"));
        });
        return result;
    }
}
