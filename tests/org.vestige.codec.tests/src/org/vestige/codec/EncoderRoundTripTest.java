package org.vestige.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.vestige.testing.TestData;

/** Every codec's encoder output decodes back to its input, for awkward sizes and kinds of data. */
public class EncoderRoundTripTest {

    private static final int[] SIZES = { 0, 1, 2, 3, 4, 7, 31, 32, 33, 255, 4095, 4096, 4097, 8193, 65535, 65536,
            65537, 131072, 200_003 };

    private static List<byte[]> inputs(Random rnd, int size) {
        List<byte[]> list = new ArrayList<>();
        list.add(Samples.random(rnd, size));
        list.add(Samples.text(rnd, size));
        list.add(Samples.page(rnd, size));
        list.add(new byte[size]);
        for (int period : new int[] { 1, 2, 3, 7, 300 }) {
            list.add(Samples.periodic(rnd, size, period));
        }
        return list;
    }

    private static void assertRoundTrip(Codec codec, byte[] data) throws CodecException {
        byte[] compressed = codec.compressor().compress(data);
        assertTrue(codec.id() + " within maxCompressedLength",
                compressed.length <= codec.compressor().maxCompressedLength(data.length));
        byte[] back = codec.decompressor().decompress(compressed, data.length);
        assertArrayEquals(codec.id() + " size " + data.length, data, back);
        // With spare room the stream's own end must stop the decoder at the right length.
        byte[] roomy = new byte[data.length + 1000];
        assertEquals(codec.id() + " size " + data.length, data.length,
                codec.decompressor().decompress(compressed, 0, compressed.length, roomy, 0, roomy.length));
    }

    private static void roundTripAll(Codec codec) throws CodecException {
        Random rnd = new Random(1234);
        for (int size : SIZES) {
            for (byte[] data : inputs(rnd, size)) {
                assertRoundTrip(codec, data);
            }
        }
    }

    @Test(timeout = 120_000)
    public void xpress() throws CodecException {
        roundTripAll(Codec.XPRESS);
    }

    @Test(timeout = 120_000)
    public void xpressHuffman() throws CodecException {
        roundTripAll(Codec.XPRESS_HUFFMAN);
    }

    @Test(timeout = 120_000)
    public void lznt1() throws CodecException {
        roundTripAll(Codec.LZNT1);
    }

    @Test(timeout = 120_000)
    public void lz4() throws CodecException {
        roundTripAll(Codec.LZ4);
    }

    @Test(timeout = 120_000)
    public void snappy() throws CodecException {
        roundTripAll(Codec.SNAPPY);
    }

    /** Matches longer than the 16-bit length forms (Xpress switches to 32 bits, Huffman splits them). */
    @Test(timeout = 60_000)
    public void veryLongMatches() throws CodecException {
        byte[] zeros = new byte[1 << 20];
        byte[] runs = Samples.periodic(new Random(5), 300_000, 5);
        for (Codec codec : new Codec[] { Codec.XPRESS, Codec.XPRESS_HUFFMAN, Codec.LZNT1 }) {
            assertRoundTrip(codec, zeros);
            assertRoundTrip(codec, runs);
        }
        // One literal and one match of 1 MiB - 1: the 32-bit length form.
        assertTrue(Codec.XPRESS.compressor().compress(zeros).length < 16);
    }

    /** Output that ends exactly on a 64 KiB block boundary has no end-of-stream symbol, and needs none. */
    @Test(timeout = 60_000)
    public void huffmanOutputEndingOnABlockBoundary() throws CodecException {
        Random rnd = new Random(6);
        for (int size : new int[] { 65536, 2 * 65536, 65536 + 1 }) {
            assertRoundTrip(Codec.XPRESS_HUFFMAN, Samples.text(rnd, size));
            assertRoundTrip(Codec.XPRESS_HUFFMAN, new byte[size]);
        }
    }

    @Test(timeout = 60_000)
    public void randomSizesAndMixtures() throws CodecException {
        Random rnd = new Random(77);
        for (int i = 0; i < 200; i++) {
            int size = rnd.nextInt(20_000);
            byte[] data = new byte[size];
            int p = 0;
            while (p < size) {
                int n = Math.min(size - p, 1 + rnd.nextInt(3000));
                byte[] part = switch (rnd.nextInt(4)) {
                    case 0 -> Samples.random(rnd, n);
                    case 1 -> Samples.text(rnd, n);
                    case 2 -> Samples.page(rnd, n);
                    default -> new byte[n];
                };
                System.arraycopy(part, 0, data, p, n);
                p += n;
            }
            for (Codec codec : Codec.values()) {
                assertRoundTrip(codec, data);
            }
        }
    }

    /**
     * On the 130 real pages of the memory-compression sample the plain LZ77 encoder should compress
     * about as well as Windows did (122,664 bytes). Per page LZ77+Huffman pays 256 bytes of table,
     * so it is compared on the whole 520 KiB, the way hibernation files use it (64 KiB blocks).
     */
    @Test(timeout = 60_000)
    public void compressesRealPagesAboutAsWellAsWindows() throws CodecException {
        byte[] pages = TestData.readAll("compression/memcompression/VADDUMP-segment-decompressed.bin");
        long xpress = 0;
        long huffman = 0;
        long lznt1 = 0;
        for (int off = 0; off < pages.length; off += 4096) {
            byte[] page = Arrays.copyOfRange(pages, off, off + 4096);
            byte[] c = Codec.XPRESS.compressor().compress(page);
            assertArrayEquals(page, Codec.XPRESS.decompressor().decompressPage(c, 0, c.length));
            xpress += c.length;
            byte[] h = Codec.XPRESS_HUFFMAN.compressor().compress(page);
            assertArrayEquals(page, Codec.XPRESS_HUFFMAN.decompressor().decompressPage(h, 0, h.length));
            huffman += h.length;
            byte[] l = Codec.LZNT1.compressor().compress(page);
            assertArrayEquals(page, Codec.LZNT1.decompressor().decompressPage(l, 0, l.length));
            lznt1 += l.length;
        }
        System.out.printf("130 real pages (532,480 bytes): Windows xpress 122,664; ours xpress %,d, "
                + "xpress-huffman %,d, lznt1 %,d%n", xpress, huffman, lznt1);
        assertTrue("xpress " + xpress, xpress < 122_664 * 1.08);
        byte[] whole = Codec.XPRESS_HUFFMAN.compressor().compress(pages);
        assertArrayEquals(pages, Codec.XPRESS_HUFFMAN.decompressor().decompress(whole, pages.length));
        System.out.printf("the same 532,480 bytes as one xpress-huffman stream: %,d%n", whole.length);
        assertTrue("huffman " + whole.length, whole.length < xpress);
    }
}
