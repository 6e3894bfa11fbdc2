package org.vestige.layer.aff4.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.vestige.layer.aff4.Aff4Codec;

/**
 * Writes one AFF4 Standard image stream into a {@link ZipWriter}: bytes are cut into chunks, each compressed on a
 * thread pool (a chunk that does not shrink by more than 16 bytes is stored raw, at exactly the chunk size, as the
 * standard says), and written a bevy at a time as {@code <stream>/<n>} with its {@code <stream>/<n>.index} and, when
 * asked for, one {@code <stream>/<n>.blockHash.<alg>} segment per block-hash algorithm. A final partial chunk is
 * compressed; if it does not shrink it is padded with zeros to a full raw chunk (the stream size stays exact).
 */
public final class ImageStreamWriter {

    private final String urn;
    private final String memberPrefix;
    private final ZipWriter zip;
    private final Aff4Codec codec;
    private final int chunkSize;
    private final int chunksPerSegment;
    private final ExecutorService pool;
    private final byte[] bevy;
    private final List<Digester> linear = new ArrayList<>();
    private final List<String> blockAlgorithms;
    private final Map<String, Digester> blockSegmentHashes = new LinkedHashMap<>();
    private int filled;
    private int bevyNumber;
    private long size;

    /**
     * @param memberPrefix    the zip member name of the stream's URN (segment names are appended to it)
     * @param linearHashes    algorithms of the whole-stream hashes (aff4:hash)
     * @param blockAlgorithms algorithms of per-chunk block hashes, possibly empty
     */
    public ImageStreamWriter(String urn, String memberPrefix, ZipWriter zip, Aff4Codec codec, int chunkSize,
            int chunksPerSegment, ExecutorService pool, List<String> linearHashes, List<String> blockAlgorithms) {
        this.urn = urn;
        this.memberPrefix = memberPrefix;
        this.zip = zip;
        this.codec = codec;
        this.chunkSize = chunkSize;
        this.chunksPerSegment = chunksPerSegment;
        this.pool = pool;
        this.bevy = new byte[Math.multiplyExact(chunkSize, chunksPerSegment)];
        for (String a : linearHashes) {
            linear.add(Digester.create(a));
        }
        this.blockAlgorithms = List.copyOf(blockAlgorithms);
        for (String a : blockAlgorithms) {
            blockSegmentHashes.put(a, Digester.create("SHA512"));
        }
    }

    public String urn() {
        return urn;
    }

    /** @return bytes written to the stream so far */
    public long size() {
        return size;
    }

    public void write(byte[] data, int offset, int length) throws IOException {
        int o = offset;
        int remaining = length;
        while (remaining > 0) {
            int n = Math.min(remaining, bevy.length - filled);
            System.arraycopy(data, o, bevy, filled, n);
            for (Digester d : linear) {
                d.update(data, o, n);
            }
            filled += n;
            size += n;
            o += n;
            remaining -= n;
            if (filled == bevy.length) {
                flushBevy();
            }
        }
    }

    private record Compressed(byte[] data, int offset, int length, byte[][] blockDigests) {
    }

    private void flushBevy() throws IOException {
        if (filled == 0) {
            return;
        }
        int chunks = (filled + chunkSize - 1) / chunkSize;
        List<Future<Compressed>> futures = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            int start = i * chunkSize;
            int length = Math.min(chunkSize, filled - start);
            futures.add(pool.submit(() -> compressChunk(start, length)));
        }
        List<byte[]> parts = new ArrayList<>(chunks);
        ByteBuffer index = ByteBuffer.allocate(chunks * 12).order(ByteOrder.LITTLE_ENDIAN);
        List<ByteBuffer> blockSegments = new ArrayList<>();
        for (String a : blockAlgorithms) {
            blockSegments.add(ByteBuffer.allocate(chunks * Digester.length(a)));
        }
        long offset = 0;
        try {
            for (Future<Compressed> f : futures) {
                Compressed c = f.get();
                byte[] part = c.offset == 0 && c.length == c.data.length ? c.data
                        : java.util.Arrays.copyOfRange(c.data, c.offset, c.offset + c.length);
                parts.add(part);
                index.putLong(offset).putInt(part.length);
                offset += part.length;
                for (int a = 0; a < blockAlgorithms.size(); a++) {
                    blockSegments.get(a).put(c.blockDigests[a]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing " + urn, e);
        } catch (ExecutionException e) {
            throw new IOException("compressing a chunk of " + urn + " failed: " + e.getCause(), e.getCause());
        }
        String bevyName = memberPrefix + "/" + String.format("%08d", bevyNumber);
        zip.addStored(bevyName, parts);
        zip.addStored(bevyName + ".index", index.array());
        for (int a = 0; a < blockAlgorithms.size(); a++) {
            String alg = blockAlgorithms.get(a);
            byte[] seg = blockSegments.get(a).array();
            zip.addStored(bevyName + ".blockHash." + alg.toLowerCase(Locale.ROOT), seg);
            blockSegmentHashes.get(alg).update(seg);
        }
        bevyNumber++;
        filled = 0;
    }

    private Compressed compressChunk(int start, int length) {
        byte[][] digests = new byte[blockAlgorithms.size()][];
        for (int a = 0; a < digests.length; a++) {
            Digester d = Digester.create(blockAlgorithms.get(a));
            d.update(bevy, start, length);
            digests[a] = d.digest();
        }
        byte[] c = ChunkCodec.compress(codec, bevy, start, length);
        if (c.length < chunkSize - 16) {
            return new Compressed(c, 0, c.length, digests);
        }
        if (length == chunkSize) {
            return new Compressed(java.util.Arrays.copyOfRange(bevy, start, start + length), 0, length, digests);
        }
        // An incompressible final partial chunk is padded to a full raw chunk: only full chunks are known raw.
        byte[] padded = new byte[chunkSize];
        System.arraycopy(bevy, start, padded, 0, length);
        return new Compressed(padded, 0, chunkSize, digests);
    }

    /** The finished stream: its size, whole-stream digests and block-hash segment digests (SHA512). */
    public record Result(String urn, long size, int bevies, Map<String, byte[]> linearHashes,
            Map<String, byte[]> blockHashSegmentHashes) {
    }

    /** Writes the last bevy. */
    public Result finish() throws IOException {
        flushBevy();
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (Digester d : linear) {
            hashes.put(d.name(), d.digest());
        }
        Map<String, byte[]> blocks = new LinkedHashMap<>();
        blockSegmentHashes.forEach((a, d) -> blocks.put(a, d.digest()));
        return new Result(urn, size, bevyNumber, hashes, blocks);
    }
}
