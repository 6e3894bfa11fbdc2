package org.vestige.layer.aff4.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.layer.aff4.Aff4Codec;

/**
 * An {@code aff4:ImageStream}: the stream is cut into chunks of {@code chunkSize} bytes, compressed one by one and
 * stored {@code chunksInSegment} at a time in bevies. Bevy {@code n} is the member {@code <stream>/<n as %08d>}; its
 * index says where each compressed chunk lies in it:
 * <ul>
 * <li>AFF4 Standard: {@code <bevy>.index}, one (u64 offset, u32 length) little-endian entry per chunk;</li>
 * <li>pre-standard (WinPmem 2.x / Rekall, Evimetry 1.x-2.1): {@code <bevy>/index}, u32 chunk boundaries: Rekall's
 * list starts with 0 and the last chunk runs to the bevy's end, Evimetry's list omits the leading 0.</li>
 * </ul>
 * A chunk whose stored length equals the chunk size is stored raw. Reads touch only the chunks they need;
 * decoded chunks go to a shared {@link ChunkCache}; sequential reads decode the next chunks ahead on the decoder
 * pool. Chunks that cannot be read (bevy or index missing, index entry out of range, data that does not
 * decompress, unsupported compression) read as zeros reported {@link PageProvenance.Missing} with the reason;
 * the rest of the stream stays readable.
 */
public final class ImageStream implements Layer {

    /** Refuse bevy indexes larger than this (2^20 chunks a bevy is far beyond any writer). */
    private static final long MAX_INDEX_BYTES = 12L << 20;
    /** Refuse to inflate deflated bevy members larger than this. */
    private static final long MAX_INFLATED_BEVY = 1L << 30;
    private static final int MAX_REMEMBERED_FAILURES = 4096;

    private final String urn;
    private final long size;
    private final int chunkSize;
    private final int chunksPerSegment;
    private final String compressionUri;
    private final Aff4Codec codec;
    private final boolean alwaysCompressed;
    private final Segment.Locator locator;
    private final ChunkCache cache;
    private final int id;
    private final Executor decoder;
    private final int readAhead;
    private final long chunkCount;
    private final ConcurrentHashMap<Integer, Bevy> bevies = new ConcurrentHashMap<>();
    /** Chunks being decoded or queued for decoding; whoever claims one decodes it, the others wait. */
    private final ConcurrentHashMap<Long, Decode> pending = new ConcurrentHashMap<>();
    /** Reasons of chunks found unreadable, so they are not decoded again on every read (bounded). */
    private final ConcurrentHashMap<Long, String> failures = new ConcurrentHashMap<>();
    private final ThreadLocal<byte[]> compressed;
    private volatile long expectedNext = -1;
    private volatile long scheduledTo = -1;

