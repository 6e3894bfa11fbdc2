package org.vestige.registry.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.Test;

public class CryptoPrimitivesTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String md4(String s) {
        return hex(Md4.digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void md4MatchesRfc1320TestSuite() {
        assertEquals("31d6cfe0d16ae931b73c59d7e0c089c0", md4(""));
        assertEquals("bde52cb31de33e46245e05fbdbd6fb24", md4("a"));
        assertEquals("a448017aaf21d8525fc10ae87aa6729d", md4("abc"));
        assertEquals("d9130a8164549fe818874806e1c7014b", md4("message digest"));
        assertEquals("d79e1c308aa5bbcdeea8ed63df412da9", md4("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("043f8582f241db351ce627e153e7f0e4",
                md4("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
        assertEquals("e33b4ddc9c38f2199c3e7b164fcc0536",
                md4("12345678901234567890123456789012345678901234567890123456789012345678901234567890"));
    }

    @Test
    public void ntAndLmHashesOfWellKnownPasswords() {
        assertEquals("8846f7eaee8fb117ad06bdd830b7586c", hex(Md4.ntHash("password")));
        assertEquals("31d6cfe0d16ae931b73c59d7e0c089c0", hex(Md4.ntHash("")));
        assertEquals("e52cac67419a9a224a3b108f3fa6cb6d", hex(LmHash.of("password").orElseThrow()));
        assertEquals("aad3b435b51404eeaad3b435b51404ee", hex(LmHash.of("").orElseThrow()));
        assertEquals(false, LmHash.of("fifteen chars!!").isPresent());
    }

    @Test
    public void ridKeysMatchTheVector() {
        byte[][] keys = DesKey.fromRid(500);
        assertEquals("f40040000ea00400", hex(keys[0]));
        assertEquals("007a00200006d002", hex(keys[1]));
    }

    @Test
    public void parityBitsDoNotChangeTheCipher() {
        byte[] key = DesKey.fromRid(1001)[0];
        byte[] odd = DesKey.withOddParity(key);
        for (byte b : odd) {
            assertEquals(1, Integer.bitCount(b & 0xFF) % 2);
        }
        byte[] block = "8 bytes!".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(Ciphers.des(true, key, block, 0, 8), Ciphers.des(true, odd, block, 0, 8));
    }
}
