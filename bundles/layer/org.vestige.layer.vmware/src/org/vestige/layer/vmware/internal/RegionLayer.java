package org.vestige.layer.vmware.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.layer.SegmentTable;
import org.vestige.core.layer.SegmentedLayer;
import org.vestige.layer.vmware.MemoryRegion;
import org.vestige.layer.vmware.VmwareState;

/**
 * Guest physical memory read through a VMware region map: each region's guest pages come from the
 * memory (a {@code .vmem}, or the {@code Memory} block of the state file, read through {@code source}),
 * and addresses between regions (the PCI hole) are reported missing. With no regions the memory is
 * linear. Bytes come with the provenance of the file they were read from, at the file's own offset.
 */
public final class RegionLayer extends SegmentedLayer {

    private final String name;
    private final Layer source;
    private final long base;
    private final long limit;
    private final VmwareState state;
    /** Why each gap is missing: entry {@code i} is the gap before region {@code i}, the last one the end. */
    private final PageProvenance.Missing[] gaps;
    private final PageProvenance.Missing beyondMemory;

    /**
     * @param source the file holding the memory, read at its own offsets
     * @param state  where the memory is in {@code source} and how guest pages map into it
     */
    public RegionLayer(String name, Layer source, VmwareState state) {
        super(table(state));
        this.name = name;
        this.source = source;
        this.state = state;
        this.base = state.memoryOffset();
        this.limit = state.memoryLength();
        SegmentTable t = segmentTable();
        this.gaps = new PageProvenance.Missing[t.count() + 1];
        for (int next = 0; next <= t.count(); next++) {
            gaps[next] = new PageProvenance.Missing(new MissingCause.OutsideImage(), gapReason(t, next));
        }
        String sourceName = state.memoryFile().getFileName().toString();
        this.beyondMemory = new PageProvenance.Missing(new MissingCause.Unreadable(), state.embeddedMemory()
                ? "past the " + limit + " bytes of memory held in " + sourceName
                : "beyond the end of " + sourceName + " (" + limit + " bytes): the file is shorter than its region map");
    }

    /** The regions as runs of the memory; no regions means the memory is guest memory from address 0. */
    private static SegmentTable table(VmwareState state) {
        List<SegmentTable.Segment> runs = new ArrayList<>();
        if (state.regions().isEmpty()) {
            if (state.memoryLength() > 0) {
                runs.add(new SegmentTable.Segment(0, state.memoryLength(), 0, 0));
            }
        } else {
            for (MemoryRegion r : state.regions()) {
                runs.add(new SegmentTable.Segment(r.physicalStart(), r.length(), 0, r.memoryOffset()));
            }
        }
        return SegmentTable.of(runs);
    }

    private static String gapReason(SegmentTable t, int next) {
        if (next >= t.count()) {
            return "beyond the guest's memory: the last VMware memory region ends at 0x" + Long.toHexString(t.end());
        }
        if (next == 0) {
            return "not guest memory: below the first VMware memory region (0x" + Long.toHexString(t.address(0)) + ")";
        }
        return "not guest memory: a hole (such as the PCI window) between VMware memory regions at 0x"
                + Long.toHexString(t.address(next - 1) + t.length(next - 1)) + " and 0x" + Long.toHexString(t.address(next));
    }

    /** @return what the checkpoint said */
    public VmwareState state() {
        return state;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected int readRun(int run, long address, long offset, byte[] buffer, int position, int length,
            ProvenanceSink sink) {
        int inMemory = offset >= limit ? 0 : (int) Math.min(length, limit - offset);
        int available = 0;
        if (inMemory > 0) {
            available = readBelow(source, address, base + offset, buffer, position, inMemory, sink);
        }
        if (inMemory < length) {
            Arrays.fill(buffer, position + inMemory, position + length, (byte) 0);
            sink.accept(address + inMemory, length - inMemory, beyondMemory);
        }
        return available;
    }

    @Override
    protected PageProvenance runProvenance(int run, long offset) {
        return offset < limit ? source.provenance(base + offset) : beyondMemory;
    }

    @Override
    protected PageProvenance.Missing gap(long address, int next) {
        return gaps[next];
    }

    @Override
    public void close() {
        source.close();
    }
}
