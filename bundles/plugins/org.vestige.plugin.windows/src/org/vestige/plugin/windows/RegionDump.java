package org.vestige.plugin.windows;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;

/**
 * Writes regions of an address space to a file page by page, with a provenance sidecar (CSV: file
 * offset, virtual address, kind, source) so every byte of the output can be accounted for. Pages that
 * cannot be read are left as holes (the file stays sparse) and listed, never silently written as
 * zeros.
 */
final class RegionDump implements AutoCloseable {

    static final int PAGE = 4096;

    /** A page that could not be read. */
    record MissingPage(long virtualAddress, long fileOffset, PageProvenance.Missing missing) {

        String reason() {
            return missing.reason();
        }
    }

    private static final byte[] ZEROS = new byte[PAGE];

    private final Path file;
    private final FileChannel out;
    private final BufferedWriter sidecar;
    private final MessageDigest sha;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<MissingPage> missing = new ArrayList<>();
    private long written;
    private long size;
    /** contiguous pages not yet written, so the file is written in large runs rather than page by page */
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
    private long pendingAt;

    RegionDump(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.sidecar = Files.newBufferedWriter(sidecar(file), StandardCharsets.UTF_8);
        this.sidecar.write("FileOffset,VirtualAddress,Kind,Source\r\n");
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + ".provenance.csv");
    }

    /** @return the finished sidecar of a dump as an output file, with its digest */
    static org.vestige.core.result.OutputFile sidecarFile(Path dump) throws org.vestige.core.plugin.AnalysisException {
        Path side = sidecar(dump);
        try {
            return org.vestige.core.result.OutputFile.of(side, "per-page provenance of " + dump.getFileName());
        } catch (IOException e) {
            throw new org.vestige.core.plugin.AnalysisException("cannot read " + side + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies {@code length} bytes at {@code address} of {@code layer} to {@code fileOffset}, page by
     * page. Regions must be copied in file order, without gaps, so the digest is computed as the file
     * is written (a hole hashes as the zeros it reads as).
     */
    void copy(Layer layer, long address, long length, long fileOffset) throws IOException {
        byte[] page = new byte[PAGE];
        for (long done = 0; done < length; done += PAGE) {
            int n = (int) Math.min(PAGE, length - done);
            long va = address + done;
            PageProvenance[] seen = new PageProvenance[1];
            layer.read(va, page, 0, n, (a, l, p) -> {
                if (seen[0] == null || !p.isAvailable()) {
                    seen[0] = p;
                }
            });
            PageProvenance p = seen[0] == null ? new PageProvenance.Missing(new MissingCause.OutsideImage(), "nothing read") : seen[0];
            long at = fileOffset + done;
            counts.merge(source(p), 1L, Long::sum);
            if (at != size) {
                throw new IllegalArgumentException("regions must be copied in file order: 0x" + Long.toHexString(at)
                        + " after 0x" + Long.toHexString(size));
            }
            if (p.isAvailable()) {
                if (pending.position() > 0 && (pendingAt + pending.position() != at || pending.remaining() < n)) {
                    flush();
                }
                if (pending.position() == 0) {
                    pendingAt = at;
                }
                pending.put(page, 0, n);
                sha.update(page, 0, n);
                written += n;
            } else {
                flush();
                sha.update(ZEROS, 0, n);
                missing.add(new MissingPage(va, at, (PageProvenance.Missing) p));
            }
            size = Math.max(size, at + n);
            sidecar.write(CellFormat.address(at) + "," + CellFormat.address(va) + "," + p.kind() + ",\""
                    + CellFormat.provenance(p).replace("\"", "\"\"") + "\"\r\n");
        }
    }

    private void flush() throws IOException {
        pending.flip();
        long at = pendingAt;
        while (pending.hasRemaining()) {
            at += out.write(pending, at);
        }
        pending.clear();
    }

    Map<String, Long> counts() {
        return counts;
    }

    List<MissingPage> missing() {
        return missing;
    }

    long written() {
        return written;
    }

    Path file() {
        return file;
    }

    /** @return the SHA-256 of the finished file (holes read as zeros, as any tool will read them) */
    String finish() throws IOException {
        flush();
        if (out.size() < size) {
            out.write(ByteBuffer.allocate(1), size - 1); // keep the logical size when the tail is a hole
        }
        out.force(false);
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            try {
                sidecar.close();
            } finally {
                out.close();
            }
        }
    }

    /** @return the summary's name for where a page came from: paging files by number and name */
    private static String source(PageProvenance p) {
        return switch (p) {
            case PageProvenance.Pagefile pf -> "pagefile " + pf.slot() + " (" + pf.file() + ")";
            case PageProvenance.Compressed c -> "compressed store";
            default -> p.kind();
        };
    }

    /** A one-line summary: how many pages came from where. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return sb.toString();
    }
}
