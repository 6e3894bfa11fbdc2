package org.vestige.plugin.registry;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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
import org.vestige.registry.HiveException;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaSecret;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SecretValue;

/**
 * {@code windows.lsadump}: LSA secrets from SECURITY with SYSTEM's boot key, from hive files or from the
 * hives loaded in a memory image (unreadable cells are named with their pages, never decrypted from
 * bytes that were not read).
 */
public final class LsaDump implements Analysis {

    public static final Column<String> SECRET = Column.string("Secret");
    public static final Column<String> CURRENT = Column.string("Current");
    public static final Column<String> PREVIOUS = Column.string("Previous");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(SECRET, CURRENT, PREVIOUS);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        // opening the hives (files, or those the kernel lists in memory) is most of the work
        SubMonitor progress = SubMonitor.convert(monitor, "Reading the LSA secrets", 10);
        progress.subTask("Finding the SYSTEM and SECURITY hives");
        try (Hives hives = Hives.open(context, 0)) {
            progress.split(8);
            result.addAll(hives.notes());
            Hives.Named system = hives.require(hives.system(), "SYSTEM");
            Hives.Named security = hives.require(hives.security(), "SECURITY");
            progress.subTask("Decrypting the LSA secrets");
            BootKey bootKey = HashDump.bootKey(system, result);
            if (bootKey == null) {
                return result;
            }
            org.vestige.registry.credentials.LsaDump dump;
            try {
                dump = LsaSecrets.dump(security.hive(), bootKey);
            } catch (HiveDataMissingException e) {
                if (!security.inMemory()) {
                    throw new AnalysisException(security.name() + ": " + e.getMessage(), e);
                }
                HashDump.unreadable(result, security, "the LSA key cannot be read, so no secret can be decrypted: "
                        + e.getMessage());
                return result;
            } catch (RuntimeException e) {
                throw new AnalysisException(security.label() + ": " + e.getMessage(), e);
            }
            progress.split(2);
            String where = security.label();
            dump.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, where, p)));
            if (dump.secrets().isEmpty()) {
                List<String> names;
                try {
                    names = LsaSecrets.secretNames(security.hive());
                } catch (HiveException e) {
                    names = List.of();
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, where, "the secrets cannot be listed: "
                            + e.getMessage()));
                }
                for (String name : names) {
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
            if (security.inMemory() && !dump.problems().isEmpty()) {
                String pages = security.unreadablePages();
                if (!pages.isEmpty()) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, where, pages));
                }
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
