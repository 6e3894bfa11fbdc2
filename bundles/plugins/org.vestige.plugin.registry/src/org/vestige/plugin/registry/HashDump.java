package org.vestige.plugin.registry;

import java.util.HexFormat;

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
import org.vestige.registry.HiveDataMissingException;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.SamAccount;
import org.vestige.registry.credentials.SamDump;
import org.vestige.registry.credentials.SamHashes;

/**
 * {@code windows.hashdump}: local account hashes from SAM with SYSTEM's boot key, from hive files or
 * from the hives loaded in a memory image. Cells that cannot be read (pages paged out, compressed,
 * not captured) are named with their pages; no hash is ever printed from bytes that were not read.
 */
public final class HashDump implements Analysis {

    public static final Column<String> USER = Column.string("User");
    public static final Column<Long> RID = Column.integer("RID");
    public static final Column<String> LM = Column.hash("LMHash");
    public static final Column<String> NT = Column.hash("NTHash");
    public static final Column<String> LINE = Column.string("Hashdump");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(USER, RID, LM, NT, LINE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        // opening the hives (files, or those the kernel lists in memory) is most of the work
        SubMonitor progress = SubMonitor.convert(monitor, "Reading the SAM hashes", 10);
        progress.subTask("Finding the SYSTEM and SAM hives");
        try (Hives hives = Hives.open(context, 0)) {
            progress.split(8);
            result.addAll(hives.notes());
            Hives.Named system = hives.require(hives.system(), "SYSTEM");
            Hives.Named sam = hives.require(hives.sam(), "SAM");
            progress.subTask("Decrypting the SAM hashes");
            BootKey bootKey = bootKey(system, result);
            if (bootKey == null) {
                return result;
            }
            SamDump dump;
            try {
                dump = SamHashes.dump(sam.hive(), bootKey);
            } catch (HiveDataMissingException e) {
                if (!sam.inMemory()) {
                    throw new AnalysisException(sam.name() + ": " + e.getMessage(), e);
                }
                unreadable(result, sam, "the SAM domain key cannot be read, so no hash can be decrypted: "
                        + e.getMessage());
                return result;
            } catch (RuntimeException e) {
                throw new AnalysisException(sam.label() + ": " + e.getMessage(), e);
            }
            progress.split(2);
            if (!dump.bootKeyMatches()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, sam.label(),
                        "the hashed boot key does not verify: this SAM may not belong to that SYSTEM hive ("
                                + dump.hashedBootKey().verification() + ")"));
            }
            dump.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, sam.label(), p)));
            for (SamAccount a : dump.accounts()) {
                Row row = table.addRow().set(USER, a.name()).set(RID, a.rid());
                hash(row, LM, a.lmHash(), a.lmState(), SamAccount.EMPTY_LM);
                hash(row, NT, a.ntHash(), a.ntState(), SamAccount.EMPTY_NT);
                a.hashdumpLine().ifPresentOrElse(l -> row.set(LINE, l), () -> row.missing(LINE,
                        "hashes could not be decrypted" + (a.notes().isEmpty() ? "" : ": " + String.join("; ", a
                                .notes()))));
            }
            if (sam.inMemory() && !dump.problems().isEmpty()) {
                String pages = sam.unreadablePages();
                if (!pages.isEmpty()) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, sam.label(), pages));
                }
            }
        }
        return result;
    }

    /**
     * Reads SYSTEM's boot key, reported as an INFO diagnostic.
     *
     * @return the key, or null when a hive in memory could not be read (the reason and pages reported)
     */
    static BootKey bootKey(Hives.Named system, AnalysisResult result) throws AnalysisException {
        BootKey bootKey;
        try {
            bootKey = BootKey.fromSystem(system.hive());
        } catch (HiveDataMissingException e) {
            if (!system.inMemory()) {
                throw new AnalysisException("no boot key in " + system.name() + ": " + e.getMessage(), e);
            }
            unreadable(result, system, "the boot key cannot be read: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            throw new AnalysisException("no boot key in " + system.label() + ": " + e.getMessage(), e);
        }
        result.add(new Diagnostic(Diagnostic.Severity.INFO, system.label(), "boot key " + bootKey.hex()));
        return bootKey;
    }

    /** Reports a hive in memory whose cells could not be read, naming its unreadable pages. */
    static void unreadable(AnalysisResult result, Hives.Named hive, String what) {
        result.add(new Diagnostic(Diagnostic.Severity.ERROR, hive.label(), what));
        String pages = hive.unreadablePages();
        if (!pages.isEmpty()) {
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, hive.label(), pages));
        }
    }

    /** A stored hash, the empty hash when the account stores none, or missing with the reason. */
    private static void hash(Row row, Column<String> column, java.util.Optional<byte[]> hash,
            SamAccount.HashState state, String empty) {
        switch (state) {
            case DECRYPTED -> row.set(column, HexFormat.of().formatHex(hash.orElseThrow()));
            case ABSENT -> row.set(column, empty);
            case NOT_DECRYPTED -> row.missing(column, "stored but not decrypted");
        }
    }
}
