package org.vestige.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.vestige.codec.XpressCarver.CarvedPage;

/** Carving synthetic store regions laid out the way Windows lays them out. */
public class XpressCarverTest {

    private final XpressCarver carver = new XpressCarver();

    private record Placed(int offset, int length, byte[] page) {
    }

    /** Compresses pages and places them at 16-byte boundaries; the slack is filled with {@code filler}. */
    private static byte[] region(List<byte[]> pages, Random rnd, boolean randomSlack, List<Placed> placed, int lead) {
        byte[] buf = new byte[lead + pages.size() * 5000 + 64];
        rnd.nextBytes(buf);
        int pos = lead;
        for (byte[] page : pages) {
            byte[] c = Codec.XPRESS.compressor().compress(page);
            System.arraycopy(c, 0, buf, pos, c.length);
            placed.add(new Placed(pos, c.length, page));
            int next = (pos + c.length + 15) & -16;
            if (!randomSlack) {
                Arrays.fill(buf, pos + c.length, next, (byte) 0);
            }
            pos = next;
        }
        Arrays.fill(buf, pos, buf.length, (byte) 0);
        return buf;
    }

    private static List<byte[]> pages(Random rnd, int n) {
        List<byte[]> pages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pages.add(switch (i % 4) {
                case 0 -> Samples.page(rnd, 4096);
                case 1 -> Samples.text(rnd, 4096);
                case 2 -> new byte[4096];
                default -> Samples.periodic(rnd, 4096, 1 + rnd.nextInt(40));
            });
        }
        return pages;
    }

    @Test(timeout = 20_000)
    public void findsEveryPlacedPageWithItsOffsetAndLength() {
        Random rnd = new Random(7);
        for (boolean randomSlack : new boolean[] { false, true }) {
            List<Placed> placed = new ArrayList<>();
            byte[] region = region(pages(rnd, 60), rnd, randomSlack, placed, 0);
            List<CarvedPage> found = carver.carve(region, 0, region.length);
            assertEquals(placed.size(), found.size());
            for (int i = 0; i < placed.size(); i++) {
                assertEquals(placed.get(i).offset(), found.get(i).offset());
                assertEquals(placed.get(i).length(), found.get(i).compressedLength());
                assertArrayEquals(placed.get(i).page(), found.get(i).page());
            }
        }
    }

    @Test(timeout = 20_000)
    public void skipsLeadingGarbageAndReportsOffsetsFromTheBase() {
        Random rnd = new Random(8);
        List<Placed> placed = new ArrayList<>();
        byte[] region = region(pages(rnd, 8), rnd, true, placed, 4096 + 48);
        List<CarvedPage> found = new ArrayList<>();
        carver.carve(region, 16, region.length - 16, 0x7FF0_0000_0000L, found::add);
        assertEquals(8, found.size());
        assertEquals(0x7FF0_0000_0000L + placed.get(0).offset() - 16, found.get(0).offset());
    }

    @Test(timeout = 20_000)
    public void zeroFillAndRandomBytesHoldNoPages() {
        assertTrue(carver.carve(new byte[256 * 1024], 0, 256 * 1024).isEmpty());
        byte[] noise = Samples.random(new Random(9), 1 << 20);
        assertTrue(carver.carve(noise, 0, noise.length).isEmpty());
        byte[] ones = new byte[64 * 1024];
        Arrays.fill(ones, (byte) 0xFF);
        assertTrue(carver.carve(ones, 0, ones.length).isEmpty());
    }

    @Test
    public void streamThatUsesTheLastFlagOfItsWordNeedsTheAllOnesWord() {
        // 4096 literals fill exactly 128 flag words, so the end marker is a whole extra word of ones.
        byte[] page = Samples.random(new Random(10), 4096);
        byte[] c = new byte[128 * 36 + 4];
        for (int w = 0; w < 128; w++) {
            System.arraycopy(page, w * 32, c, w * 36 + 4, 32); // flag word 0, then 32 literals
        }
        Arrays.fill(c, 128 * 36, c.length, (byte) 0xFF);
        assertEquals(c.length, XpressCarver.streamLength(c, 0, c.length, new byte[4096]));
        byte[] cut = Arrays.copyOf(c, c.length - 1);
        assertEquals(-1, XpressCarver.streamLength(cut, 0, cut.length, new byte[4096]));
        byte[] badEnd = c.clone();
        badEnd[c.length - 1] = 0x7F;
        assertEquals(-1, XpressCarver.streamLength(badEnd, 0, badEnd.length, new byte[4096]));
    }

    @Test
    public void streamEndingShortOfAPageIsNotAPage() {
        byte[] half = Codec.XPRESS.compressor().compress(Samples.text(new Random(11), 2048));
        byte[] region = Arrays.copyOf(half, half.length + 4096);
        assertEquals(-1, XpressCarver.streamLength(region, 0, region.length, new byte[4096]));
        // A longer stream: after the 4096th byte its next flag word holds literal flags, not the end marker.
        byte[] more = Codec.XPRESS.compressor().compress(Samples.random(new Random(11), 5000));
        assertEquals(-1, XpressCarver.streamLength(more, 0, more.length, new byte[4096]));
    }
}
