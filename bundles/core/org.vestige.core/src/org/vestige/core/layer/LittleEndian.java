package org.vestige.core.layer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian integers in byte arrays: the byte order of x86 and x64 memory, of every Windows structure
 * (kernel objects, page tables, registry hives, PE images) and of the evidence formats that hold them
 * (crash dumps, VMware checkpoints, AFF4 maps). Reads and writes are bounds-checked: an index that leaves
 * the array throws {@link IndexOutOfBoundsException}.
 *
 * @since 0.1
 */
public final class LittleEndian {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** @return the unsigned byte at {@code at} */
    public static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    /** @return the unsigned 16-bit integer at {@code at} */
    public static int u16(byte[] b, int at) {
        return (short) SHORT.get(b, at) & 0xFFFF;
    }

    /** @return the 32-bit integer at {@code at}, signed */
    public static int i32(byte[] b, int at) {
        return (int) INT.get(b, at);
    }

    /** @return the unsigned 32-bit integer at {@code at} */
    public static long u32(byte[] b, int at) {
        return (int) INT.get(b, at) & 0xFFFF_FFFFL;
    }

    /** @return the 64-bit integer at {@code at} (an address or an unsigned count has the same bits) */
    public static long i64(byte[] b, int at) {
        return (long) LONG.get(b, at);
    }

    /** @return the unsigned integer of {@code size} bytes (0 to 8) at {@code at} */
    public static long uint(byte[] b, int at, int size) {
        switch (size) {
            case 8:
                return i64(b, at);
            case 4:
                return u32(b, at);
            case 2:
                return u16(b, at);
            case 1:
                return u8(b, at);
            default:
                if (size < 0 || size > 8) {
                    throw new IllegalArgumentException("an integer of " + size + " bytes (0 to 8 are)");
                }
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = (v << 8) | (b[at + i] & 0xFFL);
                }
                return v;
        }
    }

    /** Stores the low 16 bits of {@code v} at {@code at}. */
    public static void put16(byte[] b, int at, int v) {
        SHORT.set(b, at, (short) v);
    }

    /** Stores the low 32 bits of {@code v} at {@code at}. */
    public static void put32(byte[] b, int at, long v) {
        INT.set(b, at, (int) v);
    }

    /** Stores {@code v} at {@code at}. */
    public static void put64(byte[] b, int at, long v) {
        LONG.set(b, at, v);
    }

    /** Stores the low {@code size} bytes (0 to 8) of {@code v} at {@code at}. */
    public static void put(byte[] b, int at, long v, int size) {
        if (size < 0 || size > 8) {
            throw new IllegalArgumentException("an integer of " + size + " bytes (0 to 8 are)");
        }
        for (int i = 0; i < size; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
