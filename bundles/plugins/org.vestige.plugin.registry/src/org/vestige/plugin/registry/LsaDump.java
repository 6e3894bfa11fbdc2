package org.vestige.plugin.registry;

import java.util.HexFormat;
import java.util.Optional;

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
import org.vestige.registry.credentials.LsaSecret;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SecretValue;

/** {@code windows.lsadump}: LSA secrets from SECURITY with SYSTEM's boot key. */
public final class LsaDump implements Analysis {

    public static final Column<String> SECRET = Column.string("Secret");
    public static final Column<String> CURRENT = Column.string("Current");
    public static final Column<String> PREVIOUS = Column.string("Previous");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(SECRET, CURRENT, PREVIOUS);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        try (HiveFiles files = HiveFiles.open(context)) {
            HiveFiles.Named system = files.require(files.system(), "SYSTEM");
            HiveFiles.Named security = files.require(files.security(), "SECURITY");
            BootKey bootKey;
            try {
                bootKey = BootKey.fromSystem(system.hive());
            } catch (RuntimeException e) {
                throw new AnalysisException("no boot key in " + system.path() + ": " + e.getMessage(), e);
            }
            org.vestige.registry.credentials.LsaDump dump = LsaSecrets.dump(security.hive(), bootKey);
            String where = security.path().getFileName().toString();
            dump.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, where, p)));
            if (dump.secrets().isEmpty()) {
                for (String name : LsaSecrets.secretNames(security.hive())) {
                    String why = "not decrypted (see diagnostics)";
                    table.addRow().set(SECRET, name).missing(CURRENT, why).missing(PREVIOUS, why);
                }
            }
            for (LsaSecret s : dump.secrets()) {
                Row row = table.addRow().set(SECRET, s.name());
                cell(row, CURRENT, s.decoded(), s.current().isPresent());
                cell(row, PREVIOUS, s.decodedPrevious(), s.previous().isPresent());
                s.notes().forEach(n -> result.add(new Diagnostic(Diagnostic.Severity.INFO, s.name(), n)));
            }
        }
        return result;
    }

    private static void cell(Row row, org.vestige.core.result.Column<String> column, Optional<SecretValue> value,
            boolean present) {
        if (value.isPresent()) {
            row.set(column, value.get().display());
        } else {
            row.missing(column, present ? "could not be decoded" : "no value stored");
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
