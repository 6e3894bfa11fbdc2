package org.vestige.layer.aff4.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.LittleEndian;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.layer.SegmentTable;
import org.vestige.core.layer.SegmentedLayer;

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
public final class MapStream extends SegmentedLayer {

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

    /**
     * A target that no opened volume holds, or that cannot be opened.
     *
     * @param cause why its bytes are missing: {@link MissingCause.OtherVolume} when another volume of the set holds
     *              them, else {@link MissingCause.Unreadable}
     */
    public record UnresolvedTarget(String urn, String reason, MissingCause cause) implements Target {

        /** A target that cannot be read. */
        public UnresolvedTarget(String urn, String reason) {
            this(urn, reason, new MissingCause.Unreadable());
        }
    }

    /** A raw map entry as stored. */
    public record Entry(long mappedOffset, long length, long targetOffset, int targetId) {
    }

    private final String urn;
    private final Target[] targets;
    private final SymbolicStream gap;
    private final PageProvenance.Missing gapMissing;
    private final int overlaps;

    private MapStream(String urn, long size, SegmentTable table, Target[] targets, SymbolicStream gap, int overlaps) {
        super(table, size);
        this.urn = urn;
        this.targets = targets;
        this.gap = gap;
        this.gapMissing = new PageProvenance.Missing(new MissingCause.OutsideImage(),
                "gap in AFF4 map (" + Aff4Lexicon.shortName(gap.urn()) + ")");
        this.overlaps = overlaps;
    }

    /** Decodes the {@code map} segment's entries. */
    public static List<Entry> parseEntries(byte[] map) {
        int n = map.length / ENTRY_SIZE;
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = i * ENTRY_SIZE;
            out.add(new Entry(LittleEndian.i64(map, p), LittleEndian.i64(map, p + 8), LittleEndian.i64(map, p + 16),
                    LittleEndian.i32(map, p + 24)));
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
        List<SegmentTable.Segment> runs = new ArrayList<>(entries.size());
        long end = Math.max(size, 0);
        for (Entry e : entries) {
            long stop = e.mappedOffset() + e.length();
            // entries at negative offsets, empty ones and ones whose end overflows map nothing
            if (e.length() > 0 && e.mappedOffset() >= 0 && stop >= 0) {
                runs.add(new SegmentTable.Segment(e.mappedOffset(), e.length(), e.targetId(), e.targetOffset()));
                if (size < 0) {
                    end = Math.max(end, stop);
                }
            }
        }
        SegmentTable table = SegmentTable.resolve(runs, end);
        Target[] targetArray = targets.toArray(new Target[0]);
        List<Target> extra = new ArrayList<>();
        List<SegmentTable.Segment> kept = table.segments();
        for (int i = 0; i < kept.size(); i++) {
            SegmentTable.Segment s = kept.get(i);
            int target = s.source();
            if (target < 0 || target >= targetArray.length) {
                extra.add(new UnresolvedTarget("target #" + target, "map entry names target number " + target
                        + " but the map's idx lists only " + targetArray.length + " targets"));
                kept.set(i, new SegmentTable.Segment(s.address(), s.length(), targetArray.length + extra.size() - 1,
                        s.offset()));
            }
        }
        if (!extra.isEmpty()) {
            List<Target> all = new ArrayList<>(targets);
            all.addAll(extra);
            targetArray = all.toArray(new Target[0]);
            return new MapStream(urn, end, SegmentTable.of(kept), targetArray, gap, table.trimmed());
        }
        return new MapStream(urn, end, table, targetArray, gap, table.trimmed());
    }

    public String urn() {
        return urn;
    }

    @Override
    public String name() {
        return "AFF4 map " + urn;
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
        SegmentTable t = segmentTable();
        List<Region> out = new ArrayList<>(t.count() * 2 + 1);
        long pos = 0;
        for (int i = 0; i < t.count(); i++) {
            if (t.address(i) > pos) {
                out.add(new Region(pos, t.address(i) - pos, pos, null));
            }
            out.add(new Region(t.address(i), t.length(i), t.offset(i), targets[t.source(i)]));
            pos = t.address(i) + t.length(i);
        }
        if (pos < size()) {
            out.add(new Region(pos, size() - pos, pos, null));
        }
        return out;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        if (length <= 0) {
            return 0;
        }
        RunReporter runs = new RunReporter(sink);
        int available = super.read(address, buffer, offset, length, runs);
        runs.flush();
        return available;
    }

    @Override
    protected int readRun(int run, long address, long targetAddress, byte[] buffer, int position, int length,
            ProvenanceSink sink) {
        switch (targets[segmentTable().source(run)]) {
            case StreamTarget st -> {
                return readBelow(st.layer(), address, targetAddress, buffer, position, length, sink);
            }
            case SymbolicTarget sy -> {
                sy.stream().fill(targetAddress, buffer, position, length);
                sink.accept(address, length, sy.stream().provenanceAt(targetAddress));
                return sy.stream().isContent() ? length : 0;
            }
            case UnresolvedTarget u -> {
                Arrays.fill(buffer, position, position + length, (byte) 0);
                sink.accept(address, length, new PageProvenance.Missing(u.cause(), u.reason()));
                return 0;
            }
        }
    }

    @Override
    protected PageProvenance runProvenance(int run, long targetAddress) {
        return switch (targets[segmentTable().source(run)]) {
            case StreamTarget st -> st.layer().provenance(targetAddress);
            case SymbolicTarget sy -> sy.stream().provenanceAt(targetAddress);
            case UnresolvedTarget u -> new PageProvenance.Missing(u.cause(), u.reason());
        };
    }

    /** Gaps read from the map's gap stream at the map offset itself. */
    @Override
    protected void fillGap(long address, byte[] buffer, int position, int length) {
        gap.fill(address, buffer, position, length);
    }

    @Override
    protected PageProvenance.Missing gap(long address, int next) {
        return gapMissing;
    }

    @Override
    protected PageProvenance.Missing beyondEnd(long address) {
        return new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                "address 0x%x is beyond the end of AFF4 map %s (size 0x%x)", address, urn, size()));
    }
}
