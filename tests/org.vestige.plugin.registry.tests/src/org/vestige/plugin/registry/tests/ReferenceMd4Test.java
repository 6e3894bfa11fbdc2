package org.vestige.plugin.registry.tests;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.Test;

/** The tests' own MD4 against RFC 1320's test suite and the NT hashes every analyst knows. */
public class ReferenceMd4Test {

    private static String md4(String ascii) {
        return HexFormat.of().formatHex(ReferenceMd4.digest(ascii.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void rfc1320TestSuite() {
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
    public void publishedNtHashes() {
        assertEquals("8846f7eaee8fb117ad06bdd830b7586c", ReferenceMd4.ntHash("password"));
        assertEquals("31d6cfe0d16ae931b73c59d7e0c089c0", ReferenceMd4.ntHash(""));
    }
}
