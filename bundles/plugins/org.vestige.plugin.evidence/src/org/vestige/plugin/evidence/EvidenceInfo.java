package org.vestige.plugin.evidence;

import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.FormatProbe;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;

/**
 * {@code evidence.info}: what the case recorded about each evidence file when it opened it. One
 * row per file (the image, then supplied paging files, then paging files found inside the
 * evidence); under the image, one row per format probe and one per header detail.
 *
 * @since 0.1
 */
public final class EvidenceInfo implements Analysis {

    public static final Column<String> ROLE = Column.string("Role");
    public static final Column<String> NAME = Column.string("Name");
    public static final Column<String> FORMAT = Column.string("Format");
    public static final Column<Long> CONFIDENCE = Column.integer("Confidence");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<java.time.Instant> MODIFIED = Column.time("Modified");
    public static final Column<String> MD5 = Column.hash("MD5");
    public static final Column<String> SHA1 = Column.hash("SHA1");
    public static final Column<String> SHA256 = Column.hash("SHA256");
    public static final Column<java.time.Instant> HASHED = Column.time("Hashed");
    public static final Column<String> DIGESTS = Column.string("Digests");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        EvidenceCase c = context.requireEvidence();
        try {
            c.awaitDigests(monitor);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        ResultTable table = ResultTable.of(ROLE, NAME, FORMAT, CONFIDENCE, SIZE, MODIFIED, MD5, SHA1, SHA256, HASHED,
                DIGESTS, DETAIL);
        OpenedEvidence opened = c.evidence();

        Row image = file(table.addRow(), "image", c.image());
        image.set(FORMAT, opened.formatId());
        c.probes().stream().filter(p -> p.formatId().equals(opened.formatId())).findFirst().ifPresent(
                p -> image.set(CONFIDENCE, (long) p.result().confidence()));
        image.set(DETAIL, "opened read-only at " + c.image().openedAt());
        if (context.options().flag("probes")) {
            for (FormatProbe p : c.probes()) {
                image.addChild().set(ROLE, "probe").set(NAME, p.formatName()).set(FORMAT, p.formatId()).set(
                        CONFIDENCE, (long) p.result().confidence()).set(DETAIL, p.result().explanation());
            }
        }
        for (Map.Entry<String, String> d : opened.properties().entrySet()) {
            image.addChild().set(ROLE, "detail").set(NAME, d.getKey()).set(FORMAT, opened.formatId()).set(DETAIL,
                    d.getValue());
        }
        for (EvidenceRecord v : c.companions()) {
            file(table.addRow(), "volume", v).set(FORMAT, opened.formatId()).set(DETAIL,
                    "a further volume of the evidence set (given with -f), opened read-only at " + v.openedAt());
        }
        for (EvidenceCase.SuppliedPagefile p : c.pagefiles()) {
            file(table.addRow(), "pagefile", p.record()).set(FORMAT, "raw pages").set(DETAIL,
                    p.slot() >= 0 ? "page-file number " + p.slot() + " (given)"
                            : "page-file number from the kernel's records");
        }
        for (OpenedEvidence.BackingFile b : opened.backing()) {
            table.addRow().set(ROLE, "pagefile (in evidence)").set(NAME, b.name()).set(FORMAT, opened.formatId())
                    .set(SIZE, b.layer().size()).set(DETAIL, b.slot() >= 0 ? "page-file number " + b.slot()
                            : "page-file number from the kernel's records");
        }
        return new AnalysisResult(context.plugin().id(), table);
    }

    private static Row file(Row row, String role, EvidenceRecord r) {
        row.set(ROLE, role).set(NAME, r.path().toString()).set(SIZE, r.size()).set(MODIFIED, r.modified());
        if (r.digests() != null) {
            row.set(MD5, r.digests().md5()).set(SHA1, r.digests().sha1()).set(SHA256, r.digests().sha256())
                    .set(HASHED, r.hashedAt()).set(DIGESTS, r.fromCache() ? "case cache" : "computed on open");
        } else {
            String why = "not hashed (--no-hash)";
            row.missing(MD5, why).missing(SHA1, why).missing(SHA256, why).missing(HASHED, why).missing(DIGESTS, why);
        }
        return row;
    }
}
