package org.vestige.registry.internal;

/**
 * Reads and writes little-endian integers in byte arrays, the byte order of every structure in a hive
 * and in the SAM and LSA records.
 */
public final class LittleEndian {

    private LittleEndian() {
    }

    public static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    public static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    public static int i32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    public static long u32(byte[] b, int at) {
        return i32(b, at) & 0xFFFF_FFFFL;
    }

    public static long i64(byte[] b, int at) {
        return (i32(b, at) & 0xFFFF_FFFFL) | ((long) i32(b, at + 4)) << 32;
    }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    public static void put64(byte[] b, int at, long v) {
        put32(b, at, v);
        put32(b, at + 4, v >>> 32);
    }
}
