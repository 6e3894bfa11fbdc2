package org.vestige.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;
import org.vestige.codec.XpressCarver.CarvedPage;
import org.vestige.testing.TestData;

/**
 * A real region of a Windows 10 memory-compression store (compression/memcompression) and its
 * decoding by the tool that published it: 130 pages, 122,664 compressed bytes, streams at 0, 960,
 * 2240, 2688, 4416, ...
 */
public class MemoryCompressionPagesTest {

    private static final int PAGE = 4096;
    private static byte[] segment;
    private static byte[] decompressed;
    private static List<CarvedPage> carved;

    @BeforeClass
    public static void load() {
        segment = TestData.readAll("compression/memcompression/VADDUMP-segment-compressed.bin");
        decompressed = TestData.readAll("compression/memcompression/VADDUMP-segment-decompressed.bin");
        carved = new XpressCarver().carve(segment, 0, segment.length);
    }

    private static byte[] referencePage(int i) {
        return Arrays.copyOfRange(decompressed, i * PAGE, (i + 1) * PAGE);
    }

    /** Index of each carved page among the reference pages, or -1. */
    private static int[] referenceIndexes() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < decompressed.length / PAGE; i++) {
            index.put(Arrays.toString(referencePage(i)), i);
        }
        assertEquals("reference pages are distinct", 130, index.size());
        int[] result = new int[carved.size()];
        for (int i = 0; i < carved.size(); i++) {
            result[i] = index.getOrDefault(Arrays.toString(carved.get(i).page()), -1);
        }
        return result;
    }

    @Test
    public void referenceFileHas130Pages() {
        assertEquals(532_480, decompressed.length);
        assertEquals(131_072, segment.length);
    }

    @Test
    public void carvingFindsAll130ReferencePagesInOrderWithTheirTotalSize() {
        int[] ref = referenceIndexes();
        List<CarvedPage> found = new ArrayList<>();
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] >= 0) {
                assertEquals("reference page " + found.size() + " found in order", found.size(), ref[i]);
                found.add(carved.get(i));
            }
        }
        assertEquals(130, found.size());
        assertEquals(122_664, found.stream().mapToInt(CarvedPage::compressedLength).sum());
        long[] firstOffsets = found.stream().limit(5).mapToLong(CarvedPage::offset).toArray();
        assertArrayEquals(new long[] { 0, 960, 2240, 2688, 4416 }, firstOffsets);
        for (CarvedPage p : found) {
            assertEquals("16-byte aligned", 0, p.offset() % 16);
        }
    }

    /**
     * The region holds 139 well-formed page streams. The 9 the reference decoding lacks each start
     * exactly where a reference stream of a length divisible by 16 ends, and every such reference
     * stream is followed by one: the reference tool stepped {@code n + 16 - n % 16} bytes past a
     * stream of {@code n} bytes, a whole 16 too far when {@code n} is a multiple of 16. Walking the
     * carved streams that way reproduces the reference list exactly.
     */
    @Test
    public void theOtherNineStreamsAreThoseTheReferenceToolsAlignmentSkipped() {
        int[] ref = referenceIndexes();
        assertEquals(139, carved.size());
        int aligned = 0;
        for (int i = 0; i < carved.size(); i++) {
            CarvedPage p = carved.get(i);
            if (ref[i] < 0) {
                assertTrue("an extra stream has a reference predecessor", i > 0 && ref[i - 1] >= 0);
                CarvedPage before = carved.get(i - 1);
                assertEquals("extra stream at " + p.offset() + " follows its predecessor directly",
                        before.offset() + before.compressedLength(), p.offset());
                assertEquals(0, before.compressedLength() % 16);
            } else if (p.compressedLength() % 16 == 0) {
                aligned++;
                assertTrue("stream after the aligned one at " + p.offset() + " is not a reference page",
                        i + 1 < carved.size() && ref[i + 1] < 0);
            }
        }
        assertEquals(9, aligned);

        // Replay the reference tool's walk over the carved streams.
        List<Long> walked = new ArrayList<>();
        long next = 0;
        for (CarvedPage p : carved) {
            if (p.offset() >= next) {
                walked.add(p.offset());
                int n = p.compressedLength();
                next = p.offset() + n + 16 - n % 16;
            }
        }
        List<Long> reference = new ArrayList<>();
        for (int i = 0; i < carved.size(); i++) {
            if (ref[i] >= 0) {
                reference.add(carved.get(i).offset());
            }
        }
        assertEquals(reference, walked);
    }

    @Test
    public void everyCarvedStreamDecodesAloneWithItsExactLength() throws CodecException {
        Decompressor xpress = Codec.XPRESS.decompressor();
        byte[] roomy = new byte[2 * PAGE];
        for (CarvedPage p : carved) {
            int off = (int) p.offset();
            int len = p.compressedLength();
            assertArrayEquals(p.page(), xpress.decompressPage(segment, off, len));
            // With room to spare only the stream's own end marker, at the exact end of its input, stops it.
            assertEquals("at " + off, PAGE, xpress.decompress(segment, off, len, roomy, 0, roomy.length));
            try {
                // Cut inside the data (6 bytes covers the all-ones end word some streams carry).
                xpress.decompressPage(segment, off, len - 6);
                fail("stream at " + off + " cut by 6 bytes decoded");
            } catch (CodecException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("xpress: "));
            }
        }
    }

    @Test
    public void referencePagesDecodeFromTheirOffsets() throws CodecException {
        int[] ref = referenceIndexes();
        for (int i = 0; i < carved.size(); i++) {
            if (ref[i] >= 0) {
                CarvedPage p = carved.get(i);
                assertArrayEquals("page " + ref[i], referencePage(ref[i]),
                        Codec.XPRESS.decompressor().decompressPage(segment, (int) p.offset(), p.compressedLength()));
            }
        }
    }

    /**
     * Tested on its own, every 16-byte boundary of the region (8,192 of them, inside streams, in the
     * slack after them and in the tail) is a page stream exactly where the carver found one.
     */
    @Test
    public void nothingElseIsFound() {
        Set<Long> starts = new HashSet<>();
        for (CarvedPage p : carved) {
            starts.add(p.offset());
        }
        byte[] page = new byte[PAGE];
        int hits = 0;
        for (int off = 0; off + 4 <= segment.length; off += 16) {
            int n = XpressCarver.streamLength(segment, off, segment.length - off, page);
            assertEquals("stream at " + off, starts.contains((long) off), n > 0);
            hits += n > 0 ? 1 : 0;
        }
        assertEquals(139, hits);
    }
}
