package org.vestige.plugin.aff4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.layer.aff4.Aff4Codec;
import org.vestige.layer.aff4.Aff4Writer;

/**
 * {@code aff4.convert}: a raw memory image and its paging files into one AFF4 Standard volume, laid
 * out as WinPmem 3.x lays out memory.
 */
public final class ConvertToAff4 implements Analysis {

    public static final Column<String> STREAM = Column.string("Stream");
    public static final Column<String> URN = Column.string("URN");
    public static final Column<Long> SIZE = Column.size("Size");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        EvidenceCase c = context.requireEvidence();
        if (!"raw".equals(c.evidence().formatId())) {
            throw new AnalysisException("aff4.convert writes raw images; " + c.image().path().getFileName() + " is "
                    + c.evidence().formatId() + " (export it with aff4.export first)");
        }
        Aff4Codec codec = Aff4Codec.valueOf(context.options().string("codec").orElse("snappy").toUpperCase(
                Locale.ROOT));
        Path out = context.outputFile(context.options().string("name").orElse("memory.aff4"));
        ResultTable table = ResultTable.of(STREAM, URN, SIZE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        MonitoredScan progress = new MonitoredScan(monitor, "Writing " + out.getFileName());
        progress.begin(c.image().size() + c.pagefiles().stream().mapToLong(p -> p.record().size()).sum());
        boolean existed = Files.exists(out);
        try {
            Files.createDirectories(out.getParent());
            try (Aff4Writer writer = Aff4Writer.create(out, Aff4Writer.Settings.defaults(codec)).progress(progress)) {
                String map = writer.writePhysicalMemory(c.image().path(), null);
                table.addRow().set(STREAM, "physical memory").set(URN, map).set(SIZE, c.image().size());
                int next = 0;
                for (EvidenceCase.SuppliedPagefile p : c.pagefiles()) {
                    int slot = p.slot() >= 0 ? p.slot() : next;
                    next = Math.max(next, slot + 1);
                    String system = (slot == 1 ? "C:\\swapfile.sys" : "C:\\pagefile.sys");
                    String urn = writer.writePagefile(p.record().path(), system, slot);
                    table.addRow().set(STREAM, "pagefile " + slot + " (" + system + ")").set(URN, urn).set(SIZE, p
                            .record().size());
                }
            }
            progress.done();
            result.addFile(OutputFile.of(out, "AFF4 volume (" + codec.name().toLowerCase(Locale.ROOT) + ")"));
        } catch (CancellationException | OperationCanceledException e) {
            // a cancelled volume is closed but incomplete: do not leave it looking like a conversion
            if (!existed) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // the cancel is what to report
                }
            }
            throw new OperationCanceledException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new AnalysisException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return result;
    }
}
