package org.vestige.core.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable table of runs that make up an address space: the runs of a crash dump's memory map, the
 * regions of a VMware checkpoint, the entries of an AFF4 map. Each run is {@code length} bytes at
 * {@code address}, whose bytes come from {@code offset} in a source below (a file, a stream, one of several
 * streams named by {@code source}). Addresses are unsigned 64-bit values; runs are sorted and disjoint and
 * none runs past 2^64 - 1, so a run's end is always an address.
 *
 * <p>The table is kept as parallel primitive arrays: a lookup is one binary search and costs no allocation.
 * {@link #of} takes runs that must already be disjoint (a format whose runs overlap is corrupt);
 * {@link #resolve} is for formats whose runs may overlap and says how overlaps are settled.
 *
 * @since 0.1
 */
public final class SegmentTable {

    /**
     * One run: {@code length} bytes at {@code address}, read from {@code offset} of source number
     * {@code source} (a number the format gives meaning to, such as an index into its list of streams; 0
     * where there is one source).
     *
     * @since 0.1
     */
    public record Segment(long address, long length, int source, long offset) {

        /** @return one past the run's last address (unsigned) */
        public long end() {
            return address + length;
        }
    }

    /** The table of no runs. */
    public static final SegmentTable EMPTY = new SegmentTable(new long[0], new long[0], new int[0], new long[0], 0);

    private final long[] addresses;
    private final long[] lengths;
    private final int[] sources;
    private final long[] offsets;
    private final int trimmed;

    private SegmentTable(long[] addresses, long[] lengths, int[] sources, long[] offsets, int trimmed) {
        this.addresses = addresses;
        this.lengths = lengths;
        this.sources = sources;
        this.offsets = offsets;
        this.trimmed = trimmed;
    }

    /**
     * Builds a table of disjoint runs given in any order.
     *
     * @throws IllegalArgumentException naming the run (by its index in {@code runs}) when a run is empty,
     *                                  runs past the top of the 64-bit address space, or overlaps another
     */
    public static SegmentTable of(List<Segment> runs) {
        int n = runs.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            Segment s = runs.get(i);
            if (s.length() == 0) {
                throw new IllegalArgumentException("run " + i + " at 0x" + Long.toHexString(s.address()) + " is empty");
            }
            if (Long.compareUnsigned(s.length(), -1L - s.address()) > 0) {
                throw new IllegalArgumentException("run " + i + " at 0x" + Long.toHexString(s.address()) + " of 0x"
                        + Long.toUnsignedString(s.length(), 16) + " bytes runs past the top of the 64-bit address space");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> runs.get(i).address(), Long::compareUnsigned));
        long[] addresses = new long[n];
        long[] lengths = new long[n];
        int[] sources = new int[n];
        long[] offsets = new long[n];
        for (int k = 0; k < n; k++) {
            Segment s = runs.get(order[k]);
            if (k > 0) {
                Segment before = runs.get(order[k - 1]);
                if (Long.compareUnsigned(s.address(), before.end()) < 0) {
                    throw new IllegalArgumentException("run " + order[k] + " " + span(s) + " overlaps run "
                            + order[k - 1] + " " + span(before));
                }
            }
            addresses[k] = s.address();
            lengths[k] = s.length();
            sources[k] = s.source();
            offsets[k] = s.offset();
        }
        return n == 0 ? EMPTY : new SegmentTable(addresses, lengths, sources, offsets, 0);
    }

    /**
     * Builds a table from runs that may overlap, as a format that records the same memory twice does. Runs are
     * taken in address order (runs starting at the same address in the order given); where a run overlaps
     * the runs before it, those keep the shared bytes and the run keeps only what lies beyond them (its offset
     * moves with its start), or is dropped when nothing does. Empty runs are dropped, runs that would pass the
     * top of the 64-bit address space end at 2^64 - 1, and every run is cut at {@code limit}.
     *
     * @param limit one past the highest address the table may cover (unsigned; -1 for no limit)
     */
    public static SegmentTable resolve(List<Segment> runs, long limit) {
        List<Segment> sorted = new ArrayList<>(runs.size());
        for (Segment s : runs) {
            long room = -1L - s.address();
            long length = Long.compareUnsigned(s.length(), room) > 0 ? room : s.length();
            if (length != 0) {
                sorted.add(length == s.length() ? s : new Segment(s.address(), length, s.source(), s.offset()));
            }
        }
        sorted.sort(Comparator.comparing(Segment::address, Long::compareUnsigned));
        int n = sorted.size();
        long[] addresses = new long[n];
        long[] lengths = new long[n];
        int[] sources = new int[n];
        long[] offsets = new long[n];
        int kept = 0;
        int trimmed = 0;
        long covered = 0;
        for (Segment s : sorted) {
            long start = s.address();
            long stop = Long.compareUnsigned(s.end(), limit) < 0 ? s.end() : limit;
            long offset = s.offset();
            if (Long.compareUnsigned(start, covered) < 0) {
                trimmed++;
                offset += covered - start;
                start = covered;
            }
            if (Long.compareUnsigned(start, stop) >= 0) {
                continue;
            }
            addresses[kept] = start;
            lengths[kept] = stop - start;
            sources[kept] = s.source();
            offsets[kept] = offset;
            kept++;
            covered = stop;
        }
        if (kept == 0 && trimmed == 0) {
            return EMPTY;
        }
        return new SegmentTable(Arrays.copyOf(addresses, kept), Arrays.copyOf(lengths, kept),
                Arrays.copyOf(sources, kept), Arrays.copyOf(offsets, kept), trimmed);
    }

    private static String span(Segment s) {
        return "(0x" + Long.toHexString(s.address()) + "–0x" + Long.toHexString(s.end() - 1) + ")";
    }

    /** @return the number of runs */
    public int count() {
        return addresses.length;
    }

    /** @return one past the last run's last address (unsigned), or 0 for an empty table */
    public long end() {
        int last = addresses.length - 1;
        return last < 0 ? 0 : addresses[last] + lengths[last];
    }

    /** @return how many runs {@link #resolve} trimmed or dropped because runs before them held their bytes */
    public int trimmed() {
        return trimmed;
    }

    /** @return the first address of run {@code i} (runs are numbered in address order) */
    public long address(int i) {
        return addresses[i];
    }

    /** @return the length of run {@code i} in bytes */
    public long length(int i) {
        return lengths[i];
    }

    /** @return the source number of run {@code i} */
    public int source(int i) {
        return sources[i];
    }

    /** @return the offset in its source of the first byte of run {@code i} */
    public long offset(int i) {
        return offsets[i];
    }

    /** @return run {@code i} */
    public Segment get(int i) {
        return new Segment(addresses[i], lengths[i], sources[i], offsets[i]);
    }

    /** @return every run in address order */
    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>(addresses.length);
        for (int i = 0; i < addresses.length; i++) {
            out.add(get(i));
        }
        return out;
    }

    /**
     * @return the index of the last run that starts at or below {@code address} (unsigned), or -1 when every
     *         run starts above it; the run holds {@code address} only if {@link #contains} says so
     */
    public int floor(long address) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** @return whether run {@code i} (-1 for none) holds {@code address} */
    public boolean contains(int i, long address) {
        return i >= 0 && Long.compareUnsigned(address - addresses[i], lengths[i]) < 0;
    }

    /** @return the index of the run holding {@code address}, or -1 */
    public int find(long address) {
        int i = floor(address);
        return contains(i, address) ? i : -1;
    }

    @Override
    public String toString() {
        return "SegmentTable[" + addresses.length + " runs, end 0x" + Long.toHexString(end()) + "]";
    }
}
