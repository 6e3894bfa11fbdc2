package org.vestige.registry.internal;

/**
 * Little-endian integers in byte arrays, the byte order of every structure in a hive and in the SAM and LSA
 * records: the registry's names for {@link org.vestige.core.layer.LittleEndian}.
 */
public final class LittleEndian {

    private LittleEndian() {
    }

    public static int u8(byte[] b, int at) {
        return org.vestige.core.layer.LittleEndian.u8(b, at);
    }

    public static int u16(byte[] b, int at) {
        return org.vestige.core.layer.LittleEndian.u16(b, at);
    }

    public static int i32(byte[] b, int at) {
        return org.vestige.core.layer.LittleEndian.i32(b, at);
    }

    public static long u32(byte[] b, int at) {
        return org.vestige.core.layer.LittleEndian.u32(b, at);
    }

    public static long i64(byte[] b, int at) {
        return org.vestige.core.layer.LittleEndian.i64(b, at);
    }

    public static void put16(byte[] b, int at, int v) {
        org.vestige.core.layer.LittleEndian.put16(b, at, v);
    }

    public static void put32(byte[] b, int at, long v) {
        org.vestige.core.layer.LittleEndian.put32(b, at, v);
    }

    public static void put64(byte[] b, int at, long v) {
        org.vestige.core.layer.LittleEndian.put64(b, at, v);
    }
}
