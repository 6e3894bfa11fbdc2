package org.vestige.layer.aff4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ScanProgress;
import org.vestige.layer.aff4.internal.Digester;

/**
 * Writes a stream (the physical memory map, a paging file, any layer) to a raw file, hashing the bytes as it writes
 * them. Regions the layer reports {@link PageProvenance.Missing} and fills with zeros (map gaps in a memory image)
 * are not written but skipped over, so the file is sparse there on file systems that support it; the file still
 * reads back as the layer does, and the hashes cover every byte including the holes. Runs of missing bytes are
 * listed in the result so the export can be documented.
 *
 * @since 0.1
 */
public final class Aff4Exporter {

    /**
     * A run of bytes that the layer could not supply.
     *
     * @param offset where it starts in the exported file
     * @param length its length
     * @param cause  why the run is missing, as the layer reported it
     * @param reason the layer's reason
     */
    public record MissingRun(long offset, long length, MissingCause cause, String reason) {
    }

    /**
     * What was exported.
     *
     * @param file         the output file
     * @param size         its logical size (the layer's size)
     * @param bytesWritten bytes actually written (the rest are holes)
     * @param hashes       algorithm (AFF4 name) to lower-case hex digest of all {@code size} bytes
     * @param missing      the runs the layer reported missing, merged, at most {@code maxMissingRuns} of them
     * @param missingBytes total bytes reported missing
     */
    public record Result(Path file, long size, long bytesWritten, Map<String, String> hashes, List<MissingRun> missing,
            long missingBytes) {
    }

    private static final int BLOCK = 1 << 20;
    private static final int MAX_MISSING_RUNS = 100_000;

    private Aff4Exporter() {
    }

    /**
     * Exports {@code layer} to {@code out}, which must not exist.
     *
     * @param hashAlgorithms algorithms to hash with (MD5, SHA1, SHA256, SHA512, Blake2b)
     */
    public static Result export(Layer layer, Path out, List<String> hashAlgorithms) throws IOException {
        return export(layer, out, hashAlgorithms, ScanProgress.NONE);
    }

    /**
     * Exports as {@link #export(Layer, Path, List)} does, reporting the bytes read. When
     * {@code progress} is cancelled the partial file is deleted.
     *
     * @throws CancellationException when {@code progress} is cancelled
     * @since 0.1
     */
    public static Result export(Layer layer, Path out, List<String> hashAlgorithms, ScanProgress progress)
            throws IOException {
        boolean existed = Files.exists(out, LinkOption.NOFOLLOW_LINKS);
        try {
            return copy(layer, out, hashAlgorithms, progress);
        } catch (IOException | RuntimeException e) {
            // a cancelled export must not leave a file that looks like the whole stream
            if (!existed && (e instanceof CancellationException || progress.isCanceled())) {
                Files.deleteIfExists(out);
            }
            throw e;
        }
    }

    private static Result copy(Layer layer, Path out, List<String> hashAlgorithms, ScanProgress progress)
            throws IOException {
        List<Digester> digests = new ArrayList<>();
        for (String a : hashAlgorithms) {
            digests.add(Digester.create(a));
        }
        List<MissingRun> missing = new ArrayList<>();
        long[] missingBytes = new long[1];
        long written = 0;
        long size = layer.size();
        byte[] buffer = new byte[BLOCK];
        progress.begin(size);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < size; pos += BLOCK) {
                if (progress.isCanceled()) {
                    throw new CancellationException("export cancelled after " + pos + " of " + size + " bytes");
                }
                int n = (int) Math.min(BLOCK, size - pos);
                List<long[]> holes = new ArrayList<>();
                long base = pos;
                layer.read(pos, buffer, 0, n, (a, l, p) -> {
                    if (p instanceof PageProvenance.Missing m) {
                        missingBytes[0] += l;
                        addMissing(missing, a, l, m);
                        if (allZero(buffer, (int) (a - base), l)) {
                            holes.add(new long[] {a - base, l});
                        }
                    }
                });
                for (Digester d : digests) {
                    d.update(buffer, 0, n);
                }
                int at = 0;
                for (long[] h : holes) {
                    written += writeAt(ch, buffer, at, (int) h[0] - at, pos + at);
                    at = (int) (h[0] + h[1]);
                }
                written += writeAt(ch, buffer, at, n - at, pos + at);
                progress.worked(n);
            }
            if (ch.size() < size) {
                // A trailing hole: extend the file to its logical size with one zero byte at the end.
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
                written++;
            }
        }
        progress.done();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Digester d : digests) {
            hashes.put(d.name(), Digester.hex(d.digest()));
        }
        return new Result(out, size, written, hashes, List.copyOf(missing), missingBytes[0]);
    }

    private static void addMissing(List<MissingRun> runs, long offset, long length, PageProvenance.Missing m) {
        if (!runs.isEmpty()) {
            MissingRun last = runs.get(runs.size() - 1);
            if (last.offset() + last.length() == offset && last.cause().equals(m.cause()) && last.reason().equals(m
                    .reason())) {
                runs.set(runs.size() - 1, new MissingRun(last.offset(), last.length() + length, m.cause(), m
                        .reason()));
                return;
            }
        }
        if (runs.size() < MAX_MISSING_RUNS) {
            runs.add(new MissingRun(offset, length, m.cause(), m.reason()));
        }
    }

    private static boolean allZero(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static long writeAt(FileChannel ch, byte[] buffer, int offset, int length, long position) throws IOException {
        if (length <= 0) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
        return length;
    }
}
