package org.vestige.layer.crashdump.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.DumpLayer;

/**
 * A layer made of address ranges, each stored contiguously somewhere in the dump file: the runs of
 * a complete crash dump, the PFN ranges of a newer kernel dump, the data blocks of a triage dump, the
 * memory ranges of a minidump. Addresses between ranges are reported missing with one reason.
 *
 * <p>Addresses are unsigned. Ranges are kept sorted and disjoint; where two overlap, the one that
 * starts lower keeps the shared bytes (both are copies of the same memory at the time of the dump).
 * Lookups are a binary search, so a read costs O(log ranges) plus the file reads.
 */
public final class MappedLayer implements DumpLayer {

    /** One stored range: {@code length} bytes at {@code address} held at {@code fileOffset}. */
    public record Segment(long address, long length, long fileOffset) {
    }

    private final String name;
    private final AddressSpace space;
    private final DumpFile file;
    private final String gapReason;
    private final long[] starts;
    private final long[] lengths;
    private final long[] offsets;
    private final long size;

    private MappedLayer(String name, AddressSpace space, DumpFile file, String gapReason, long[] starts,
            long[] lengths, long[] offsets, long size) {
        this.name = name;
        this.space = space;
        this.file = file;
        this.gapReason = gapReason;
        this.starts = starts;
        this.lengths = lengths;
        this.offsets = offsets;
        this.size = size;
    }

    /**
     * Builds a layer over {@code segments} (in any order, possibly overlapping).
     *
     * @param gapReason why addresses outside every segment are missing, in the analyst's words
     */
    public static MappedLayer of(String name, AddressSpace space, DumpFile file, List<Segment> segments,
            String gapReason) {
        List<Segment> sorted = new ArrayList<>();
        for (Segment s : segments) {
            if (s.length() == 0) {
                continue;
            }
            // keep every range below 2^64 so that end addresses never wrap
            long room = -1L - s.address();
            long length = Long.compareUnsigned(s.length(), room) > 0 ? room : s.length();
            if (length != 0) {
                sorted.add(new Segment(s.address(), length, s.fileOffset()));
            }
        }
        sorted.sort(Comparator.comparing(Segment::address, Long::compareUnsigned));
        long[] starts = new long[sorted.size()];
        long[] lengths = new long[sorted.size()];
        long[] offsets = new long[sorted.size()];
        int n = 0;
        long coveredEnd = 0;
        for (Segment s : sorted) {
            long start = s.address();
            long end = start + s.length();
            long fileOffset = s.fileOffset();
            if (n > 0) {
                if (Long.compareUnsigned(end, coveredEnd) <= 0) {
                    continue;
                }
                if (Long.compareUnsigned(start, coveredEnd) < 0) {
                    fileOffset += coveredEnd - start;
                    start = coveredEnd;
                }
            }
            starts[n] = start;
            lengths[n] = end - start;
            offsets[n] = fileOffset;
            coveredEnd = end;
            n++;
        }
        return new MappedLayer(name, space, file, gapReason, Arrays.copyOf(starts, n), Arrays.copyOf(lengths, n),
                Arrays.copyOf(offsets, n), n == 0 ? 0 : coveredEnd);
    }

    /** @return the number of disjoint stored ranges */
    public int segmentCount() {
        return starts.length;
    }

    /** @return the disjoint stored ranges in address order */
    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) {
            out.add(new Segment(starts[i], lengths[i], offsets[i]));
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public AddressSpace addressSpace() {
        return space;
    }

    @Override
    public Path file() {
        return file.path();
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int inSpace = length;
        if (address != 0 && Long.compareUnsigned(length, -address) > 0) {
            inSpace = (int) -address;
        }
        int available = 0;
        long addr = address;
        int pos = offset;
        int remaining = inSpace;
        int i = floor(addr);
        while (remaining > 0) {
            int step;
            if (i >= 0 && Long.compareUnsigned(addr - starts[i], lengths[i]) < 0) {
                long left = lengths[i] - (addr - starts[i]);
                step = Long.compareUnsigned(left, remaining) < 0 ? (int) left : remaining;
                long fileOffset = offsets[i] + (addr - starts[i]);
                available += file.copyTo(addr, fileOffset, buffer, pos, step, sink);
            } else {
                if (i + 1 < starts.length) {
                    long gap = starts[i + 1] - addr;
                    step = Long.compareUnsigned(gap, remaining) < 0 ? (int) gap : remaining;
                } else {
                    step = remaining;
                }
                Arrays.fill(buffer, pos, pos + step, (byte) 0);
                sink.accept(addr, step, new PageProvenance.Missing(space == AddressSpace.PHYSICAL
                        ? new MissingCause.OutsideImage() : new MissingCause.NotCaptured(), gapReason));
            }
            addr += step;
            pos += step;
            remaining -= step;
            while (i + 1 < starts.length && Long.compareUnsigned(starts[i + 1], addr) <= 0) {
                i++;
            }
        }
        if (inSpace < length) {
            Arrays.fill(buffer, offset + inSpace, offset + length, (byte) 0);
            sink.accept(0, length - inSpace, new PageProvenance.Missing(new MissingCause.OutsideImage(),
                    "beyond the top of the 64-bit address space"));
        }
        return available;
    }

    @Override
    public PageProvenance provenance(long address) {
        int i = floor(address);
        if (i >= 0 && Long.compareUnsigned(address - starts[i], lengths[i]) < 0) {
            return file.provenanceOf(offsets[i] + (address - starts[i]));
        }
        return new PageProvenance.Missing(space == AddressSpace.PHYSICAL ? new MissingCause.OutsideImage()
                : new MissingCause.NotCaptured(), gapReason);
    }

    /** Index of the last range starting at or below {@code address} (unsigned), or -1. */
    private int floor(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return name;
    }
}
