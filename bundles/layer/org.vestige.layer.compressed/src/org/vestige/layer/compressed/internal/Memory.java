package org.vestige.layer.compressed.internal;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.LittleEndian;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/** Little-endian reads through a virtual layer that fail with an {@link Unreadable} naming what was read. */
public final class Memory {

    private final Layer layer;

    public Memory(Layer layer) {
        this.layer = layer;
    }

    public Layer layer() {
        return layer;
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Reads {@code length} bytes into {@code into} or fails with the reason of the first unreadable run. */
    public void read(long va, byte[] into, int offset, int length, String what) {
        String[] why = new String[1];
        MissingCause[] cause = {new MissingCause.OutsideImage()};
        int got = layer.read(va, into, offset, length, (a, l, p) -> {
            if (why[0] == null && p instanceof PageProvenance.Missing m) {
                why[0] = m.reason() + (a != va ? " (at " + hex(a) + ")" : "");
                cause[0] = m.cause();
            }
        });
        if (got != length) {
            throw new Unreadable(what + " at " + hex(va) + " cannot be read: " + (why[0] != null ? why[0]
                    : "outside the address space"), cause[0]);
        }
    }

    public byte[] bytes(long va, int length, String what) {
        byte[] b = new byte[length];
        read(va, b, 0, length, what);
        return b;
    }

    public long u64(long va, String what) {
        return LittleEndian.i64(bytes(va, 8, what), 0);
    }

    public long u32(long va, String what) {
        return LittleEndian.u32(bytes(va, 4, what), 0);
    }

    /** Reads a pointer that must be a canonical kernel address. */
    public long kernelPointer(long va, String what) {
        long p = u64(va, what);
        if (!isKernel(p)) {
            throw new Unreadable(what + " at " + hex(va) + " is " + hex(p) + ", not a kernel address");
        }
        return p;
    }

    public static boolean isKernel(long p) {
        return p < 0 && (p >> 47) == -1;
    }

    public static boolean isUser(long p) {
        return p > 0 && (p >>> 47) == 0;
    }
}
