package org.vestige.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** Truncated, corrupt and inconsistent streams give a {@link CodecException} saying what and where. */
public class MalformedInputTest {

    @Rule
    public Timeout timeout = Timeout.seconds(30);

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** Decodes into {@code outLen} bytes, expecting a failure whose message holds every fragment. */
    private static CodecException assertRejected(Codec codec, byte[] in, int outLen, String... fragments) {
        try {
            int n = codec.decompressor().decompress(in, 0, in.length, new byte[outLen], 0, outLen);
            fail(codec.id() + " accepted malformed input, produced " + n + " bytes");
            return null;
        } catch (CodecException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(codec.id() + ": "));
            for (String f : fragments) {
                assertTrue("'" + f + "' in: " + e.getMessage(), e.getMessage().contains(f));
            }
            assertEquals(codec.id(), e.codec());
            return e;
        }
    }

    // ---- plain LZ77 ----

    @Test
    public void xpressEmptyAndTruncatedFlagWord() {
        assertRejected(Codec.XPRESS, new byte[0], 10, "flag word is due", "input offset 0");
        assertRejected(Codec.XPRESS, hex("0000"), 10, "inside a flag word", "input offset 0");
    }

    @Test
    public void xpressTruncatedLiterals() {
        CodecException e = assertRejected(Codec.XPRESS, hex("00000000 41 42"), 10, "input ends inside a run of");
        assertEquals(6, e.inputOffset());
    }

    @Test
    public void xpressOffsetBeforeOutputStart() {
        // One literal, then a match 3 bytes back (token 0x0010: offset 3, length 3).
        CodecException e = assertRejected(Codec.XPRESS, hex("ffffff7f 61 1000"), 10,
                "match offset 3 reaches before the start of the output", "input offset 5", "output position 1");
        assertEquals(5, e.inputOffset());
        assertEquals(1, e.outputPosition());
        // As the very first item.
        assertRejected(Codec.XPRESS, hex("ffffffff 0000"), 10, "match offset 1 reaches before the start");
    }

    @Test
    public void xpressMatchOverrunsTheOutput() {
        byte[] abc300 = hex("ff ff ff 1f 61 62 63 17 00 0f ff 26 01");
        assertRejected(Codec.XPRESS, abc300, 100, "match of 297 bytes overruns the output end (97 bytes left)",
                "output position 3");
        // A 32-bit length of 4 GiB - 1 is refused without trying to honour it.
        assertRejected(Codec.XPRESS, hex("ffffff1f 616263 1700 0f ff 0000 ffffffff"), 4096, "overruns the output end");
    }

    @Test
    public void xpressExtendedLengthBelowItsMinimum() {
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 0700 0f ff 1500"), 100,
                "extended match length 21 is below the minimum of 22");
    }

    @Test
    public void xpressTruncatedLengths() {
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 07"), 100, "inside a match token");
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 0700"), 100, "half-byte is due");
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 0700 0f"), 100, "length byte is due");
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 0700 0f ff 00"), 100, "inside a 16-bit match length");
        assertRejected(Codec.XPRESS, hex("ffffff7f 61 0700 0f ff 0000 0100"), 100, "inside a 32-bit match length");
    }

    @Test
    public void shortOutputIsReportedByDecompressFully() {
        byte[] abc300 = hex("ff ff ff 1f 61 62 63 17 00 0f ff 26 01");
        try {
            Codec.XPRESS.decompressor().decompressFully(abc300, 0, abc300.length, new byte[4096], 0, 4096);
            fail();
        } catch (CodecException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("stream ended after 300 bytes, 4096 expected"));
            assertEquals(300, e.outputPosition());
        }
    }

    @Test
    public void decodingStopsWhenAPageIsFull() throws CodecException {
        // Decoding a longer stream into a page stops at 4096 bytes, as Windows does for pages.
        byte[] zeros = Codec.XPRESS.compressor().compress(new byte[10_000]);
        assertRejected(Codec.XPRESS, zeros, 4096, "overruns the output end");
        byte[] literals = Codec.XPRESS.compressor().compress(Samples.random(new Random(1), 10_000));
        assertEquals(4096, Codec.XPRESS.decompressor().decompressPage(literals, 0, literals.length).length);
    }

    // ---- LZ77+Huffman ----

    private static byte[] huffmanTable(int... symbolAndLength) {
        byte[] t = new byte[256];
        for (int i = 0; i < symbolAndLength.length; i += 2) {
            int s = symbolAndLength[i];
            int len = symbolAndLength[i + 1];
            t[s >>> 1] |= (byte) ((s & 1) == 0 ? len : len << 4);
        }
        return t;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] r = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    @Test
    public void huffmanTruncatedHeader() {
        assertRejected(Codec.XPRESS_HUFFMAN, new byte[100], 10, "input ends inside a block header", "input offset 0");
        assertRejected(Codec.XPRESS_HUFFMAN, new byte[258], 10, "block header");
    }

    @Test
    public void huffmanIncompleteAndOversubscribedTables() {
        assertRejected(Codec.XPRESS_HUFFMAN, new byte[300], 10, "Huffman table is incomplete (code space 0 of 32768)");
        byte[] allOnes = new byte[300];
        Arrays.fill(allOnes, 0, 256, (byte) 0x11);
        assertRejected(Codec.XPRESS_HUFFMAN, allOnes, 10, "over-subscribed");
        // 'a' alone with a 1-bit code leaves half the code space unused.
        assertRejected(Codec.XPRESS_HUFFMAN, concat(huffmanTable('a', 1), new byte[8]), 10, "incomplete");
    }

    @Test
    public void huffmanOffsetBeforeOutputStart() {
        // 'a' = code 0, match symbol 256 + (4 << 4) = offset of 16..31 = code 1; stream starts with the match.
        byte[] in = concat(huffmanTable('a', 1, 256 + 0x40, 1), hex("0080 0000 0000"));
        assertRejected(Codec.XPRESS_HUFFMAN, in, 100, "match offset 16 reaches before the start of the output",
                "output position 0");
    }

    @Test
    public void huffmanTruncatedBitStream() throws CodecException {
        byte[] text = Samples.text(new Random(2), 5000);
        byte[] c = Codec.XPRESS_HUFFMAN.compressor().compress(text);
        byte[] cut = Arrays.copyOf(c, 256 + (c.length - 256) / 2);
        assertRejected(Codec.XPRESS_HUFFMAN, cut, 5000, "input ends inside the bit stream");
    }

    @Test
    public void huffmanExtendedLengthBelowItsMinimum() {
        // Literal 'a' (code 0), then match symbol 256+15 (offset bits 0, code 1) with lengths 255, 0x000e.
        byte[] in = concat(huffmanTable('a', 1, 256 + 15, 1), hex("0040 0000 ff 0e00"));
        assertRejected(Codec.XPRESS_HUFFMAN, in, 100, "extended match length 14 is below the minimum of 15");
    }

    // ---- LZNT1 ----

    @Test
    public void lznt1BadSignature() {
        assertRejected(Codec.LZNT1, hex("05a0 00 41424344"), 100, "signature 2, expected 3", "input offset 0");
    }

    @Test
    public void lznt1TruncatedChunk() {
        assertRejected(Codec.LZNT1, hex("0fb0 00 41"), 100, "chunk of 16 bytes is cut off");
        assertRejected(Codec.LZNT1, hex("41"), 100, "inside a chunk header");
    }

    @Test
    public void lznt1MatchAtChunkStartOrBeforeIt() {
        assertRejected(Codec.LZNT1, hex("02b0 01 0000"), 100, "match at the start of a chunk");
        // Literal 'A', then a token with offset 2 (4 offset bits: 0x1000 -> offset 2, length 3).
        assertRejected(Codec.LZNT1, hex("03b0 02 41 0010"), 100,
                "match offset 2 reaches before the start of the chunk");
    }

    @Test
    public void lznt1ChunkLongerThan4096() {
        // 'A', then offset 1 length 4098 (4 offset bits, 12 length bits all ones) at position 1.
        assertRejected(Codec.LZNT1, hex("03b0 02 41 ff0f"), 8192, "match of 4098 bytes runs past the 4096-byte chunk");
    }

    @Test
    public void lznt1MatchOverrunsTheOutput() {
        assertRejected(Codec.LZNT1, hex("03b0 02 41 ff0f"), 100, "overruns the output end");
    }

    @Test
    public void lznt1EndMarkerAndStoredChunks() throws CodecException {
        byte[] stored = hex("0330 41424344 0000 ffff");
        byte[] out = new byte[10];
        assertEquals(4, Codec.LZNT1.decompressor().decompress(stored, 0, stored.length, out, 0, out.length));
        assertEquals("ABCD", new String(out, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    }

    // ---- LZ4 and Snappy (aircompressor) ----

    @Test
    public void lz4Malformed() {
        assertRejected(Codec.LZ4, new byte[0], 10, "empty input");
        assertRejected(Codec.LZ4, hex("f0"), 100, "malformed block");
        // 4 literals then a match with offset 0.
        assertRejected(Codec.LZ4, hex("40 41424344 0000 10 4142"), 100, "malformed block");
        // Offset reaching before the output start.
        assertRejected(Codec.LZ4, hex("40 41424344 0900 10 4142"), 100, "malformed block");
        // Output room too small for the block.
        assertRejected(Codec.LZ4, hex("805445535400000000"), 4, "malformed block");
        // No output room at all: aircompressor answers -1 here instead of throwing.
        assertRejected(Codec.LZ4, hex("0a11"), 0, "does not fit the output room of 0 bytes");
        assertRejected(Codec.LZ4, hex("805445535400000000"), 0, "does not fit the output room of 0 bytes");
    }

    @Test
    public void snappyMalformed() {
        assertRejected(Codec.SNAPPY, new byte[0], 10, "input ends inside the length varint");
        assertRejected(Codec.SNAPPY, hex("ffffffffff7f"), 10, "longer than 32 bits");
        assertRejected(Codec.SNAPPY, hex("e807"), 100,
                "block declares 1000 decoded bytes, the output has room for 100");
        assertRejected(Codec.SNAPPY, hex("0a 0c 414243"), 100, "malformed block");
    }
}
