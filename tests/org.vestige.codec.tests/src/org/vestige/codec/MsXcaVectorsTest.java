package org.vestige.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.Test;
import org.vestige.testing.TestData;

/**
 * Microsoft's MS-XCA conformance vectors (compression/ms-xca) and the worked examples of MS-XCA
 * section 3.1, decoded both into a buffer of the exact size and into a larger one (where the
 * stream's own end marker must stop the decoder).
 */
public class MsXcaVectorsTest {

    private static final String DIR = "compression/ms-xca/";
    private static final String[] NAMES = { "a_z", "a_z_large", "abc_100", "abc_100_large" };

    private static byte[] file(String name) {
        return TestData.readAll(DIR + name + ".data");
    }

    /** Decodes exactly and with spare room; both must give {@code expected}. */
    private static void assertDecodes(Codec codec, byte[] compressed, byte[] expected) throws CodecException {
        assertArrayEquals(codec.id(), expected, codec.decompressor().decompress(compressed, expected.length));
        byte[] roomy = new byte[expected.length + 4096];
        int n = codec.decompressor().decompress(compressed, 0, compressed.length, roomy, 0, roomy.length);
        assertEquals(codec.id() + " length with spare room", expected.length, n);
        assertArrayEquals(expected, java.util.Arrays.copyOf(roomy, n));
    }

    @Test
    public void plainLz77FilesDecodeToTheirUncompressedFiles() throws CodecException {
        for (String name : NAMES) {
            assertDecodes(Codec.XPRESS, file("LZ77_Compressed_" + name), file("Uncompressed_" + name));
        }
    }

    @Test
    public void plainLz77EncoderReproducesMicrosoftsFilesByteForByte() {
        for (String name : NAMES) {
            assertArrayEquals(name, file("LZ77_Compressed_" + name),
                    Codec.XPRESS.compressor().compress(file("Uncompressed_" + name)));
        }
    }

    @Test
    public void huffmanFilesDecodeToTheirUncompressedFiles() throws CodecException {
        assertDecodes(Codec.XPRESS_HUFFMAN, file("LZ77Huffman_Compressed_a_z"), file("Uncompressed_a_z"));
        assertDecodes(Codec.XPRESS_HUFFMAN, file("LZ77Huffman_Compressed_a_z_large"), file("Uncompressed_a_z_large"));
    }

    /**
     * Microsoft's two LZ77+Huffman "abc" files carry each other's names: the 1,315-byte file is five
     * blocks holding the 300,000-byte string, the 263-byte file one block holding the 300-byte one.
     */
    @Test
    public void huffmanAbcFilesDecodeToEachOthersUncompressedFile() throws CodecException {
        byte[] fiveBlocks = file("LZ77Huffman_Compressed_abc_100");
        byte[] oneBlock = file("LZ77Huffman_Compressed_abc_100_large");
        assertEquals(1315, fiveBlocks.length);
        assertEquals(263, oneBlock.length);
        assertDecodes(Codec.XPRESS_HUFFMAN, fiveBlocks, file("Uncompressed_abc_100_large"));
        assertDecodes(Codec.XPRESS_HUFFMAN, oneBlock, file("Uncompressed_abc_100"));
    }

    @Test
    public void lznt1FilesDecodeToTheirUncompressedFiles() throws CodecException {
        assertDecodes(Codec.LZNT1, file("LZNT1_Compressed"), file("LZNT1_Uncompressed"));
        assertDecodes(Codec.LZNT1, file("LZNT1_Compressed_large"), file("LZNT1_Uncompressed_large"));
    }

    @Test
    public void lznt1SmallVectorIsTheMsXcaExample() {
        String expected = "F# F# G A A G F# E D D E F# F# E E F# F# G A A G F# E D D E F# E D D E E F# D E F# G F# "
                + "D E F# G F# E D E A F# F# G A A G F# E D D E F# E D D\0";
        assertArrayEquals(expected.getBytes(StandardCharsets.US_ASCII), file("LZNT1_Uncompressed"));
    }

    // The three plain LZ77 examples of MS-XCA 3.1, as literal bytes.

    private static final HexFormat HEX = HexFormat.of();

    private static void assertExample(String plain, String compressedHex) throws CodecException {
        byte[] expected = plain.getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = HEX.parseHex(compressedHex.replace(" ", ""));
        assertDecodes(Codec.XPRESS, compressed, expected);
        assertArrayEquals(compressed, Codec.XPRESS.compressor().compress(expected));
    }

    @Test
    public void alphabetExample() throws CodecException {
        assertExample("abcdefghijklmnopqrstuvwxyz", "3f000000" + HEX.formatHex(
                "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void abcTimes100Example() throws CodecException {
        assertExample("abc".repeat(100), "ff ff ff 1f 61 62 63 17 00 0f ff 26 01");
    }

    @Test
    public void sharedHalfByteExample() throws CodecException {
        assertExample("aaaaaaaaaaaabaaaaaaaaaaaa", "ff ff ff 5f 61 07 00 21 62 67 00");
    }

    @Test
    public void lz4SelfTestBlock() throws CodecException {
        byte[] block = HEX.parseHex("805445535400000000");
        byte[] expected = "TEST\0\0\0\0".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, Codec.LZ4.decompressor().decompress(block, 8));
        byte[] roomy = new byte[64];
        assertEquals(8, Codec.LZ4.decompressor().decompress(block, 0, block.length, roomy, 0, roomy.length));
    }
}
