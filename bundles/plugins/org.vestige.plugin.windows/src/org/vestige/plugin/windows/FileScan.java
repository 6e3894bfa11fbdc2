package org.vestige.plugin.windows;

import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.FileObjects;
import org.vestige.windows.FileScanner;
import org.vestige.windows.PoolScanner;
import org.vestige.windows.WinFile;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.filescan}: _FILE_OBJECTs found by scanning all of physical memory for pool blocks tagged
 * 'File', on every core — files no handle refers to any more included — with their device, name, access
 * and whether each has a data section, an image section or a shared cache map.
 *
 * @since 0.1
 */
public final class FileScan implements Analysis {

    public static final Column<Long> PHYSICAL = Column.address("Offset(P)");
    public static final Column<Long> VIRTUAL = Column.address("Offset(V)");
    public static final Column<String> DEVICE = Column.string("Device");
    public static final Column<String> NAME = Column.string("FileName");
    public static final Column<String> ACCESS = Column.string("Access");
    public static final Column<Boolean> DATA = Column.bool("DataSection");
    public static final Column<Boolean> IMAGE = Column.bool("ImageSection");
    public static final Column<Boolean> CACHE = Column.bool("SharedCacheMap");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        FileObjects files;
        try {
            files = new FileObjects(kernel.objects());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe file objects: " + e.getMessage());
        }
        PoolScanner.Result<WinFile> scan;
        try {
            scan = new FileScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), files).scan(Math
                    .max(1, Runtime.getRuntime().availableProcessors()), new MonitoredScan(monitor,
                            "Scanning physical memory for file objects"));
        } catch (CancellationException e) {
            throw new OperationCanceledException(e.getMessage());
        }
        ResultTable table = ResultTable.of(PHYSICAL, VIRTUAL, DEVICE, NAME, ACCESS, DATA, IMAGE, CACHE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (WinFile f : scan.found()) {
            Row row = table.addRow().set(PHYSICAL, f.physical()).set(ACCESS, f.access());
            if (f.address() != 0) {
                row.set(VIRTUAL, f.address());
            } else {
                row.missing(VIRTUAL, "no empty list head in the file object translates back to it");
            }
            Selected.cell(row, DEVICE, f.device());
            Selected.cell(row, NAME, f.name());
            Selected.cell(row, DATA, f.sections().map(s -> s.dataSection() != 0));
            Selected.cell(row, IMAGE, f.sections().map(s -> s.imageSection() != 0));
            Selected.cell(row, CACHE, f.sections().map(s -> s.sharedCacheMap() != 0));
        }
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "pool scan", String.format("%d bytes scanned at %.2f GB/s",
                scan.bytesScanned(), scan.bytesPerSecond() / 1e9)));
        return result;
    }
}
