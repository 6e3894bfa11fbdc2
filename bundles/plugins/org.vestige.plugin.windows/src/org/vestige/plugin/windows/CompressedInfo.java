package org.vestige.plugin.windows;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
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
import org.vestige.layer.compressed.StoreInfo;
import org.vestige.layer.compressed.StoreManagerLocation;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.compressed.info}: the memory-compression store as the kernel keeps it — where
 * SmGlobals and the store manager are and how they were found, the virtual store's page-file
 * number, and per store its owner, algorithm, page counts by encoding, regions and the bytes they
 * hold — with every damaged node or unresolvable page named.
 *
 * @since 0.1
 */
public final class CompressedInfo implements Analysis {

    public static final Column<Long> STORE = Column.integer("Store");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<String> OWNER = Column.string("Owner");
    public static final Column<String> ALGORITHM = Column.string("Algorithm");
    public static final Column<Long> KEYS = Column.integer("Keys");
    public static final Column<Long> PAGES = Column.integer("Pages");
    public static final Column<Long> COMPRESSED = Column.integer("Compressed");
    public static final Column<Long> RAW = Column.integer("Raw");
    public static final Column<Long> ZERO = Column.integer("Zero");
    public static final Column<Long> MOVED = Column.integer("Moved");
    public static final Column<Long> REGIONS = Column.integer("Regions");
    public static final Column<Long> STORED = Column.size("StoredBytes");
    public static final Column<Long> UNRESOLVED = Column.integer("Unresolved");

    /** The most index entries a survey visits. */
    static final long LIMIT = 1L << 24;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(STORE, ADDRESS, OWNER, ALGORITHM, KEYS, PAGES, COMPRESSED, RAW, ZERO, MOVED,
                REGIONS, STORED, UNRESOLVED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        CompressionStore store = null;
        for (BackingStore s : kernel.stores()) {
            if (s instanceof CompressionStore c) {
                store = c;
            }
        }
        if (store == null) {
            String why = kernel.unavailableStore(PageStates.COMPRESSED).map(MissingCause.StoreUnavailable::why).orElse("the kernel keeps no memory-compression store (Windows"
                    + " before 10, or no virtual store among its paging files)");
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "memory-compression store", why));
            return result;
        }
        StoreManagerLocation at = store.location();
        String subject = "memory-compression store";
        result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "SmGlobals at " + hex(at.smGlobals())
                + ", found by " + at.method() + "; store manager at " + hex(at.manager())));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "virtual store page-file number " + store.slot()
                + "; build " + store.build() + ", pages decoded with " + store.layout().codec().id()));
        for (String a : at.attempts()) {
            result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "tried first: " + a));
        }
        monitor.beginTask("Surveying the store index", IProgressMonitor.UNKNOWN);
        List<StoreInfo> stores = store.survey(LIMIT);
        for (StoreInfo i : stores) {
            Row row = table.addRow().set(STORE, (long) i.index());
            if (i.address() == 0) {
                row.missing(ADDRESS, "not readable");
            } else {
                row.set(ADDRESS, i.address()).set(OWNER, i.ownerName() + " (_EPROCESS " + hex(i.owner()) + ")").set(
                        ALGORITHM, i.codec() + (i.algorithm() >= 0 ? " (CompressionAlgorithm " + i.algorithm() + ")"
                                : ""));
            }
            row.set(KEYS, i.keys()).set(PAGES, i.pages()).set(COMPRESSED, i.compressed()).set(RAW, i.raw()).set(ZERO,
                    i.zero()).set(MOVED, i.moved()).set(REGIONS, (long) i.regions()).set(STORED, i.storedBytes()).set(
                            UNRESOLVED, i.unresolved());
            for (String p : i.problems()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, i.index() < 0 ? subject : "store " + i.index(),
                        p));
            }
        }
        for (String p : store.problems()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, p));
        }
        monitor.done();
        return result;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
