package org.vestige.windows.internal;

/**
 * Decodes a KDBG block that Windows 8 and later keep encoded when KdpDataBlockEncoded is set: each
 * qword {@code e} becomes {@code rol64(e ^ KiWaitNever, KiWaitNever & 0xFF)}, then
 * {@code bswap64(e ^ (VA(KdpDataBlockEncoded) | 0xFFFF000000000000))}, then {@code ^ KiWaitAlways}.
 */
public final class KdbgCodec {

    private KdbgCodec() {
    }

    public static long decode(long e, long waitNever, long waitAlways, long encodedFlagVa) {
        long x = Long.rotateLeft(e ^ waitNever, (int) (waitNever & 0xff));
        x = Long.reverseBytes(x ^ (encodedFlagVa | 0xFFFF000000000000L));
        return x ^ waitAlways;
    }

    /** Decodes {@code block} in place (whole qwords). */
    public static void decode(byte[] block, long waitNever, long waitAlways, long encodedFlagVa) {
        for (int i = 0; i + 8 <= block.length; i += 8) {
            long d = decode(Bytes.u64(block, i), waitNever, waitAlways, encodedFlagVa);
            for (int j = 0; j < 8; j++) {
                block[i + j] = (byte) (d >>> (8 * j));
            }
        }
    }
}
