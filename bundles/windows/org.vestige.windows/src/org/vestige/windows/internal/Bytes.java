package org.vestige.windows.internal;

import org.vestige.core.layer.LittleEndian;

/** Little-endian reads from byte arrays (the engine's names for {@link LittleEndian}) and a byte search. */
public final class Bytes {

    private Bytes() {
    }

    public static int u16(byte[] b, int at) {
        return LittleEndian.u16(b, at);
    }

    public static long u32(byte[] b, int at) {
        return LittleEndian.u32(b, at);
    }

    public static long u64(byte[] b, int at) {
        return LittleEndian.i64(b, at);
    }

    /** @return an unsigned little-endian integer of {@code size} bytes (0–8) */
    public static long uint(byte[] b, int at, int size) {
        return LittleEndian.uint(b, at, size);
    }

    /** @return the index of {@code needle} in {@code hay} from {@code from}, or -1 */
    public static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
