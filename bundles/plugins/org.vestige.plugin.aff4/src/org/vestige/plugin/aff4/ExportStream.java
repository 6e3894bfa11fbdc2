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
import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.aff4.Aff4Exporter;
import org.vestige.layer.aff4.Aff4Options;
import org.vestige.layer.aff4.Aff4Resolver;
import org.vestige.layer.aff4.Aff4VolumeSet;

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
        String which = context.options().string("stream").orElse("physical").strip();
        List<Path> volumes = context.options().all("volume", Path.class);
        if (!volumes.isEmpty()) {
            return fromVolumes(context, volumes, which, monitor);
        }
        EvidenceCase c = context.evidenceCase().orElseThrow(() -> new AnalysisException(context.plugin().id()
                + " needs evidence (-f IMAGE) or AFF4 volumes (--volume FILE)"));
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
        String name = context.options().string("name").orElse(which.equals("physical") ? stem(c.image().path())
                + ".raw" : label.replaceAll(".*[\\\\/]", ""));
        return export(context, layer, label, name, monitor);
    }

    /** Exports a stream or logical file of AFF4 volumes opened on their own (they need not hold memory). */
    private static AnalysisResult fromVolumes(AnalysisContext context, List<Path> volumes, String which,
            IProgressMonitor monitor) throws AnalysisException {
        for (Path v : volumes) {
            try {
                EvidenceCase.requireReadableFile(v);
            } catch (EvidenceException e) {
                throw new AnalysisException(e.getMessage(), e);
            }
        }
        try (Aff4Resolver resolver = Aff4VolumeSet.open(volumes, Aff4Options.defaults()).resolver()) {
            List<Aff4Resolver.Content> contents = resolver.contents();
            String urn = which.equals("physical") ? resolver.primaryImage().orElse(null) : contents.stream().filter(
                    x -> x.urn().equals(which) || x.name().equals(which) || x.name().replaceAll(".*[\\\\/]", "")
                            .equals(which)).map(Aff4Resolver.Content::urn).findFirst().orElse(resolver.streamUrns()
                                    .contains(which) ? which : null);
            if (urn == null) {
                throw new AnalysisException("no stream '" + which + "' in " + volumes.get(0).getFileName()
                        + "; it holds: " + contents.stream().map(x -> (x.name().isEmpty() ? x.urn() : x.name())
                                + " (" + x.size() + " bytes)").collect(java.util.stream.Collectors.joining(", ")));
            }
            String label = contents.stream().filter(x -> x.urn().equals(urn) && !x.name().isEmpty()).map(
                    Aff4Resolver.Content::name).findFirst().orElse(urn);
            String name = context.options().string("name").orElse(urn.equals(label) ? stem(volumes.get(0)) + "-"
                    + urn.replaceAll(".*[/:]", "") + ".raw" : label.replaceAll(".*[\\\\/]", ""));
            return export(context, resolver.stream(urn), label, name, monitor);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        } catch (IOException e) {
            throw new AnalysisException("cannot close " + volumes.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static AnalysisResult export(AnalysisContext context, Layer layer, String label, String name,
            IProgressMonitor monitor) throws AnalysisException {
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

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
