package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Finds _EPROCESS structures anywhere in physical memory (psscan): processes that exited or were
 * unlinked from the active list still sit in their pool blocks. Physical memory is read in large
 * blocks, split between worker threads; each block is searched for a _POOL_HEADER whose PoolTag is
 * 'Proc' (the protected-tag bit ignored) on the 16-byte pool grid, and the object body behind the
 * pool header and _OBJECT_HEADER (plus optional headers) is checked with the same plausibility rules
 * as the list walk. The _EPROCESS's virtual address is recovered from its ActiveProcessLinks or an
 * empty, self-referencing list head and confirmed by translation.
 *
 * @since 0.1
 */
public final class ProcessScanner {

    /** Bytes read per step. */
    public static final int BLOCK = 4 << 20;
    private static final int PROC = 0x636F7250; // 'Proc'
    /** Optional object headers (creator, name, handle, quota, process, audit…) span at most this much. */
    private static final int MAX_OPTIONAL_HEADERS = 0x100;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final String[] SELF_LISTS = {"ThreadListHead", "Pcb.ThreadListHead", "Pcb.ReadyListHead",
        "Pcb.ProfileListHead"};

    private final Layer physical;
    private final X64Layer kernel;
    private final ProcessWalker walker;
    private final int bodyOffset;
    private final int size;
    private final int links;
    private final int[] selfLists;

