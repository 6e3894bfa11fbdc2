package org.vestige.plugin.aff4;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.evidence.Digests;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceHasher;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.aff4.Aff4Format;
import org.vestige.layer.aff4.Aff4Options;
import org.vestige.layer.aff4.Aff4Resolver;
import org.vestige.layer.aff4.Aff4VolumeSet;
import org.vestige.layer.aff4.Aff4Verifier;

/**
 * {@code evidence.verify}: the digests the case recorded for each evidence file (when this case opened it, or on an
 * earlier open the case cache kept), recomputed and compared; and for an AFF4 volume, the hashes it stores about
 * itself, checked.
 */
public final class VerifyEvidence implements Analysis {

    public static final Column<String> SUBJECT = Column.string("Stream");
    public static final Column<String> WHAT = Column.string("Hash");
    public static final Column<String> ALGORITHM = Column.string("Algorithm");
    public static final Column<String> STATUS = Column.string("Status");
    public static final Column<String> EXPECTED = Column.hash("Stored");
    public static final Column<String> COMPUTED = Column.hash("Computed");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        EvidenceCase c = context.requireEvidence();
        try {
            c.awaitDigests(monitor);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        ResultTable table = ResultTable.of(SUBJECT, WHAT, ALGORITHM, STATUS, EXPECTED, COMPUTED, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        SubMonitor progress = SubMonitor.convert(monitor, 1 + c.pagefiles().size() + 1);
        checkRecorded(c.image(), table, result, progress.split(1));
        for (EvidenceCase.SuppliedPagefile p : c.pagefiles()) {
            checkRecorded(p.record(), table, result, progress.split(1));
        }
        if (!Aff4Format.ID.equals(c.evidence().formatId())) {
            result.add(new Diagnostic(Diagnostic.Severity.INFO, c.image().path().getFileName().toString(),
                    "a " + c.evidence().formatId() + " image stores no hashes of its own; the digests the case "
                            + "recorded were checked"));
            return result;
        }
        monitor = progress.split(1);
        List<Path> volumes = new ArrayList<>();
        volumes.add(c.image().path());
        c.companions().forEach(r -> volumes.add(r.path()));
        for (Path v : context.options().all("volume", Path.class)) {
            try {
                EvidenceCase.requireReadableFile(v);
            } catch (EvidenceException e) {
                throw new AnalysisException(e.getMessage(), e);
            }
            volumes.add(v);
        }
        try (Aff4Resolver resolver = Aff4VolumeSet.open(volumes, Aff4Options.defaults()).resolver()) {
            Aff4Verifier.Report report;
            try {
                report = new Aff4Verifier(resolver).verify(new MonitoredScan(monitor, "Verifying the hashes of "
                        + c.image().path().getFileName()));
            } catch (CancellationException e) {
                throw new OperationCanceledException(e.getMessage());
            }
            for (Aff4Verifier.HashCheck h : report.checks()) {
                Row row = table.addRow().set(SUBJECT, h.subject()).set(WHAT, h.what()).set(ALGORITHM, h.algorithm())
                        .set(STATUS, h.status().name().toLowerCase(java.util.Locale.ROOT)).set(DETAIL, h.detail());
                cell(row, EXPECTED, h.expected());
                cell(row, COMPUTED, h.computed());
                if (h.status() == Aff4Verifier.Status.MISMATCH) {
                    result.add(new Diagnostic(Diagnostic.Severity.ERROR, h.subject(), h.what() + " (" + h
                            .algorithm() + ") does not match: " + h.detail()));
                    result.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE);
                }
            }
            result.add(new Diagnostic(report.verified() ? Diagnostic.Severity.INFO : Diagnostic.Severity.WARNING,
                    c.image().path().getFileName().toString(), report.count(Aff4Verifier.Status.MATCH) + " match, "
                            + report.count(Aff4Verifier.Status.MISMATCH) + " mismatch, " + report.count(
                                    Aff4Verifier.Status.NOT_CHECKED) + " not checked, " + report.count(
                                            Aff4Verifier.Status.ERROR) + " could not be computed"));
        } catch (EvidenceException | IOException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        return result;
    }

    /**
     * Recomputes a file's digests and compares them with those the case recorded, one row per algorithm; a
     * mismatch is an integrity failure (the file changed since the digests were taken).
     */
    private static void checkRecorded(EvidenceRecord r, ResultTable table, AnalysisResult result,
            IProgressMonitor monitor) throws AnalysisException {
        String name = r.path().getFileName().toString();
        if (r.digests() == null) {
            table.addRow().set(SUBJECT, name).set(WHAT, "digests recorded by the case").set(ALGORITHM, "-").set(
                    STATUS, "not checked").set(DETAIL, "not hashed (--no-hash) and no digests in the case cache")
                    .missing(EXPECTED, "none").missing(COMPUTED, "none");
            return;
        }
        Digests now;
        try {
            now = EvidenceHasher.hash(r.path(), monitor);
        } catch (IOException e) {
            throw new AnalysisException(r.path() + ": cannot be read to recompute its digests: " + e.getMessage(), e);
        }
        String recorded = "digests recorded " + (r.fromCache() ? "on an earlier open" : "when the case opened it")
                + ", at " + r.hashedAt();
        String computed = "recomputed at " + Instant.now();
        compare(table, result, name, recorded, "MD5", r.digests().md5(), now.md5(), computed);
        compare(table, result, name, recorded, "SHA-1", r.digests().sha1(), now.sha1(), computed);
        compare(table, result, name, recorded, "SHA-256", r.digests().sha256(), now.sha256(), computed);
    }

    private static void compare(ResultTable table, AnalysisResult result, String name, String recorded,
            String algorithm, String expected, String computed, String when) {
        boolean match = expected.equalsIgnoreCase(computed);
        table.addRow().set(SUBJECT, name).set(WHAT, recorded).set(ALGORITHM, algorithm).set(STATUS, match ? "match"
                : "mismatch").set(EXPECTED, expected).set(COMPUTED, computed).set(DETAIL, match ? when : when
                        + "; the file changed since its digests were taken");
        if (!match) {
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, name, algorithm + " does not match the digest "
                    + recorded + ": the file changed since"));
            result.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE);
        }
    }

    private static void cell(Row row, Column<String> column, String value) {
        if (value == null || value.isEmpty()) {
            row.missing(column, "none");
        } else {
            row.set(column, value);
        }
    }
}
