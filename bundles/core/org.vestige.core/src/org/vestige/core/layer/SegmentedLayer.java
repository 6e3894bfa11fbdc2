package org.vestige.core.layer;

import java.util.Arrays;
import java.util.Objects;

/**
 * An address space made of runs, each stored contiguously in a source below: a crash dump's memory runs, a
 * VMware checkpoint's memory regions, an AFF4 map. The base finds runs (one binary search per read or
 * {@link #provenance} call), splits reads at run boundaries and reports what no run covers; a subclass says
 * only how a run's bytes are read from its source and why uncovered addresses are missing.
 *
 * <p>Addresses are unsigned 64-bit values. Addresses below {@link #size()} that no run covers are a
 * <em>gap</em> ({@link #gap}), addresses at or above it lie <em>beyond the end</em> ({@link #beyondEnd}); both
 * are zero-filled unless the subclass {@linkplain #fillGap fills gaps} with a pattern its format defines, and
 * reported {@link PageProvenance.Missing} with the cause the subclass gives. The part of a read that would run
 * past 2^64 - 1 is zero-filled and reported at address 0 as {@link MissingCause.OutsideImage}.
 *
 * <p>The run table is immutable and the base keeps no per-read state, so reads are as safe for concurrent use
 * as the subclass's sources.
 *
 * @since 0.1
 */
public abstract class SegmentedLayer implements Layer {

    private static final PageProvenance.Missing PAST_TOP = new PageProvenance.Missing(new MissingCause.OutsideImage(),
            "beyond the top of the 64-bit address space");

    private final SegmentTable table;
    private final long size;

    /** A layer whose size is the end of its last run. */
    protected SegmentedLayer(SegmentTable table) {
        this(table, table.end());
    }

    /**
     * @param size one past the highest address of the space (unsigned), at or beyond the end of the last run;
     *             addresses from the last run's end up to it are a gap
     */
    protected SegmentedLayer(SegmentTable table, long size) {
        this.table = Objects.requireNonNull(table, "table");
        if (Long.compareUnsigned(size, table.end()) < 0) {
            throw new IllegalArgumentException("size 0x" + Long.toHexString(size) + " is below the end of run "
                    + (table.count() - 1) + " (0x" + Long.toHexString(table.end()) + ")");
        }
        this.size = size;
    }

    /** @return the runs of this space in address order */
    public final SegmentTable segmentTable() {
        return table;
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * Reads {@code length} bytes of run {@code run} into {@code buffer[position..]}, reporting their provenance
     * at layer addresses. The bytes lie wholly inside the run.
     *
     * @param address the layer address of the first byte
     * @param offset  the offset of the first byte in the run's source
     * @return the number of bytes that were available (not {@link PageProvenance.Missing})
     */
    protected abstract int readRun(int run, long address, long offset, byte[] buffer, int position, int length,
            ProvenanceSink sink);

    /** @return where the byte at {@code offset} of run {@code run}'s source comes from, without reading it */
    protected abstract PageProvenance runProvenance(int run, long offset);

    /**
     * Why an address below {@link #size()} that no run covers is missing. Called once per gap a read touches, so
     * an implementation should return a prepared instance where it can.
     *
     * @param address the first address of the gap the read touched
     * @param next    the index of the run after the gap, or {@link SegmentTable#count()} for the gap after the
     *                last run
     */
    protected abstract PageProvenance.Missing gap(long address, int next);

    /**
     * Why an address at or beyond {@link #size()} is missing. The default is the gap after the last run.
     */
    protected PageProvenance.Missing beyondEnd(long address) {
        return gap(address, table.count());
    }

    /** Fills the bytes of a gap; the default fills zeros. */
    protected void fillGap(long address, byte[] buffer, int position, int length) {
        Arrays.fill(buffer, position, position + length, (byte) 0);
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int inSpace = length;
        if (address != 0 && Long.compareUnsigned(length, -address) > 0) {
            inSpace = (int) -address;
        }
        int count = table.count();
        int available = 0;
        long a = address;
        int pos = offset;
        int remaining = inSpace;
        int i = table.floor(a);
        while (remaining > 0) {
            int step;
            if (table.contains(i, a)) {
                long into = a - table.address(i);
                step = clamp(table.length(i) - into, remaining);
                available += readRun(i, a, table.offset(i) + into, buffer, pos, step, sink);
            } else if (Long.compareUnsigned(a, size) < 0) {
                long stop = i + 1 < count ? table.address(i + 1) : size;
                step = clamp(stop - a, remaining);
                fillGap(a, buffer, pos, step);
                sink.accept(a, step, gap(a, i + 1));
            } else {
                step = remaining;
                Arrays.fill(buffer, pos, pos + step, (byte) 0);
                sink.accept(a, step, beyondEnd(a));
            }
            a += step;
            pos += step;
            remaining -= step;
            if (i + 1 < count && Long.compareUnsigned(table.address(i + 1), a) <= 0) {
                i++;
            }
        }
        if (inSpace < length) {
            Arrays.fill(buffer, offset + inSpace, offset + length, (byte) 0);
            sink.accept(0, length - inSpace, PAST_TOP);
        }
        return available;
    }

    @Override
    public PageProvenance provenance(long address) {
        int i = table.floor(address);
        if (table.contains(i, address)) {
            return runProvenance(i, table.offset(i) + (address - table.address(i)));
        }
        return Long.compareUnsigned(address, size) < 0 ? gap(address, i + 1) : beyondEnd(address);
    }

    /**
     * Reads a run's bytes from the layer {@code below} that stores them (a file, a stream), reporting their
     * provenance at this layer's addresses: the usual body of {@link #readRun}.
     *
     * @param address the layer address of the first byte
     * @param offset  where the first byte is in {@code below}
     * @return the number of bytes {@code below} had
     */
    protected static int readBelow(Layer below, long address, long offset, byte[] buffer, int position, int length,
            ProvenanceSink sink) {
        if (sink == ProvenanceSink.IGNORE) {
            return below.read(offset, buffer, position, length, sink);
        }
        long shift = address - offset;
        return below.read(offset, buffer, position, length, (a, l, p) -> sink.accept(a + shift, l, p));
    }

    /** @return {@code bytes} (unsigned) or {@code remaining}, whichever is smaller */
    private static int clamp(long bytes, int remaining) {
        return Long.compareUnsigned(bytes, remaining) < 0 ? (int) bytes : remaining;
    }
}
