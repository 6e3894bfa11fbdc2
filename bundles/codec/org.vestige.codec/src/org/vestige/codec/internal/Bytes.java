package org.vestige.codec.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian loads and stores on byte arrays (bounds-checked by the VarHandle). */
final class Bytes {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static int intLE(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    static void putIntLE(byte[] b, int i, int v) {
        INT_LE.set(b, i, v);
    }

    static long longLE(byte[] b, int i) {
        return (long) LONG_LE.get(b, i);
    }

    static void putLongLE(byte[] b, int i, long v) {
        LONG_LE.set(b, i, v);
    }

    static int u16(byte[] b, int i) {
        return (short) SHORT_LE.get(b, i) & 0xFFFF;
    }

    static void putShortLE(byte[] b, int i, int v) {
        SHORT_LE.set(b, i, (short) v);
    }
}
