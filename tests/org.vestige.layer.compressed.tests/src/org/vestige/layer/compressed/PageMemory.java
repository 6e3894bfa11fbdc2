package org.vestige.layer.compressed;

import java.util.HashMap;
import java.util.Map;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/** A sparse virtual address space of 4 KiB pages for tests: pages not put are missing. */
final class PageMemory implements Layer {

    private final Map<Long, byte[]> pages = new HashMap<>();

    /** @return the page at {@code va} (page-aligned), created zero-filled */
    byte[] page(long va) {
        return pages.computeIfAbsent(va & ~0xFFFL, k -> new byte[4096]);
    }

    void remove(long va) {
        pages.remove(va & ~0xFFFL);
    }

    void putLong(long va, long value) {
        for (int i = 0; i < 8; i++) {
            page(va + i)[(int) ((va + i) & 0xFFF)] = (byte) (value >>> (8 * i));
        }
    }

    void putInt(long va, long value) {
        for (int i = 0; i < 4; i++) {
            page(va + i)[(int) ((va + i) & 0xFFF)] = (byte) (value >>> (8 * i));
        }
    }

    void putShort(long va, int value) {
        page(va)[(int) (va & 0xFFF)] = (byte) value;
        page(va + 1)[(int) ((va + 1) & 0xFFF)] = (byte) (value >>> 8);
    }

    void putByte(long va, int value) {
        page(va)[(int) (va & 0xFFF)] = (byte) value;
    }

    @Override
    public String name() {
        return "test memory";
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        int available = 0;
        while (length > 0) {
            int within = (int) (address & 0xFFF);
            int n = Math.min(length, 4096 - within);
            byte[] p = pages.get(address & ~0xFFFL);
            if (p == null) {
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                sink.accept(address, n, new PageProvenance.Missing(new MissingCause.NotMapped(), "not mapped"));
            } else {
                System.arraycopy(p, within, buffer, offset, n);
                sink.accept(address, n, new PageProvenance.Physical(address));
                available += n;
            }
            address += n;
            offset += n;
            length -= n;
        }
        return available;
    }
}
