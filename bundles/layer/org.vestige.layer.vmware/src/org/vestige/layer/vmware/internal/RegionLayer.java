package org.vestige.layer.vmware.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.layer.vmware.MemoryRegion;
import org.vestige.layer.vmware.VmwareState;

/**
 * Guest physical memory read through a VMware region map: each region's guest pages come from the
 * memory (a {@code .vmem}, or the {@code Memory} block of the state file, read through {@code source}),
 * and addresses between regions (the PCI hole) are reported missing. With no regions the memory is
 * linear. Bytes come with the provenance of the file they were read from, at the file's own offset.
 */
public final class RegionLayer implements Layer {

    private final String name;
    private final Layer source;
    private final String sourceName;
    private final long base;
    private final long limit;
    private final long[] start;
    private final long[] end;
    private final long[] memory;
    private final long size;
    private final VmwareState state;

    /**
     * @param source the file holding the memory, read at its own offsets
     * @param state  where the memory is in {@code source} and how guest pages map into it
     */
    public RegionLayer(String name, Layer source, VmwareState state) {
        this.name = name;
        this.source = source;
        this.state = state;
        this.sourceName = state.memoryFile().getFileName().toString();
        this.base = state.memoryOffset();
        this.limit = state.memoryLength();
        List<MemoryRegion> regions = state.regions();
        if (regions.isEmpty()) {
            start = new long[] {0};
            end = new long[] {limit};
            memory = new long[] {0};
        } else {
            int n = regions.size();
            start = new long[n];
            end = new long[n];
            memory = new long[n];
            for (int i = 0; i < n; i++) {
                start[i] = regions.get(i).physicalStart();
                end[i] = regions.get(i).physicalEnd();
                memory[i] = regions.get(i).memoryOffset();
            }
        }
        this.size = end[end.length - 1];
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
    public long size() {
        return size;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int available = 0;
        int done = 0;
        while (done < length) {
            long a = address + done;
            int i = region(a);
            if (i >= 0) {
                int n = (int) Math.min(length - done, end[i] - a);
                long rel = memory[i] + (a - start[i]);
                int inMemory = rel >= limit ? 0 : (int) Math.min(n, limit - rel);
                if (inMemory > 0) {
                    long fileOffset = base + rel;
                    ProvenanceSink relay = sink == ProvenanceSink.IGNORE ? sink
                            : (fa, fl, p) -> sink.accept(a + (fa - fileOffset), fl, p);
                    available += source.read(fileOffset, buffer, offset + done, inMemory, relay);
                }
                if (inMemory < n) {
                    missing(a + inMemory, buffer, offset + done + inMemory, n - inMemory, sink, beyondMemory());
                }
                done += n;
            } else {
                int next = -i - 1;
                long stop = next < start.length ? start[next] : Long.MAX_VALUE;
                long room = stop - a;
                int n = (int) Math.min(length - done, room <= 0 ? Long.MAX_VALUE : room);
                missing(a, buffer, offset + done, n, sink, gap(next));
                done += n;
            }
        }
        return available;
    }

    private static void missing(long address, byte[] buffer, int offset, int n, ProvenanceSink sink, String reason) {
        Arrays.fill(buffer, offset, offset + n, (byte) 0);
        sink.accept(address, n, new PageProvenance.Missing(new MissingCause.OutsideImage(), reason));
    }

    /** @return the index of the region holding {@code address}, or -(index of the next region)-1 */
    private int region(long address) {
        if (address < 0) {
            return -1;
        }
        int lo = 0;
        int hi = start.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < start[mid]) {
                hi = mid - 1;
            } else if (address >= end[mid]) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private String gap(int next) {
        if (next >= start.length) {
            return "beyond the guest's memory: the last VMware memory region ends at 0x"
                    + Long.toHexString(end[end.length - 1]);
        }
        if (next == 0) {
            return "not guest memory: below the first VMware memory region (0x" + Long.toHexString(start[0]) + ")";
        }
        return "not guest memory: a hole (such as the PCI window) between VMware memory regions at 0x"
                + Long.toHexString(end[next - 1]) + " and 0x" + Long.toHexString(start[next]);
    }

    private String beyondMemory() {
        return state.embeddedMemory()
                ? "past the " + limit + " bytes of memory held in " + sourceName
                : "beyond the end of " + sourceName + " (" + limit + " bytes): the file is shorter than its region map";
    }

    @Override
    public PageProvenance provenance(long address) {
        int i = region(address);
        if (i < 0) {
            return new PageProvenance.Missing(new MissingCause.OutsideImage(), gap(-i - 1));
        }
        long rel = memory[i] + (address - start[i]);
        return rel < limit ? source.provenance(base + rel) : new PageProvenance.Missing(new MissingCause.OutsideImage(), beyondMemory());
    }

    @Override
    public void close() {
        source.close();
    }
}
