package org.vestige.plugin.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.codec.XpressCarver;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;

/** {@code codec.carve}: every Xpress-compressed 4 KiB page in a dumped region, written out by offset. */
public final class Carve implements Analysis {

    public static final Column<Long> OFFSET = Column.address("Offset");
    public static final Column<Long> COMPRESSED = Column.size("Compressed");
    public static final Column<String> SHA256 = Column.hash("SHA256");
    public static final Column<String> FILE = Column.string("File");

    /** Regions larger than this are refused rather than read whole. */
    private static final long MAX_REGION = 1L << 30;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        Path input = context.options().path("input").orElseThrow();
        long base = context.options().number("base").orElse(0L);
        byte[] region;
        try {
            EvidenceCase.requireReadableFile(input);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        try {
            long size = Files.size(input);
            if (size > MAX_REGION) {
                throw new AnalysisException(input + " is " + size + " bytes; carve regions of at most 1 GiB");
            }
            region = Files.readAllBytes(input);
        } catch (IOException e) {
            throw new AnalysisException("cannot read " + input + ": " + e.getMessage(), e);
        }
        ResultTable table = ResultTable.of(OFFSET, COMPRESSED, SHA256, FILE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        Path folder = context.outputFile(input.getFileName() + ".pages");
        try {
            Files.createDirectories(folder);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (XpressCarver.CarvedPage page : new XpressCarver().carve(region, 0, region.length)) {
                long offset = base + page.offset();
                Path file = folder.resolve(String.format("%016x.page", offset));
                Files.write(file, page.page());
                String digest = HexFormat.of().formatHex(sha.digest(page.page()));
                table.addRow().set(OFFSET, offset).set(COMPRESSED, (long) page.compressedLength()).set(SHA256, digest)
                        .set(FILE, file.getFileName().toString());
                result.addFile(new OutputFile(file, page.page().length, digest, "page decompressed from offset 0x"
                        + Long.toHexString(offset)));
            }
        } catch (IOException e) {
            throw new AnalysisException("cannot write pages to " + folder + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}
