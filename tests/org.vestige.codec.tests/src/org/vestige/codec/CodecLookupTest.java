package org.vestige.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

public class CodecLookupTest {

    @Test
    public void findsEveryCodecByItsId() {
        for (Codec c : Codec.values()) {
            assertSame(c, Codec.byName(c.id()));
            assertSame(c, c.decompressor().codec());
            assertSame(c, c.compressor().codec());
        }
        assertEquals(5, Codec.values().length);
    }

    @Test
    public void acceptsAliasesAndIgnoresCase() {
        assertSame(Codec.XPRESS, Codec.byName("LZ77"));
        assertSame(Codec.XPRESS, Codec.byName(" lzxpress "));
        assertSame(Codec.XPRESS_HUFFMAN, Codec.byName("XPRESS_HUFFMAN"));
        assertSame(Codec.XPRESS_HUFFMAN, Codec.byName("xpress-huff"));
        assertSame(Codec.LZ4, Codec.byName("Lz4"));
        assertFalse(Codec.find(null).isPresent());
        assertFalse(Codec.find("deflate").isPresent());
    }

    @Test
    public void unknownNameListsTheKnownOnes() {
        try {
            Codec.byName("zstd");
            fail("expected IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("zstd"));
            assertTrue(e.getMessage(), e.getMessage().contains("xpress, xpress-huffman, lznt1, lz4, snappy"));
        }
    }

    @Test
    public void mapsWindowsCompressionFormatNumbers() {
        assertSame(Codec.LZNT1, Codec.byWindowsFormat(2).orElseThrow());
        assertSame(Codec.XPRESS, Codec.byWindowsFormat(3).orElseThrow());
        assertSame(Codec.XPRESS_HUFFMAN, Codec.byWindowsFormat(4).orElseThrow());
        assertFalse(Codec.byWindowsFormat(0).isPresent());
        assertFalse(Codec.byWindowsFormat(-1).isPresent());
        assertFalse(Codec.byWindowsFormat(5).isPresent());
    }
}