    /**
     * @param compressionUri the stream's aff4:compressionMethod
     * @param codec          the codec for that URI, or null when it is not supported (raw chunks stay readable)
     * @param decoder        pool for read-ahead decoding, or null for none
     * @param readAhead      chunks decoded ahead of a sequential reader
     */
    public ImageStream(String urn, long size, int chunkSize, int chunksPerSegment, String compressionUri, Aff4Codec codec,
            Segment.Locator locator, ChunkCache cache, int id, Executor decoder, int readAhead) {
        if (chunkSize <= 0 || chunkSize > (64 << 20)) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " of " + urn + " is out of range");
        }
        if (chunksPerSegment <= 0) {
            throw new IllegalArgumentException("chunks per segment " + chunksPerSegment + " of " + urn + " is out of range");
        }
        this.urn = urn;
        this.size = Math.max(0, size);
        this.chunkSize = chunkSize;
        this.chunksPerSegment = chunksPerSegment;
        this.compressionUri = compressionUri;
        this.codec = codec;
        this.alwaysCompressed = compressionUri != null && Aff4Codec.alwaysCompressed(compressionUri);
        this.locator = locator;
        this.cache = cache;
        this.id = id;
        this.decoder = decoder;
        this.readAhead = Math.max(0, readAhead);
        this.chunkCount = (this.size + chunkSize - 1) / chunkSize;
        int compressedBuffer = chunkSize + chunkSize / 4 + 64;
        this.compressed = ThreadLocal.withInitial(() -> new byte[compressedBuffer]);
    }

    public String urn() {
        return urn;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunksPerSegment() {
        return chunksPerSegment;
    }

    public long chunkCount() {
        return chunkCount;
    }

    public int bevyCount() {
        return (int) ((chunkCount + chunksPerSegment - 1) / chunksPerSegment);
    }

    public String compressionUri() {
        return compressionUri;
    }

    /** @return the codec, or null when the compression URI is not supported */
    public Aff4Codec codec() {
        return codec;
    }

    @Override
    public String name() {
        return "AFF4 image stream " + urn;
    }

    @Override
    public long size() {
        return size;
    }

    /** @return the URN of bevy {@code n}: {@code <stream>/%08d} */
    public String bevyUrn(int n) {
        return urn + "/" + String.format("%08d", n);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        if (length <= 0) {
            return 0;
        }
        RunReporter runs = new RunReporter(sink);
        int available = 0;
        long a = address;
        int o = offset;
        int remaining = length;
        if (a >= 0 && a < size) {
            long first = a / chunkSize;
            long last = (Math.min(size, a + length) - 1) / chunkSize;
            scheduleAhead(first, last);
        }
        while (remaining > 0) {
            if (a < 0 || a >= size) {
                Arrays.fill(buffer, o, o + remaining, (byte) 0);
                runs.accept(a, remaining, new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                        "address 0x%x is beyond the end of AFF4 image stream %s (size 0x%x)", a, urn, size)));
                break;
            }
            long index = a / chunkSize;
            int within = (int) (a - index * chunkSize);
            int n = (int) Math.min(Math.min(remaining, chunkSize - within), size - a);
            try {
                copyChunk(index, within, buffer, o, n);
                runs.accept(a, n, new PageProvenance.Evidence(urn, a));
                available += n;
            } catch (ChunkUnavailableException e) {
                Arrays.fill(buffer, o, o + n, (byte) 0);
                runs.accept(a, n, new PageProvenance.Missing(new MissingCause.Unreadable(), e.getMessage()));
            }
            a += n;
            o += n;
            remaining -= n;
        }
        runs.flush();
        return available;
    }

    @Override
    public PageProvenance provenance(long address) {
        if (address < 0 || address >= size) {
            return new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                    "address 0x%x is beyond the end of AFF4 image stream %s (size 0x%x)", address, urn, size));
        }
        String failure = failures.get(address / chunkSize);
        return failure != null ? new PageProvenance.Missing(new MissingCause.Unreadable(), failure)
                : new PageProvenance.Evidence(urn, address);
    }

    /** A chunk that cannot be produced; the message is the analyst-facing reason. */
    public static final class ChunkUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        ChunkUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @return chunk {@code index} decoded, in a new array of {@link #chunkSize} bytes of which the first
     *         {@code min(chunkSize, size - index*chunkSize)} are stream content
     */
    public byte[] chunk(long index) throws ChunkUnavailableException {
        byte[] out = new byte[chunkSize];
        copyChunk(index, 0, out, 0, (int) Math.min(chunkSize, size - index * chunkSize));
        return out;
    }

    /** One chunk decode, claimed by exactly one thread; {@code done} says whether it reached the cache. */
    private static final class Decode {
        final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        boolean claim() {
            return !claimed.get() && claimed.compareAndSet(false, true);
        }
    }

    /** Copies {@code n} bytes of chunk {@code index}, from {@code within}, to {@code dst[offset..]}. */
    private void copyChunk(long index, int within, byte[] dst, int offset, int n) throws ChunkUnavailableException {
        long key = ChunkCache.key(id, index);
        if (cache.copy(key, within, dst, offset, n)) {
            return;
        }
        Decode d = pending.get(index);
        if (d == null) {
            String failure = failures.get(index);
            if (failure != null) {
                throw new ChunkUnavailableException(failure);
            }
            Decode mine = new Decode();
            mine.claim();
            d = pending.putIfAbsent(index, mine);
            if (d == null) {
                decode(index, key, mine, dst, within, offset, n);
                return;
            }
        }
        // A decode is queued or running: take it over if nobody started it, else wait for it.
        if (d.claim()) {
            decode(index, key, d, dst, within, offset, n);
            return;
        }
        if (await(d.done) && cache.copy(key, within, dst, offset, n)) {
            return;
        }
        // Decoded but already evicted (a tiny cache), or the decoder failed unexpectedly: decode privately.
        byte[] b = cache.obtain(chunkSize);
        try {
            load(index, b);
            System.arraycopy(b, within, dst, offset, n);
            cache.put(key, b);
            b = null;
        } finally {
            if (b != null) {
                cache.release(b);
            }
        }
    }

    /**
     * Runs a claimed decode: decodes into a recycled buffer, copies to {@code dst} when given, publishes the
     * chunk to the cache and completes the decode.
     */
    private void decode(long index, long key, Decode d, byte[] dst, int within, int offset, int n)
            throws ChunkUnavailableException {
        byte[] b = cache.obtain(chunkSize);
        try {
            load(index, b);
            if (dst != null) {
                System.arraycopy(b, within, dst, offset, n);
            }
            cache.put(key, b);
            b = null;
            d.done.complete(Boolean.TRUE);
        } catch (ChunkUnavailableException e) {
            rememberFailure(index, e.getMessage());
            d.done.completeExceptionally(e);
            throw e;
        } catch (RuntimeException | Error e) {
            d.done.complete(Boolean.FALSE);
            throw e;
        } finally {
            if (b != null) {
                cache.release(b);
            }
            pending.remove(index, d);
        }
    }

    private void rememberFailure(long index, String reason) {
        if (failures.size() >= MAX_REMEMBERED_FAILURES) {
            failures.clear();
        }
        failures.put(index, reason);
    }

    /** @return true when the awaited decode put the chunk into the cache */
    private static boolean await(CompletableFuture<Boolean> f) throws ChunkUnavailableException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ChunkUnavailableException c) {
                throw c;
            }
            return false;
        } catch (java.util.concurrent.CancellationException e) {
            return false;
        }
    }

    /**
     * Queues the decoding of the chunks after a sequential reader's position (and of the rest of a multi-chunk
     * read) on the decoder pool. A watermark keeps this O(1) for the many small reads inside one chunk.
     */
    private void scheduleAhead(long first, long last) {
        long expected = expectedNext;
        expectedNext = last + 1;
        if (decoder == null || cache.capacity() < (long) chunkSize * (readAhead + 2)) {
            return;
        }
        boolean sequential = first == expected || first + 1 == expected;
        long to = Math.min(sequential ? last + readAhead : last, chunkCount - 1);
        long from = first + 1;
        if (sequential) {
            from = Math.max(from, scheduledTo + 1);
            scheduledTo = Math.max(to, scheduledTo);
        }
        for (long k = from; k <= to; k++) {
            long key = ChunkCache.key(id, k);
            if (pending.containsKey(k) || failures.containsKey(k) || cache.contains(key)) {
                continue;
            }
            Decode d = new Decode();
            if (pending.putIfAbsent(k, d) != null) {
                continue;
            }
            long chunkIndex = k;
            try {
                decoder.execute(() -> decodeAhead(chunkIndex, key, d));
            } catch (RejectedExecutionException e) {
                // The queue is full: leave the chunk to whoever reads it first.
                pending.remove(k, d);
                return;
            }
        }
    }

    private void decodeAhead(long index, long key, Decode d) {
        if (!d.claim()) {
            return;
        }
        try {
            decode(index, key, d, null, 0, 0, 0);
        } catch (ChunkUnavailableException | RuntimeException e) {
            // Recorded by decode(); the reader reports it.
        }
    }

    /** Decodes chunk {@code index} into {@code out} (a {@link #chunkSize} buffer whose old content is ignored). */
    private void load(long index, byte[] out) throws ChunkUnavailableException {
        int bevyNumber = (int) (index / chunksPerSegment);
        int within = (int) (index % chunksPerSegment);
        Bevy bevy = bevy(bevyNumber);
        if (bevy.failure != null) {
            throw new ChunkUnavailableException(bevy.failure);
        }
        if (within >= bevy.offsets.length) {
            throw new ChunkUnavailableException(String.format(
                    "chunk %d of %s is not in the index of bevy %d (%s holds %d entries)", index, urn, bevyNumber,
                    bevy.indexName, bevy.offsets.length));
        }
        long off = bevy.offsets[within];
        int len = bevy.lengths[within];
        long bevyLength = bevy.data.member().size();
        if (off < 0 || len <= 0 || off + len > bevyLength || len > chunkSize + chunkSize / 4 + 64) {
            throw new ChunkUnavailableException(String.format(
                    "chunk %d of %s: index entry (offset %d, length %d) does not fit bevy %s (%d bytes)", index, urn,
                    off, len, bevy.data.urn(), bevyLength));
        }
        int expected = (int) Math.min(chunkSize, size - index * chunkSize);
        boolean raw = len == chunkSize && !alwaysCompressed;
        byte[] in;
        int inOffset;
        if (bevy.inflated != null) {
            in = bevy.inflated;
            inOffset = (int) off;
            if (raw) {
                System.arraycopy(in, inOffset, out, 0, len);
                return;
            }
        } else if (raw) {
            readData(bevy, index, off, out, 0, len);
            return;
        } else {
            in = compressed.get();
            inOffset = 0;
            readData(bevy, index, off, in, 0, len);
        }
        if (codec == null) {
            throw new ChunkUnavailableException(String.format(
                    "chunk %d of %s is compressed with %s, a compression method this reader does not support",
                    index, urn, compressionUri));
        }
        try {
            int n = ChunkCodec.decompress(codec, in, inOffset, len, out);
            if (n != expected && n != chunkSize) {
                throw new ChunkCodec.CorruptChunkException("decompresses to " + n + " bytes, expected " + expected);
            }
        } catch (ChunkCodec.CorruptChunkException e) {
            if (len == expected && expected < chunkSize) {
                // Writers store an incompressible final partial chunk raw; its length then equals what is left.
                System.arraycopy(in, inOffset, out, 0, len);
                return;
            }
            throw new ChunkUnavailableException(String.format("chunk %d of %s (bevy %d, %d bytes at offset %d) is corrupt: %s",
                    index, urn, bevyNumber, len, off, e.getMessage()));
        }
    }

    private void readData(Bevy bevy, long index, long off, byte[] into, int intoOffset, int len)
            throws ChunkUnavailableException {
        try {
            bevy.data.container().readFully(bevy.data.member().dataOffset() + off, into, intoOffset, len);
        } catch (IOException e) {
            throw new ChunkUnavailableException(String.format("chunk %d of %s: I/O error reading %s: %s", index, urn,
                    bevy.data.container().path().getFileName(), e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- bevies

    /** What one bevy holds: its data segment and where each chunk lies in it, or why it cannot be used. */
    private record Bevy(Segment data, String indexName, long[] offsets, int[] lengths, byte[] inflated, String failure) {
        static Bevy failed(String why) {
            return new Bevy(null, null, new long[0], new int[0], null, why);
        }
    }

    private Bevy bevy(int n) {
        Bevy b = bevies.get(n);
        if (b == null) {
            b = loadBevy(n);
            Bevy prior = bevies.putIfAbsent(n, b);
            if (prior != null) {
                b = prior;
            }
        }
        return b;
    }

    private Bevy loadBevy(int n) {
        String bevyUrn = bevyUrn(n);
        long firstOffset = (long) n * chunksPerSegment * chunkSize;
        long lastOffset = Math.min(size, firstOffset + (long) chunksPerSegment * chunkSize) - 1;
        String span = String.format("stream offsets 0x%x-0x%x", firstOffset, lastOffset);
        Segment data = locator.find(bevyUrn);
        if (data == null) {
            return Bevy.failed("bevy " + n + " of " + urn + " (" + span + ") is missing: no member " + bevyUrn
                    + " in the opened volume(s)");
        }
        Segment index = locator.find(bevyUrn + ".index");
        boolean standard = index != null;
        if (index == null) {
            index = locator.find(bevyUrn + "/index");
        }
        if (index == null) {
            return Bevy.failed("bevy " + n + " of " + urn + " (" + span + ") has no index (" + bevyUrn
                    + ".index is missing), so its chunks cannot be located");
        }
        byte[] raw;
        try {
            raw = index.readAll(MAX_INDEX_BYTES);
        } catch (IOException e) {
            return Bevy.failed("bevy index " + index.describe() + " cannot be read: " + e.getMessage());
        }
        long[] offsets;
        int[] lengths;
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (standard) {
            int count = raw.length / 12;
            offsets = new long[count];
            lengths = new int[count];
            for (int i = 0; i < count; i++) {
                offsets[i] = bb.getLong(i * 12);
                lengths[i] = bb.getInt(i * 12 + 8);
            }
        } else {
            long bevySize = data.member().size();
            int count = raw.length / 4;
            long[] bounds = new long[count + 2];
            int k = 0;
            if (count == 0 || (bb.getInt(0) & 0xFFFFFFFFL) != 0) {
                bounds[k++] = 0;
            }
            for (int i = 0; i < count; i++) {
                bounds[k++] = bb.getInt(i * 4) & 0xFFFFFFFFL;
            }
            if (bounds[k - 1] < bevySize) {
                bounds[k++] = bevySize;
            }
            offsets = new long[k - 1];
            lengths = new int[k - 1];
            for (int i = 0; i + 1 < k; i++) {
                offsets[i] = bounds[i];
                long l = bounds[i + 1] - bounds[i];
                lengths[i] = l < 0 || l > Integer.MAX_VALUE ? -1 : (int) l;
            }
        }
        byte[] inflated = null;
        if (!data.member().isStored()) {
            try {
                inflated = data.readAll(MAX_INFLATED_BEVY);
            } catch (IOException e) {
                return Bevy.failed("bevy " + data.describe() + " cannot be inflated: " + e.getMessage());
            }
        }
        return new Bevy(data, index.urn(), offsets, lengths, inflated, null);
    }
}
