package org.vestige.registry.internal;

import java.nio.charset.StandardCharsets;

/**
 * MD4 (RFC 1320), which the JDK does not provide; NT password hashes are MD4 of the UTF-16LE password.
 */
public final class Md4 {

    private Md4() {
    }

    /** @return the NT hash of {@code password}: MD4 of its UTF-16LE bytes */
    public static byte[] ntHash(String password) {
        return digest(password.getBytes(StandardCharsets.UTF_16LE));
    }

    /** @return the 16-byte MD4 digest of {@code message} */
    public static byte[] digest(byte[] message) {
        long bitLength = (long) message.length * 8;
        int padded = ((message.length + 8) / 64 + 1) * 64;
        byte[] m = new byte[padded];
        System.arraycopy(message, 0, m, 0, message.length);
        m[message.length] = (byte) 0x80;
        LittleEndian.put64(m, padded - 8, bitLength);
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        int[] x = new int[16];
        for (int block = 0; block < padded; block += 64) {
            for (int i = 0; i < 16; i++) {
                x[i] = LittleEndian.i32(m, block + 4 * i);
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            for (int i = 0; i < 16; i += 4) {
                a = r1(a, b, c, d, x[i], 3);
                d = r1(d, a, b, c, x[i + 1], 7);
                c = r1(c, d, a, b, x[i + 2], 11);
                b = r1(b, c, d, a, x[i + 3], 19);
            }
            for (int i = 0; i < 4; i++) {
                a = r2(a, b, c, d, x[i], 3);
                d = r2(d, a, b, c, x[i + 4], 5);
                c = r2(c, d, a, b, x[i + 8], 9);
                b = r2(b, c, d, a, x[i + 12], 13);
            }
            int[] order = {0, 2, 1, 3};
            for (int i : order) {
                a = r3(a, b, c, d, x[i], 3);
                d = r3(d, a, b, c, x[i + 8], 9);
                c = r3(c, d, a, b, x[i + 4], 11);
                b = r3(b, c, d, a, x[i + 12], 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        byte[] out = new byte[16];
        LittleEndian.put32(out, 0, a);
        LittleEndian.put32(out, 4, b);
        LittleEndian.put32(out, 8, c);
        LittleEndian.put32(out, 12, d);
        return out;
    }

    private static int r1(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + ((b & c) | (~b & d)) + x, s);
    }

    private static int r2(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + ((b & c) | (b & d) | (c & d)) + x + 0x5a827999, s);
    }

    private static int r3(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + (b ^ c ^ d) + x + 0x6ed9eba1, s);
    }
}
