package org.vestige.testing.synth;

import java.nio.charset.StandardCharsets;

/** Little-endian encoding of the integers and strings Windows keeps in memory. */
final class Le {

    private Le() {
    }

    static byte[] bytes(long value, int size) {
        byte[] b = new byte[size];
        put(b, 0, value, size);
        return b;
    }

    static void put(byte[] b, int offset, long value, int size) {
        for (int i = 0; i < size; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    static long get(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[offset + i] & 0xffL);
        }
        return v;
    }

    /** UTF-16LE without a terminator. */
    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }
}
