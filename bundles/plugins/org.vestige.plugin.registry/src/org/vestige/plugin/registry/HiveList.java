package org.vestige.plugin.registry;

import java.time.Instant;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Row;
import org.vestige.registry.BaseBlock;
import org.vestige.registry.HiveException;
import org.vestige.registry.HiveResidence;
import org.vestige.registry.HiveSource;
import org.vestige.registry.LoadedHive;
import org.vestige.registry.MemoryHives;
import org.vestige.registry.Residence;

/**
 * {@code windows.registry.hivelist}: the hives the configuration manager has loaded, from
 * {@code CmpHiveListHead}, with the paths they were loaded under, their sizes, and where the pages of
 * their cell maps are: resident, in transition, paged out, compressed, missing — and how many of them
 * cannot be read from this evidence.
 */
public final class HiveList implements Analysis {

    public static final Column<Long> OFFSET = Column.address("Offset(V)").subject();
    public static final Column<String> FILE_FULL_PATH = Column.string("FileFullPath").subject();
    public static final Column<String> HIVE_ROOT_PATH = Column.string("HiveRootPath").subject();
    /** The base block's {@code TimeStamp}: when the hive was last written (flushed) to its file. */
    public static final Column<Instant> LAST_WRITTEN = Column.time("LastWritten", TimeMeaning.LAST_WRITTEN);
    public static final Column<Long> STABLE = Column.size("Stable");
    public static final Column<Long> VOLATILE = Column.size("Volatile");
    public static final Column<Long> BLOCKS = Column.integer("Blocks");
    public static final Column<Long> RESIDENT = Column.integer("Resident");
    public static final Column<Long> TRANSITION = Column.integer("Transition");
    public static final Column<Long> PAGEFILE = Column.integer("Pagefile");
    public static final Column<Long> COMPRESSED = Column.integer("Compressed");
    public static final Column<Long> DEMAND_ZERO = Column.integer("DemandZero");
    public static final Column<Long> MISSING = Column.integer("Missing");
    public static final Column<Long> UNREADABLE = Column.integer("Unreadable");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        MemoryHives image = MemoryHives.of(context);
        ResultTable table = ResultTable.of(OFFSET, FILE_FULL_PATH, HIVE_ROOT_PATH, LAST_WRITTEN, STABLE, VOLATILE, BLOCKS, RESIDENT,
                TRANSITION, PAGEFILE, COMPRESSED, DEMAND_ZERO, MISSING, UNREADABLE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        result.add(new Diagnostic(Diagnostic.Severity.INFO, MemoryHives.LIST_HEAD, "hive list at 0x" + Long
                .toHexString(image.listHead()) + "; cells read in " + image.layer().name()));
        for (String w : image.listing().warnings()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "hive list", w));
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Counting hive pages", image.hives().size());
        for (LoadedHive h : image.hives()) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            Row row = table.addRow().set(OFFSET, h.address());
            row.set(FILE_FULL_PATH, h.fileFullPath()).set(HIVE_ROOT_PATH, h.hiveRootPath());
            lastWritten(row, image.source(h));
            length(row, STABLE, h.stableLength());
            length(row, VOLATILE, h.volatileLength());
            String subject = h.name() + " (_CMHIVE 0x" + Long.toHexString(h.address()) + ")";
            h.notes().forEach(n -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, n)));
            HiveResidence r = image.residence(h);
            row.set(BLOCKS, (long) r.blocks()).set(RESIDENT, (long) r.count(Residence.RESIDENT))
                    .set(TRANSITION, (long) r.count(Residence.TRANSITION))
                    .set(PAGEFILE, (long) r.count(Residence.PAGEFILE))
                    .set(COMPRESSED, (long) r.count(Residence.COMPRESSED))
                    .set(DEMAND_ZERO, (long) r.count(Residence.DEMAND_ZERO))
                    .set(MISSING, (long) r.count(Residence.MISSING)).set(UNREADABLE, (long) r.unreadable());
            if (r.unreadable() > 0) {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, r.describeUnreadable(
                        Hives.PAGES_NAMED)));
            }
            progress.split(1);
        }
        return result;
    }

    /** The base block's time, or why it cannot be read: its page missing, or a block that is not a base block. */
    private static void lastWritten(Row row, HiveSource source) {
        byte[] block = new byte[HiveSource.BLOCK_SIZE];
        try {
            source.readBaseBlock(block);
        } catch (HiveException e) {
            row.missing(LAST_WRITTEN, e.getMessage());
            return;
        }
        BaseBlock base = BaseBlock.parse(block);
        if (!base.signatureValid()) {
            row.missing(LAST_WRITTEN, "the base block has no regf signature");
        } else if (base.lastWritten() <= 0) {
            row.missing(LAST_WRITTEN, "the base block's TimeStamp is 0x" + Long.toHexString(base.lastWritten()));
        } else {
            row.set(LAST_WRITTEN, base.lastWrittenTime());
        }
    }

    private static void length(Row row, Column<Long> column, long length) {
        if (length >= 0) {
            row.set(column, length);
        } else {
            row.missing(column, "_HHIVE.Storage length unreadable");
        }
    }
}
