package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;

/** Little-endian encoding of the integers and strings Windows keeps in memory. */
public final class Le {

    private Le() {
    }

    public static byte[] bytes(long value, int size) {
        byte[] b = new byte[size];
        put(b, 0, value, size);
        return b;
    }

    public static void put(byte[] b, int offset, long value, int size) {
        for (int i = 0; i < size; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    public static long get(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[offset + i] & 0xffL);
        }
        return v;
    }

    /** UTF-16LE without a terminator. */
    public static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }
}
