package org.vestige.plugin.aff4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.aff4.Aff4Exporter;

/**
 * {@code aff4.export}: a stream of the evidence — its physical memory, or a pagefile carried in it —
 * to a raw file, sparse over the gaps, hashed as it is written.
 */
public final class ExportStream implements Analysis {

    public static final Column<String> STREAM = Column.string("Stream");
    public static final Column<Long> OFFSET = Column.address("Offset");
    public static final Column<Long> LENGTH = Column.size("Length");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        EvidenceCase c = context.requireEvidence();
        String which = context.options().string("stream").orElse("physical").strip();
        Layer layer;
        String label;
        if (which.equals("physical")) {
            layer = c.physical();
            label = "physical";
        } else {
            OpenedEvidence.BackingFile match = null;
            for (OpenedEvidence.BackingFile b : c.evidence().backing()) {
                if (which.equals("pagefile " + b.slot()) || which.equals("pagefile" + b.slot()) || which.equals(b
                        .name())) {
                    match = b;
                }
            }
            if (match == null) {
                throw new AnalysisException("no stream '" + which + "' in " + c.image().path().getFileName()
                        + "; streams: physical" + c.evidence().backing().stream().map(b -> ", pagefile " + b.slot()
                                + " (" + b.name() + ")").reduce("", String::concat));
            }
            layer = match.layer();
            label = match.name();
        }
        String name = context.options().string("name").orElse(which.equals("physical") ? stem(c) + ".raw"
                : label.replaceAll(".*[\\\\/]", ""));
        Path out = context.outputFile(name);
        ResultTable table = ResultTable.of(STREAM, OFFSET, LENGTH, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        try {
            Files.createDirectories(out.getParent());
            Aff4Exporter.Result r = Aff4Exporter.export(layer, out, List.of("SHA-256"), new MonitoredScan(monitor,
                    "Exporting " + label + " to " + out.getFileName()));
            Row row = table.addRow().set(STREAM, label).set(OFFSET, 0L).set(LENGTH, r.size()).set(DETAIL, "written to "
                    + out + "; " + r.bytesWritten() + " bytes of data, " + r.missingBytes() + " bytes unavailable");
            for (Aff4Exporter.MissingRun m : r.missing()) {
                row.addChild().set(STREAM, label).set(OFFSET, m.offset()).set(LENGTH, m.length()).set(DETAIL,
                        "unavailable: " + m.reason());
            }
            String sha = r.hashes().entrySet().stream().filter(e -> e.getKey().replace("-", "").equalsIgnoreCase(
                    "SHA256")).map(Map.Entry::getValue).findFirst().orElse(null);
            result.addFile(sha != null ? new OutputFile(out, r.size(), sha, label
                    + " exported to raw") : OutputFile.of(out, label + " exported to raw"));
        } catch (CancellationException e) {
            throw new OperationCanceledException(e.getMessage());
        } catch (IOException e) {
            throw new AnalysisException("cannot export " + label + " to " + out + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static String stem(EvidenceCase c) {
        String n = c.image().path().getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
