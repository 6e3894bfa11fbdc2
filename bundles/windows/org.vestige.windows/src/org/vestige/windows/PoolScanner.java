package org.vestige.windows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;

/**
 * Searches physical memory for pool blocks of one tag: physical memory is read in large blocks split
 * between worker threads, and each block is searched for a {@code _POOL_HEADER} whose PoolTag (at +4)
 * is the tag — the protected-tag bit 0x80000000 ignored — on the 16-byte pool grid. Each hit is handed
 * to a {@link Candidates} check, which decides what the block holds. The scanners of processes
 * ({@link ProcessScanner}) and file objects ({@link FileScanner}) are such checks.
 *
 * @since 0.1
 */
public final class PoolScanner {

    /** Bytes read per step. */
    public static final int BLOCK = 4 << 20;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Checks the pool block behind one header that carries the tag.
     *
     * @param <T> what a plausible block yields
     * @since 0.1
     */
    @FunctionalInterface
    public interface Candidates<T> {

        /**
         * @param poolHeader the physical address of the _POOL_HEADER
         * @param found      where a plausible object goes
         * @param warnings   where a block that carries the tag but holds nothing plausible is described
         */
        void check(long poolHeader, List<T> found, List<String> warnings);
    }

    /**
     * What a scan found.
     *
     * @param found        the plausible objects, in physical address order of their pool headers
     * @param warnings     candidates that failed their check, and chunks that failed
     * @param bytesScanned how many bytes of the physical layer were read
     * @param nanos        how long the scan took
     * @since 0.1
     */
    public record Result<T>(List<T> found, List<String> warnings, long bytesScanned, long nanos) {

        public Result {
            found = List.copyOf(found);
            warnings = List.copyOf(warnings);
        }

        /** @return throughput in bytes per second */
        public double bytesPerSecond() {
            return nanos == 0 ? 0 : bytesScanned * 1e9 / nanos;
        }
    }

    private final Layer physical;
    private final int[] tags;
    private final String what;

    /**
     * @param physical the physical address space
     * @param tag      the pool tag as the header holds it (little-endian: 'Proc' is 0x636F7250)
     * @param what     what is scanned for, for thread names and cancellation messages ("process objects")
     */
    public PoolScanner(Layer physical, int tag, String what) {
        this(physical, new int[] {tag}, what);
    }

    /**
     * A scan for blocks carrying any of several tags in one pass (network endpoints: 'TcpE', 'TcpL', 'UdpA').
     *
     * @param physical the physical address space
     * @param tags     the pool tags as the header holds them; the check is handed every block carrying one
     * @param what     what is scanned for, for thread names and cancellation messages
     */
    public PoolScanner(Layer physical, int[] tags, String what) {
        this.physical = Objects.requireNonNull(physical);
        if (tags.length == 0) {
            throw new IllegalArgumentException("no pool tag to scan for");
        }
        this.tags = tags.clone();
        for (int i = 0; i < this.tags.length; i++) {
            this.tags[i] &= 0x7FFFFFFF;
        }
        this.what = Objects.requireNonNull(what);
    }

    /** @return the physical address space scanned */
    public Layer physical() {
        return physical;
    }

    /**
     * Scans physical {@code [start, end)} with {@code threads} workers, reporting the bytes scanned block
     * by block in address order.
     *
     * @throws CancellationException when {@code progress} is cancelled; workers stop at their next block
     */
    public <T> Result<T> scan(long start, long end, int threads, ScanProgress progress, Candidates<T> candidates) {
        long t0 = System.nanoTime();
        start &= ~0xfL;
        progress.begin(Math.max(0, end - start));
        List<Future<Chunk<T>>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "pool scan: " + what);
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BLOCK]);
        try {
            for (long at = start; at < end; at += BLOCK) {
                long from = at;
                int n = (int) Math.min(BLOCK, end - at);
                futures.add(pool.submit(() -> progress.isCanceled() ? new Chunk<T>(List.of(), List.of(), 0)
                        : scanChunk(from, n, buffers.get(), candidates)));
            }
            List<T> found = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            long bytes = 0;
            for (Future<Chunk<T>> f : futures) {
                if (progress.isCanceled()) {
                    throw cancelled(bytes, end - start);
                }
                try {
                    Chunk<T> c = f.get();
                    found.addAll(c.found);
                    warnings.addAll(c.warnings);
                    bytes += c.bytes;
                    progress.worked(c.bytes);
                } catch (ExecutionException e) {
                    warnings.add("scan of a chunk failed: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    warnings.add("scan interrupted");
                    break;
                }
            }
            if (progress.isCanceled()) {
                throw cancelled(bytes, end - start);
            }
            progress.done();
            return new Result<>(found, warnings, bytes, System.nanoTime() - t0);
        } finally {
            pool.shutdownNow();
        }
    }

    private CancellationException cancelled(long bytes, long total) {
        return new CancellationException("scan for " + what + " cancelled after " + bytes + " of " + total + " bytes");
    }

    private record Chunk<T>(List<T> found, List<String> warnings, long bytes) {
    }

    private <T> Chunk<T> scanChunk(long base, int length, byte[] buffer, Candidates<T> candidates) {
        physical.read(base, buffer, 0, length);
        List<T> found = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int[] t = tags;
        for (int i = 4; i + 4 <= length; i += 16) {
            int v = (int) INT.get(buffer, i) & 0x7FFFFFFF;
            for (int x : t) {
                if (v == x) {
                    candidates.check(base + i - 4, found, warnings);
                    break;
                }
            }
        }
        return new Chunk<>(found, warnings, length);
    }
}
