package org.vestige.layer.aff4.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decoded chunks, least recently used first out, bounded by the bytes they hold. Split into shards with their own
 * lock so concurrent readers rarely wait on each other. Keys combine a stream number and a chunk number
 * ({@link #key}).
 *
 * <p>Chunk buffers are recycled: a buffer evicted from the cache is handed out again by {@link #obtain}, which
 * spares the allocation and the garbage collector's copying of a cache's worth of live chunks. That is safe
 * because nobody keeps a reference to a cached buffer: readers copy bytes out with {@link #copy}, under the
 * shard's lock, and a loader gives up its buffer when it {@link #put}s it.
 */
public final class ChunkCache {

    private static final int MAX_SHARDS = 16;
    /** A shard should hold several chunks, or a small cache would keep almost nothing. */
    private static final long MIN_SHARD_BYTES = 1L << 20;
    private static final int MAX_FREE_BUFFERS = 256;

    private final Shard[] shards;
    private final int mask;
    private final long capacity;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    /** @param capacityBytes upper bound of the decoded bytes kept (0 disables caching) */
    public ChunkCache(long capacityBytes) {
        this.capacity = Math.max(0, capacityBytes);
        int n = 1;
        while (n < MAX_SHARDS && capacity / (n * 2L) >= MIN_SHARD_BYTES) {
            n *= 2;
        }
        this.shards = new Shard[n];
        this.mask = n - 1;
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard(capacity / n);
        }
    }

    /** @return a cache key for chunk {@code chunk} of stream {@code stream} */
    public static long key(int stream, long chunk) {
        return ((long) stream << 44) | chunk;
    }

    private Shard shard(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return shards[(int) (h >>> 60) & mask];
    }

    /**
     * Copies {@code length} bytes of the cached chunk {@code key}, from {@code from}, into {@code dst[offset..]}.
     *
     * @return false when the chunk is not cached
     */
    public boolean copy(long key, int from, byte[] dst, int offset, int length) {
        return shard(key).copy(key, from, dst, offset, length);
    }

    public boolean contains(long key) {
        return shard(key).contains(key);
    }

    /**
     * Caches a decoded chunk. The caller gives the buffer up: it must not read or write it afterwards.
     */
    public void put(long key, byte[] chunk) {
        if (capacity == 0) {
            release(chunk);
            return;
        }
        shard(key).put(key, chunk, this);
    }

    /** @return a buffer of {@code length} bytes, recycled when one is free (its content is stale) */
    public byte[] obtain(int length) {
        byte[] b = free.poll();
        if (b != null) {
            freeCount.decrementAndGet();
            if (b.length == length) {
                return b;
            }
        }
        return new byte[length];
    }

    /** Returns a buffer nobody references any more for reuse. */
    public void release(byte[] buffer) {
        if (freeCount.get() < MAX_FREE_BUFFERS) {
            freeCount.incrementAndGet();
            free.offer(buffer);
        }
    }

    public long capacity() {
        return capacity;
    }

    /** @return the decoded bytes held now */
    public long size() {
        long n = 0;
        for (Shard s : shards) {
            n += s.bytes();
        }
        return n;
    }

    public void clear() {
        for (Shard s : shards) {
            s.clear();
        }
        free.clear();
        freeCount.set(0);
    }

    private static final class Shard {
        private final long capacity;
        private final LinkedHashMap<Long, byte[]> map = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        Shard(long capacity) {
            this.capacity = capacity;
        }

        synchronized boolean copy(long key, int from, byte[] dst, int offset, int length) {
            byte[] b = map.get(key);
            if (b == null) {
                return false;
            }
            System.arraycopy(b, from, dst, offset, length);
            return true;
        }

        synchronized boolean contains(long key) {
            return map.containsKey(key);
        }

        void put(long key, byte[] value, ChunkCache owner) {
            byte[][] evicted = null;
            int n = 0;
            synchronized (this) {
                if (value.length > capacity) {
                    evicted = new byte[][] {value};
                    n = 1;
                } else {
                    byte[] old = map.put(key, value);
                    if (old != null) {
                        bytes -= old.length;
                        evicted = new byte[][] {old, null, null, null};
                        n = 1;
                    }
                    bytes += value.length;
                    Iterator<Map.Entry<Long, byte[]>> it = map.entrySet().iterator();
                    while (bytes > capacity && it.hasNext()) {
                        Map.Entry<Long, byte[]> eldest = it.next();
                        bytes -= eldest.getValue().length;
                        if (evicted == null) {
                            evicted = new byte[4][];
                        } else if (n == evicted.length) {
                            evicted = java.util.Arrays.copyOf(evicted, n * 2);
                        }
                        evicted[n++] = eldest.getValue();
                        it.remove();
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                owner.release(evicted[i]);
            }
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized void clear() {
            map.clear();
            bytes = 0;
        }
    }
}
