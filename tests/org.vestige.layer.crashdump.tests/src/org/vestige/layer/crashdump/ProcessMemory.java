package org.vestige.layer.crashdump;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/** A made-up process address space: known byte ranges, everything else unavailable. */
final class ProcessMemory implements Layer {

    /** What every address outside the ranges reads as: paged out, with no paging file. */
    static final PageProvenance.Missing PAGED_OUT = new PageProvenance.Missing(new MissingCause.PagedOut(0, 0x1a000),
            "paged out");

    private final TreeMap<Long, byte[]> ranges = new TreeMap<>(Long::compareUnsigned);

    ProcessMemory put(long address, byte[] bytes) {
        ranges.put(address, bytes.clone());
        return this;
    }

    @Override
    public String name() {
        return "test process";
    }

    @Override
    public long size() {
        return 0x8000_0000_0000L;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        int available = 0;
        for (int i = 0; i < length; i++) {
            long a = address + i;
            Map.Entry<Long, byte[]> e = ranges.floorEntry(a);
            if (e != null && Long.compareUnsigned(a - e.getKey(), e.getValue().length) < 0) {
                buffer[offset + i] = e.getValue()[(int) (a - e.getKey())];
                available++;
                sink.accept(a, 1, new PageProvenance.Physical(a));
            } else {
                buffer[offset + i] = 0;
                sink.accept(a, 1, PAGED_OUT);
            }
        }
        return available;
    }

    byte[] expected(long address, int length) {
        byte[] b = new byte[length];
        read(address, b, 0, length, ProvenanceSink.IGNORE);
        return b;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static byte[] withPrefix(byte[] prefix, int length, int seed) {
        byte[] b = pattern(length, seed);
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        return Arrays.copyOf(b, length);
    }
}
