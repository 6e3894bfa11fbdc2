package org.vestige.registry.internal;

/**
 * DES keys from 7-byte (56-bit) key material, as the SAM, LM hashes and LSA use them: the 56 bits are
 * spread over eight bytes, seven bits each in the high bits, the low (parity) bit left clear. DES
 * ignores parity bits, so {@link #withOddParity(byte[])} gives an equivalent key for code that checks.
 */
public final class DesKey {

    private DesKey() {
    }

    /** @return the 8-byte DES key made from the first 7 bytes of {@code k} at {@code at} */
    public static byte[] expand(byte[] k, int at) {
        int b0 = k[at] & 0xFF;
        int b1 = k[at + 1] & 0xFF;
        int b2 = k[at + 2] & 0xFF;
        int b3 = k[at + 3] & 0xFF;
        int b4 = k[at + 4] & 0xFF;
        int b5 = k[at + 5] & 0xFF;
        int b6 = k[at + 6] & 0xFF;
        int[] out = {
            b0 >> 1,
            (b0 & 0x01) << 6 | b1 >> 2,
            (b1 & 0x03) << 5 | b2 >> 3,
            (b2 & 0x07) << 4 | b3 >> 4,
            (b3 & 0x0F) << 3 | b4 >> 5,
            (b4 & 0x1F) << 2 | b5 >> 6,
            (b5 & 0x3F) << 1 | b6 >> 7,
            b6 & 0x7F,
        };
        byte[] key = new byte[8];
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (out[i] << 1);
        }
        return key;
    }

    /** @return the 8-byte DES key made from a 7-byte array */
    public static byte[] expand(byte[] seven) {
        if (seven.length != 7) {
            throw new IllegalArgumentException("need 7 bytes of key material, got " + seven.length);
        }
        return expand(seven, 0);
    }

    /** @return a copy of {@code key} with each byte's low bit set so that the byte has odd parity */
    public static byte[] withOddParity(byte[] key) {
        byte[] out = key.clone();
        for (int i = 0; i < out.length; i++) {
            int high = out[i] & 0xFE;
            out[i] = (byte) (Integer.bitCount(high) % 2 == 0 ? high | 1 : high);
        }
        return out;
    }

    /**
     * The two keys the SAM uses to wrap a user's hash halves, from the RID's little-endian bytes
     * r0..r3: key 1 from r0 r1 r2 r3 r0 r1 r2, key 2 from r3 r0 r1 r2 r3 r0 r1.
     */
    public static byte[][] fromRid(long rid) {
        byte[] r = new byte[4];
        LittleEndian.put32(r, 0, rid);
        byte[] k1 = {r[0], r[1], r[2], r[3], r[0], r[1], r[2]};
        byte[] k2 = {r[3], r[0], r[1], r[2], r[3], r[0], r[1]};
        return new byte[][] {expand(k1), expand(k2)};
    }
}
