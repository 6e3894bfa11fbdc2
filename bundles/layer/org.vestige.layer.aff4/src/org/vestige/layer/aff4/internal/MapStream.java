package org.vestige.layer.aff4.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * An {@code aff4:Map}: an address space assembled from ranges of other streams. The {@code map} segment holds
 * 28-byte little-endian entries (u64 mapped offset, u64 length, u64 target offset, u32 target number); the
 * {@code idx} segment names the targets, one URN per line. Targets are image streams (possibly in another volume
 * of the set) or symbolic streams ({@code aff4:Zero}, {@code aff4:UnknownData}, ...). Regions no entry covers read
 * from the map's {@code aff4:mapGapDefaultStream} (default {@code aff4:Zero}) at the map offset itself, and are
 * reported {@link PageProvenance.Missing} ("gap in AFF4 map").
 *
 * <p>Entries are sorted by mapped offset; where entries overlap the earlier one wins and the later is trimmed;
 * entries beyond the map's size are cut at the size.
 */
public final class MapStream implements Layer {

    /** One map entry size in bytes. */
    public static final int ENTRY_SIZE = 28;

    /** Where a region's bytes come from. */
    public sealed interface Target permits StreamTarget, SymbolicTarget, UnresolvedTarget {
        String urn();
    }

    /** An image stream (or another map) read at the entry's target offset. */
    public record StreamTarget(String urn, Layer layer) implements Target {
    }

    /** A symbolic stream. */
    public record SymbolicTarget(String urn, SymbolicStream stream) implements Target {
    }

    /** A target that no opened volume holds, or that cannot be opened. */
    public record UnresolvedTarget(String urn, String reason) implements Target {
    }

    /** A raw map entry as stored. */
    public record Entry(long mappedOffset, long length, long targetOffset, int targetId) {
    }

    private final String urn;
    private final long size;
    private final long[] starts;
    private final long[] lengths;
    private final long[] targetOffsets;
    /** Index into {@link #targets}, or -1 for a gap. */
    private final int[] targetIds;
    private final Target[] targets;
    private final SymbolicStream gap;
    private final String gapReason;
    private final int overlaps;

    private MapStream(String urn, long size, long[] starts, long[] lengths, long[] targetOffsets, int[] targetIds,
            Target[] targets, SymbolicStream gap, int overlaps) {
        this.urn = urn;
        this.size = size;
        this.starts = starts;
        this.lengths = lengths;
        this.targetOffsets = targetOffsets;
        this.targetIds = targetIds;
        this.targets = targets;
        this.gap = gap;
        this.gapReason = "gap in AFF4 map (" + Aff4Lexicon.shortName(gap.urn()) + ")";
        this.overlaps = overlaps;
    }

