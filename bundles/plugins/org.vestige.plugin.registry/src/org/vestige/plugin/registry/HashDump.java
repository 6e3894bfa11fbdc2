package org.vestige.plugin.registry;

import java.util.HexFormat;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.SamAccount;
import org.vestige.registry.credentials.SamDump;
import org.vestige.registry.credentials.SamHashes;

/** {@code windows.hashdump}: local account hashes from SAM with SYSTEM's boot key. */
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
        try (HiveFiles files = HiveFiles.open(context)) {
            HiveFiles.Named system = files.require(files.system(), "SYSTEM");
            HiveFiles.Named sam = files.require(files.sam(), "SAM");
            BootKey bootKey;
            try {
                bootKey = BootKey.fromSystem(system.hive());
            } catch (RuntimeException e) {
                throw new AnalysisException("no boot key in " + system.path() + ": " + e.getMessage(), e);
            }
            result.add(new Diagnostic(Diagnostic.Severity.INFO, system.path().getFileName().toString(),
                    "boot key " + bootKey.hex()));
            SamDump dump = SamHashes.dump(sam.hive(), bootKey);
            if (!dump.bootKeyMatches()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, sam.path().getFileName().toString(),
                        "the hashed boot key does not verify: this SAM may not belong to that SYSTEM hive ("
                                + dump.hashedBootKey().verification() + ")"));
            }
            dump.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, sam.path()
                    .getFileName().toString(), p)));
            for (SamAccount a : dump.accounts()) {
                Row row = table.addRow().set(USER, a.name()).set(RID, a.rid());
                hash(row, LM, a.lmHash(), a.lmState(), SamAccount.EMPTY_LM);
                hash(row, NT, a.ntHash(), a.ntState(), SamAccount.EMPTY_NT);
                a.hashdumpLine().ifPresentOrElse(l -> row.set(LINE, l), () -> row.missing(LINE,
                        "hashes could not be decrypted" + (a.notes().isEmpty() ? "" : ": " + String.join("; ", a
                                .notes()))));
            }
        }
        return result;
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
