package org.vestige.fuzz;

import org.vestige.core.layer.Layer;

/**
 * Reads a bounded sample of a layer so that lazy paths (run tables, chunk indexes, decompression) run:
 * the first pages, pages spread over the address space, the last page, a read that straddles a page
 * boundary, and the provenance of each sampled page. Layers never throw for unavailable data, so any
 * exception here is a finding.
 */
final class LayerReads {

    private static final int PAGE = 4096;
    private static final int SPREAD = 16;

    private LayerReads() {
    }

    /** Samples {@code layer}; its size is unsigned (a virtual address space ends at or near 2^64). */
    static void sample(Layer layer) {
        layer.name();
        long size = layer.size();
        byte[] page = new byte[PAGE];
        for (int i = 0; i < 4; i++) {
            read(layer, (long) i * PAGE, page);
        }
        long stride = Math.max(PAGE, Long.divideUnsigned(size, SPREAD) & ~(PAGE - 1L));
        for (int i = 0; i < SPREAD && Long.compareUnsigned(i * stride, size) < 0; i++) {
            read(layer, i * stride, page);
        }
        if (size != 0) {
            read(layer, (size - 1) & ~(PAGE - 1L), page);
        }
        read(layer, PAGE - 7, page);
    }

    private static void read(Layer layer, long address, byte[] page) {
        int n = layer.read(address, page, 0, page.length);
        if (n < 0 || n > page.length) {
            throw new IllegalStateException(layer.name() + " read " + n + " bytes of " + page.length);
        }
        layer.provenance(address);
    }
}