    /** Decodes the {@code map} segment's entries. */
    public static List<Entry> parseEntries(byte[] map) {
        ByteBuffer b = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
        int n = map.length / ENTRY_SIZE;
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = i * ENTRY_SIZE;
            out.add(new Entry(b.getLong(p), b.getLong(p + 8), b.getLong(p + 16), b.getInt(p + 24)));
        }
        return out;
    }

    /** Splits the {@code idx} segment into target URNs (one a line; CR and empty lines ignored). */
    public static List<String> parseTargets(byte[] idx) {
        List<String> out = new ArrayList<>();
        for (String line : new String(idx, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Builds the map.
     *
     * @param size    the map's aff4:size, or -1 to take the end of the last entry
     * @param entries the stored entries, in any order
     * @param targets the targets by number (from idx)
     * @param gap     the stream gaps read from
     */
    public static MapStream build(String urn, long size, List<Entry> entries, List<Target> targets, SymbolicStream gap) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.removeIf(e -> e.length() <= 0 || e.mappedOffset() < 0);
        sorted.sort((x, y) -> Long.compareUnsigned(x.mappedOffset(), y.mappedOffset()));
        long end = size;
        if (end < 0) {
            end = 0;
            for (Entry e : sorted) {
                end = Math.max(end, e.mappedOffset() + e.length());
            }
        }
        int capacity = sorted.size() * 2 + 1;
        long[] s = new long[capacity];
        long[] l = new long[capacity];
        long[] t = new long[capacity];
        int[] id = new int[capacity];
        Target[] targetArray = targets.toArray(new Target[0]);
        List<Target> extra = new ArrayList<>();
        int n = 0;
        long pos = 0;
        int overlaps = 0;
        for (Entry e : sorted) {
            long start = e.mappedOffset();
            long stop = Math.min(end, start + e.length());
            long targetOffset = e.targetOffset();
            if (start < pos) {
                overlaps++;
                targetOffset += pos - start;
                start = pos;
            }
            if (start >= stop) {
                continue;
            }
            if (start > pos) {
                s[n] = pos;
                l[n] = start - pos;
                t[n] = pos;
                id[n] = -1;
                n++;
            }
            int target = e.targetId();
            if (target < 0 || target >= targetArray.length) {
                extra.add(new UnresolvedTarget("target #" + target, "map entry names target number " + target
                        + " but the map's idx lists only " + targetArray.length + " targets"));
                target = targetArray.length + extra.size() - 1;
            }
            s[n] = start;
            l[n] = stop - start;
            t[n] = targetOffset;
            id[n] = target;
            n++;
            pos = stop;
        }
        if (pos < end) {
            s[n] = pos;
            l[n] = end - pos;
            t[n] = pos;
            id[n] = -1;
            n++;
        }
        if (!extra.isEmpty()) {
            List<Target> all = new ArrayList<>(targets);
            all.addAll(extra);
            targetArray = all.toArray(new Target[0]);
        }
        return new MapStream(urn, end, Arrays.copyOf(s, n), Arrays.copyOf(l, n), Arrays.copyOf(t, n),
                Arrays.copyOf(id, n), targetArray, gap, overlaps);
    }

    public String urn() {
        return urn;
    }

    @Override
    public String name() {
        return "AFF4 map " + urn;
    }

    @Override
    public long size() {
        return size;
    }

    /** @return the number of entries that overlapped an earlier one and were trimmed */
    public int overlappingEntries() {
        return overlaps;
    }

    public List<Target> targets() {
        return List.of(targets);
    }

    public SymbolicStream gapStream() {
        return gap;
    }

    /** A region of the map as resolved: gaps included, overlaps removed. */
    public record Region(long start, long length, long targetOffset, Target target) {
        public boolean isGap() {
            return target == null;
        }
    }

    /** @return every region of the map in address order (gaps have a null target) */
    public List<Region> regions() {
        List<Region> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) {
            out.add(new Region(starts[i], lengths[i], targetOffsets[i], targetIds[i] < 0 ? null : targets[targetIds[i]]));
        }
        return out;
    }

    private int regionAt(long address) {
        int i = Arrays.binarySearch(starts, address);
        return i >= 0 ? i : -i - 2;
    }

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
        int r = address >= 0 && address < size ? regionAt(address) : -1;
        while (remaining > 0) {
            if (a < 0 || a >= size || r < 0 || r >= starts.length) {
                Arrays.fill(buffer, o, o + remaining, (byte) 0);
                runs.accept(a, remaining, new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                        "address 0x%x is beyond the end of AFF4 map %s (size 0x%x)", a, urn, size)));
                break;
            }
            long delta = a - starts[r];
            int n = (int) Math.min(remaining, lengths[r] - delta);
            long targetAddress = targetOffsets[r] + delta;
            int id = targetIds[r];
            if (id < 0) {
                gap.fill(targetAddress, buffer, o, n);
                runs.accept(a, n, new PageProvenance.Missing(new MissingCause.OutsideImage(), gapReason));
            } else {
                Target target = targets[id];
                switch (target) {
                    case StreamTarget st -> {
                        long shift = a - targetAddress;
                        available += st.layer().read(targetAddress, buffer, o, n,
                                (ta, tl, p) -> runs.accept(ta + shift, tl, p));
                    }
                    case SymbolicTarget sy -> {
                        sy.stream().fill(targetAddress, buffer, o, n);
                        runs.accept(a, n, sy.stream().provenanceAt(targetAddress));
                        if (sy.stream().isContent()) {
                            available += n;
                        }
                    }
                    case UnresolvedTarget u -> {
                        Arrays.fill(buffer, o, o + n, (byte) 0);
                        runs.accept(a, n, new PageProvenance.Missing(new MissingCause.Unreadable(), u.reason()));
                    }
                }
            }
            a += n;
            o += n;
            remaining -= n;
            r++;
        }
        runs.flush();
        return available;
    }

    @Override
    public PageProvenance provenance(long address) {
        if (address < 0 || address >= size) {
            return new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                    "address 0x%x is beyond the end of AFF4 map %s (size 0x%x)", address, urn, size));
        }
        int r = regionAt(address);
        long targetAddress = targetOffsets[r] + (address - starts[r]);
        if (targetIds[r] < 0) {
            return new PageProvenance.Missing(new MissingCause.OutsideImage(), gapReason);
        }
        return switch (targets[targetIds[r]]) {
            case StreamTarget st -> st.layer().provenance(targetAddress);
            case SymbolicTarget sy -> sy.stream().provenanceAt(targetAddress);
            case UnresolvedTarget u -> new PageProvenance.Missing(new MissingCause.Unreadable(), u.reason());
        };
    }
}