    /**
     * @param physical the physical address space
     * @param kernel   the kernel address space (to recover and confirm virtual addresses)
     * @throws java.util.NoSuchElementException naming the field the profile lacks
     */
    public ProcessScanner(Layer physical, X64Layer kernel, Profile profile) {
        this.physical = Objects.requireNonNull(physical);
        this.kernel = Objects.requireNonNull(kernel);
        this.walker = new ProcessWalker(kernel, profile);
        this.bodyOffset = (int) FieldPath.require(profile, "_OBJECT_HEADER", "Body").offset();
        this.size = walker.eprocessSize();
        this.links = walker.linksOffset();
        List<Integer> self = new ArrayList<>();
        for (String path : SELF_LISTS) {
            int off = FieldPath.offsetOrMinus1(profile, "_EPROCESS", path);
            if (off >= 0) {
                self.add(off);
            }
        }
        this.selfLists = self.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Scans all of physical memory with {@code threads} workers. */
    public ScanResult scan(int threads) {
        return scan(0, physical.size(), threads, ScanProgress.NONE);
    }

    /**
     * Scans all of physical memory with {@code threads} workers, reporting the bytes scanned.
     *
     * @throws CancellationException when {@code progress} is cancelled; workers stop at their next block
     * @since 0.1
     */
    public ScanResult scan(int threads, ScanProgress progress) {
        return scan(0, physical.size(), threads, progress);
    }

    /** Scans physical {@code [start, end)} with {@code threads} workers. */
    public ScanResult scan(long start, long end, int threads) {
        return scan(start, end, threads, ScanProgress.NONE);
    }

    /**
     * Scans physical {@code [start, end)} with {@code threads} workers, reporting the bytes scanned
     * block by block in address order.
     *
     * @throws CancellationException when {@code progress} is cancelled; workers stop at their next block
     * @since 0.1
     */
    public ScanResult scan(long start, long end, int threads, ScanProgress progress) {
        long t0 = System.nanoTime();
        start &= ~0xfL;
        progress.begin(Math.max(0, end - start));
        List<Future<Chunk>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "psscan");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BLOCK]);
        try {
            for (long at = start; at < end; at += BLOCK) {
                long from = at;
                int n = (int) Math.min(BLOCK, end - at);
                futures.add(pool.submit(() -> progress.isCanceled() ? Chunk.SKIPPED : scanChunk(from, n, buffers
                        .get())));
            }
            List<ScannedProcess> found = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            long bytes = 0;
            for (Future<Chunk> f : futures) {
                if (progress.isCanceled()) {
                    throw new CancellationException("process scan cancelled after " + bytes + " of " + (end - start)
                            + " bytes");
                }
                try {
                    Chunk c = f.get();
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
                throw new CancellationException("process scan cancelled after " + bytes + " of " + (end - start)
                        + " bytes");
            }
            progress.done();
            found.sort(Comparator.comparingLong(ScannedProcess::physical));
            return new ScanResult(found, warnings, bytes, System.nanoTime() - t0);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Chunk(List<ScannedProcess> found, List<String> warnings, long bytes) {
        static final Chunk SKIPPED = new Chunk(List.of(), List.of(), 0);
    }

    private Chunk scanChunk(long base, int length, byte[] buffer) {
        physical.read(base, buffer, 0, length);
        List<ScannedProcess> found = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 4; i + 4 <= length; i += 16) {
            if (((int) INT.get(buffer, i) & 0x7FFFFFFF) == PROC) {
                candidate(base + i - 4, found, warnings);
            }
        }
        return new Chunk(found, warnings, length);
    }

    /** Tries the body positions behind the pool header at {@code header}. */
    private void candidate(long header, List<ScannedProcess> found, List<String> warnings) {
        String first = null;
        for (int optional = 0; optional <= MAX_OPTIONAL_HEADERS; optional += 16) {
            long body = header + 0x10 + optional + bodyOffset;
            String problem = tryBody(header, body, found);
            if (problem == null) {
                return;
            }
            if (first == null) {
                first = problem;
            }
        }
        warnings.add("pool block at physical " + hex(header) + " tagged 'Proc' holds no plausible _EPROCESS (at "
                + hex(header + 0x10 + bodyOffset) + ": " + first + ")");
    }

    private String tryBody(long header, long body, List<ScannedProcess> found) {
        byte[] b = new byte[size];
        boolean inPage = (body & 0xfff) + size <= 0x1000;
        int inPageBytes = (int) Math.min(size, 0x1000 - (body & 0xfff));
        if (physical.read(body, b, 0, inPage ? size : inPageBytes) != (inPage ? size : inPageBytes)) {
            return "not in the image";
        }
        long va = virtualAddress(body, b, inPageBytes);
        if (!inPage) {
            // the object straddles a page: its next physical page is not the next virtual one
            if (va == 0) {
                return "crosses a page boundary and its virtual address could not be recovered";
            }
            if (kernel.read(va, b, 0, size) != size) {
                return "crosses a page boundary and _EPROCESS " + hex(va) + " is not fully readable";
            }
        }
        ProcessWalker.Candidate c = walker.candidate(b, 0, va);
        if (c.problem() != null) {
            return c.problem();
        }
        found.add(new ScannedProcess(body, header, c.process()));
        return null;
    }

    /**
     * Recovers the virtual address of the _EPROCESS at physical {@code body}: the Blink of its
     * Flink's target (and the Flink of its Blink's target) point at its ActiveProcessLinks while it
     * is linked; an empty list head points at itself. Each guess must translate back to {@code body}.
     *
     * @return the virtual address, or 0
     */
    private long virtualAddress(long body, byte[] b, int readable) {
        if (links + 16 <= readable) {
            long flink = Bytes.u64(b, links);
            long blink = Bytes.u64(b, links + 8);
            long guess = confirm(neighbour(flink, 8) - links, body);
            if (guess != 0) {
                return guess;
            }
            guess = confirm(neighbour(blink, 0) - links, body);
            if (guess != 0) {
                return guess;
            }
        }
        for (int off : selfLists) {
            if (off + 16 <= readable) {
                long flink = Bytes.u64(b, off);
                if (flink == Bytes.u64(b, off + 8) && ((flink ^ (body + off)) & 0xfff) == 0) {
                    long guess = confirm(flink - off, body);
                    if (guess != 0) {
                        return guess;
                    }
                }
            }
        }
        return 0;
    }

    private long neighbour(long link, int at) {
        if (link >= 0 || !X64Translator.canonical(link)) {
            return 0;
        }
        byte[] q = new byte[8];
        return kernel.read(link + at, q, 0, 8) == 8 ? Bytes.u64(q, 0) : 0;
    }

    private long confirm(long va, long body) {
        return va < 0 && X64Translator.canonical(va) && kernel.translate(va) == body ? va : 0;
    }
}
