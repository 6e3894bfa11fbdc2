package org.vestige.layer.crashdump.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.layer.SegmentTable;
import org.vestige.core.layer.SegmentedLayer;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.DumpLayer;

/**
 * A layer made of address ranges, each stored contiguously somewhere in the dump file: the runs of
 * a complete crash dump, the PFN ranges of a newer kernel dump, the data blocks of a triage dump, the
 * memory ranges of a minidump. Addresses between ranges are reported missing with one reason.
 *
 * <p>Addresses are unsigned. Where two ranges overlap, the one that starts lower keeps the shared
 * bytes (both are copies of the same memory at the time of the dump).
 */
public final class MappedLayer extends SegmentedLayer implements DumpLayer {

    /** One stored range: {@code length} bytes at {@code address} held at {@code fileOffset}. */
    public record Segment(long address, long length, long fileOffset) {
    }

    private final String name;
    private final AddressSpace space;
    private final DumpFile file;
    private final PageProvenance.Missing gap;

    private MappedLayer(String name, AddressSpace space, DumpFile file, SegmentTable table, PageProvenance.Missing gap) {
        super(table);
        this.name = name;
        this.space = space;
        this.file = file;
        this.gap = gap;
    }

    /**
     * Builds a layer over {@code segments} (in any order, possibly overlapping).
     *
     * @param gapCause  why addresses outside every segment are missing: {@link MissingCause.OutsideImage} where
     *                  the segments are the machine's memory map, {@link MissingCause.NotCaptured} where the dump
     *                  left memory out
     * @param gapReason the same in the analyst's words
     */
    public static MappedLayer of(String name, AddressSpace space, DumpFile file, List<Segment> segments,
            MissingCause gapCause, String gapReason) {
        List<SegmentTable.Segment> runs = new ArrayList<>(segments.size());
        for (Segment s : segments) {
            runs.add(new SegmentTable.Segment(s.address(), s.length(), 0, s.fileOffset()));
        }
        return new MappedLayer(name, space, file, SegmentTable.resolve(runs, -1L),
                new PageProvenance.Missing(gapCause, gapReason));
    }

    @Override
    public String name() {
        return name;
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
    protected int readRun(int run, long address, long offset, byte[] buffer, int position, int length,
            ProvenanceSink sink) {
        return file.copyTo(address, offset, buffer, position, length, sink);
    }

    @Override
    protected PageProvenance runProvenance(int run, long offset) {
        return file.provenanceOf(offset);
    }

    @Override
    protected PageProvenance.Missing gap(long address, int next) {
        return gap;
    }

    @Override
    public String toString() {
        return name;
    }
}
