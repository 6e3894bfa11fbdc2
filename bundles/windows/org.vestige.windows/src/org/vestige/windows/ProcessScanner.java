package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

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
 * as the list walk ({@link PoolScanner} does the search). The _EPROCESS's virtual address is
 * recovered from its ActiveProcessLinks or an empty, self-referencing list head and confirmed by
 * translation.
 *
 * @since 0.1
 */
public final class ProcessScanner {

    /** Bytes read per step. */
    public static final int BLOCK = PoolScanner.BLOCK;
    private static final int PROC = 0x636F7250; // 'Proc'
    /** Optional object headers (creator, name, handle, quota, process, audit…) span at most this much. */
    private static final int MAX_OPTIONAL_HEADERS = 0x100;
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
        PoolScanner.Result<ScannedProcess> r = new PoolScanner(physical, PROC, "process objects").scan(start, end,
                threads, progress, this::candidate);
        List<ScannedProcess> found = new ArrayList<>(r.found());
        found.sort(Comparator.comparingLong(ScannedProcess::physical));
        return new ScanResult(found, r.warnings(), r.bytesScanned(), r.nanos());
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
        return EmptyListHeads.virtualAddress(kernel, body, b, readable, selfLists);
    }

    private long neighbour(long link, int at) {
        if (link >= 0 || !X64Translator.canonical(link)) {
            return 0;
        }
        byte[] q = new byte[8];
        return kernel.read(link + at, q, 0, 8) == 8 ? Bytes.u64(q, 0) : 0;
    }

    private long confirm(long va, long body) {
        return EmptyListHeads.confirm(kernel, va, body);
    }
}
