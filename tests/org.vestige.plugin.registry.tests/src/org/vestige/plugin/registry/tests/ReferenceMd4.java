package org.vestige.plugin.registry.tests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * MD4 written from RFC 1320 for the tests alone, sharing no code with the registry engine's reader, so
 * an expected NT hash computed here catches an error the reader's own MD4 would repeat on both sides.
 */
final class ReferenceMd4 {

    private ReferenceMd4() {
    }

    /** @return the NT hash of {@code password} (MD4 of its UTF-16LE bytes), in lower-case hex */
    static String ntHash(String password) {
        return HexFormat.of().formatHex(digest(password.getBytes(StandardCharsets.UTF_16LE)));
    }

    static byte[] digest(byte[] message) {
        // RFC 1320 3.1-3.2: pad with 0x80 and zeros to 56 mod 64, then the bit length, little-endian
        int blocks = (message.length + 8) / 64 + 1;
        ByteBuffer padded = ByteBuffer.allocate(blocks * 64).order(ByteOrder.LITTLE_ENDIAN);
        padded.put(message).put((byte) 0x80);
        padded.putLong(blocks * 64 - 8, (long) message.length * 8);
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        int[] x = new int[16];
        for (int block = 0; block < blocks; block++) {
            for (int i = 0; i < 16; i++) {
                x[i] = padded.getInt(block * 64 + i * 4);
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            int[] r1 = {3, 7, 11, 19};
            for (int i = 0; i < 16; i++) {
                int f = (b & c) | (~b & d);
                int t = Integer.rotateLeft(a + f + x[i], r1[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            int[] r2 = {3, 5, 9, 13};
            for (int i = 0; i < 16; i++) {
                int k = (i % 4) * 4 + i / 4;
                int g = (b & c) | (b & d) | (c & d);
                int t = Integer.rotateLeft(a + g + x[k] + 0x5a827999, r2[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            int[] r3 = {3, 9, 11, 15};
            int[] order = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
            for (int i = 0; i < 16; i++) {
                int h = b ^ c ^ d;
                int t = Integer.rotateLeft(a + h + x[order[i]] + 0x6ed9eba1, r3[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).putInt(c).putInt(d).array();
    }
}
