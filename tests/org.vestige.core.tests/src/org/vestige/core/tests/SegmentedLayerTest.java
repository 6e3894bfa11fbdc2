package org.vestige.core.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.PageProvenance.Evidence;
import org.vestige.core.layer.PageProvenance.Missing;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.layer.SegmentTable;
import org.vestige.core.layer.SegmentTable.Segment;
import org.vestige.core.layer.SegmentedLayer;

public class SegmentedLayerTest {

    record Run(long address, int length, PageProvenance provenance) {
    }

    /** Byte {@code o} of source {@code s} is {@code s * 16 + o} (mod 256). */
    static byte sourceByte(int source, long offset) {
        return (byte) (source * 16 + offset);
    }

    /** Runs read from synthetic sources; gaps are "hole before run N", the end is "past the end". */
    static class TestLayer extends SegmentedLayer {

        TestLayer(SegmentTable table) {
            super(table);
        }

        TestLayer(SegmentTable table, long size) {
            super(table, size);
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        protected int readRun(int run, long address, long offset, byte[] buffer, int position, int length,
                ProvenanceSink sink) {
            int source = segmentTable().source(run);
            for (int k = 0; k < length; k++) {
                buffer[position + k] = sourceByte(source, offset + k);
            }
            sink.accept(address, length, new Evidence("s" + source, offset));
            return length;
        }

        @Override
        protected PageProvenance runProvenance(int run, long offset) {
            return new Evidence("s" + segmentTable().source(run), offset);
        }

        @Override
        protected Missing gap(long address, int next) {
            return new Missing(new MissingCause.OutsideImage(), "hole before run " + next);
        }

        @Override
        protected Missing beyondEnd(long address) {
            return new Missing(new MissingCause.OutsideImage(), "past the end");
        }
    }

    private static Missing hole(int next) {
        return new Missing(new MissingCause.OutsideImage(), "hole before run " + next);
    }

    private static final Missing END = new Missing(new MissingCause.OutsideImage(), "past the end");

    private static List<Run> read(SegmentedLayer layer, long address, byte[] buffer, int[] available) {
        List<Run> runs = new ArrayList<>();
        available[0] = layer.read(address, buffer, 0, buffer.length, (a, l, p) -> runs.add(new Run(a, l, p)));
        return runs;
    }

    /** Runs 0x1000+0x100 (source 1 at 0x40) and 0x1200+0x100 (source 2 at 0); a gap between them. */
    private static TestLayer twoRuns() {
        return new TestLayer(SegmentTable.of(List.of(new Segment(0x1200, 0x100, 2, 0),
                new Segment(0x1000, 0x100, 1, 0x40))));
    }

    @Test
    public void aReadStraddlingRunsAndAGapSplitsAtTheirBoundaries() {
        TestLayer layer = twoRuns();
        assertEquals(0x1300, layer.size());
        byte[] buf = new byte[0x200];
        Arrays.fill(buf, (byte) 0x55);
        int[] available = new int[1];
        List<Run> runs = read(layer, 0x10f0, buf, available);
        assertEquals(List.of(new Run(0x10f0, 0x10, new Evidence("s1", 0x130)),
                new Run(0x1100, 0x100, hole(1)),
                new Run(0x1200, 0xf0, new Evidence("s2", 0))), runs);
        assertEquals(0x10 + 0xf0, available[0]);
        assertEquals(sourceByte(1, 0x130), buf[0]);
        assertEquals(sourceByte(1, 0x13f), buf[0xf]);
        for (int k = 0x10; k < 0x110; k++) {
            assertEquals("gap byte " + k, 0, buf[k]);
        }
        assertEquals(sourceByte(2, 0), buf[0x110]);
        assertEquals(sourceByte(2, 0xef), buf[0x1ff]);
    }

    @Test
    public void theGapBeforeTheFirstRunAndTheEndAreMissingWithTheirCauses() {
        TestLayer layer = twoRuns();
        byte[] buf = new byte[0x10];
        int[] available = new int[1];
        assertEquals(List.of(new Run(0xff8, 8, hole(0)), new Run(0x1000, 8, new Evidence("s1", 0x40))),
                read(layer, 0xff8, buf, available));
        assertEquals(8, available[0]);

        Arrays.fill(buf, (byte) 0x55);
        assertEquals(List.of(new Run(0x12f8, 8, new Evidence("s2", 0xf8)), new Run(0x1300, 8, END)),
                read(layer, 0x12f8, buf, available));
        assertEquals(8, available[0]);
        assertArrayEquals(new byte[8], Arrays.copyOfRange(buf, 8, 16));

        assertEquals(List.of(new Run(0x9000, 0x10, END)), read(layer, 0x9000, buf, available));
        assertEquals(0, available[0]);
        assertTrue(END.cause() instanceof MissingCause.OutsideImage);
    }

    @Test
    public void aSizeBeyondTheLastRunMakesAGapBeforeTheEnd() {
        TestLayer layer = new TestLayer(SegmentTable.of(List.of(new Segment(0, 0x10, 0, 0))), 0x40);
        assertEquals(0x40, layer.size());
        int[] available = new int[1];
        assertEquals(List.of(new Run(0, 0x10, new Evidence("s0", 0)), new Run(0x10, 0x30, hole(1)),
                new Run(0x40, 0x10, END)), read(layer, 0, new byte[0x50], available));
        assertEquals(0x10, available[0]);
        assertThrows(IllegalArgumentException.class, () -> new TestLayer(SegmentTable.of(List.of(
                new Segment(0, 0x10, 0, 0))), 8));
    }

    @Test
    public void adjacentRunsAreReadOneAfterTheOtherWithNoGap() {
        TestLayer layer = new TestLayer(SegmentTable.of(List.of(new Segment(0, 0x10, 3, 0x100),
                new Segment(0x10, 0x10, 4, 0), new Segment(0x20, 0x10, 3, 0x110))));
        byte[] buf = new byte[0x30];
        int[] available = new int[1];
        assertEquals(List.of(new Run(0, 0x10, new Evidence("s3", 0x100)), new Run(0x10, 0x10, new Evidence("s4", 0)),
                new Run(0x20, 0x10, new Evidence("s3", 0x110))), read(layer, 0, buf, available));
        assertEquals(0x30, available[0]);
        assertEquals(sourceByte(4, 0), buf[0x10]);
        assertEquals(sourceByte(3, 0x110), buf[0x20]);
    }

    @Test
    public void provenanceLooksUpOneAddressWithoutReading() {
        TestLayer layer = twoRuns();
        assertEquals(new Evidence("s1", 0x40), layer.provenance(0x1000));
        assertEquals(new Evidence("s1", 0x13f), layer.provenance(0x10ff));
        assertEquals(hole(1), layer.provenance(0x1100));
        assertEquals(hole(0), layer.provenance(0));
        assertEquals(new Evidence("s2", 0xff), layer.provenance(0x12ff));
        assertEquals(END, layer.provenance(0x1300));
        assertEquals(END, layer.provenance(-1L));
    }

    @Test
    public void anEmptyMapHasSizeZeroAndEveryAddressIsBeyondItsEnd() {
        TestLayer layer = new TestLayer(SegmentTable.of(List.of()));
        assertEquals(0, layer.size());
        assertEquals(0, layer.segmentTable().count());
        assertEquals(END, layer.provenance(0));
        byte[] buf = {1, 2, 3};
        int[] available = new int[1];
        assertEquals(List.of(new Run(0, 3, END)), read(layer, 0, buf, available));
        assertEquals(0, available[0]);
        assertArrayEquals(new byte[3], buf);
        assertEquals(List.of(), read(layer, 5, new byte[0], available));
    }

    @Test
    public void highAddressesAreUnsignedAndAReadPastTheTopIsReportedAtZero() {
        long kernel = 0xfffff80000000000L;
        TestLayer layer = new TestLayer(SegmentTable.of(List.of(new Segment(kernel, 0x1000, 0, 0),
                new Segment(0x1000, 0x1000, 1, 0))));
        assertEquals(kernel + 0x1000, layer.size());
        assertEquals(new Evidence("s0", 0x10), layer.provenance(kernel + 0x10));
        assertEquals(hole(1), layer.provenance(0x7fff_ffff_ffff_ffffL));
        int[] available = new int[1];
        List<Run> runs = read(layer, -8, new byte[0x10], available);
        assertEquals(List.of(new Run(-8, 8, END), new Run(0, 8, new Missing(new MissingCause.OutsideImage(),
                "beyond the top of the 64-bit address space"))), runs);
    }

    @Test
    public void overlappingRunsAreRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentTable.of(List.of(
                new Segment(0x0, 0x1000, 0, 0), new Segment(0x4000, 0x2000, 0, 0), new Segment(0x5000, 0x10, 0, 0))));
        assertTrue(e.getMessage(), e.getMessage().contains("run 2 (0x5000–0x500f) overlaps run 1 (0x4000–0x5fff)"));
    }

    @Test
    public void emptyAndAbsurdlyLongRunsAreRejectedNamingTheRun() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SegmentTable.of(List.of(new Segment(0, 0x10, 0, 0), new Segment(0x3000, 0, 0, 0))));
        assertTrue(empty.getMessage(), empty.getMessage().contains("run 1 at 0x3000 is empty"));
        IllegalArgumentException wraps = assertThrows(IllegalArgumentException.class,
                () -> SegmentTable.of(List.of(new Segment(0xfffff80000000000L, 0x100000000000L, 0, 0))));
        assertTrue(wraps.getMessage(), wraps.getMessage().contains("run 0 at 0xfffff80000000000")
                && wraps.getMessage().contains("past the top"));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> SegmentTable.of(List.of(new Segment(0x1000, -0x1000, 0, 0))));
        assertTrue(negative.getMessage(), negative.getMessage().contains("run 0 at 0x1000"));
    }

    @Test
    public void resolveKeepsTheLowerRunsBytesAndMovesATrimmedRunsOffset() {
        SegmentTable t = SegmentTable.resolve(List.of(
                new Segment(0x1800, 0x1000, 1, 0x500),   // overlaps the first: keeps 0x2000..0x27ff
                new Segment(0x1000, 0x1000, 0, 0),
                new Segment(0x1100, 0x100, 2, 0),        // inside the first: dropped
                new Segment(0x4000, 0, 3, 0),            // empty: dropped
                new Segment(0x5000, 0x2000, 4, 0)),      // cut at the limit
                0x6000);
        assertEquals(List.of(new Segment(0x1000, 0x1000, 0, 0), new Segment(0x2000, 0x800, 1, 0xd00),
                new Segment(0x5000, 0x1000, 4, 0)), t.segments());
        assertEquals(2, t.trimmed());
        assertEquals(0x6000, t.end());
    }

    @Test
    public void resolveEndsARunThatWouldPassTheTopOfTheAddressSpace() {
        SegmentTable t = SegmentTable.resolve(List.of(new Segment(-0x1000L, 0x2000, 0, 0)), -1L);
        assertEquals(List.of(new Segment(-0x1000L, 0xfff, 0, 0)), t.segments());
    }

    @Test
    public void aGapFilledWithAPatternIsStillMissing() {
        TestLayer patterned = new TestLayer(SegmentTable.of(List.of(new Segment(0x10, 0x10, 0, 0)))) {
            @Override
            protected void fillGap(long address, byte[] buffer, int position, int length) {
                Arrays.fill(buffer, position, position + length, (byte) 0xee);
            }
        };
        byte[] buf = new byte[0x20];
        int[] available = new int[1];
        assertEquals(List.of(new Run(0, 0x10, hole(0)), new Run(0x10, 0x10, new Evidence("s0", 0))),
                read(patterned, 0, buf, available));
        assertEquals((byte) 0xee, buf[0]);
        assertEquals(0x10, available[0]);
    }

    @Test
    public void aLayerStackedOnAnotherReportsTheLowerProvenanceAtItsOwnAddresses() {
        TestLayer lower = twoRuns();
        SegmentedLayer upper = new SegmentedLayer(SegmentTable.of(List.of(new Segment(0x5000, 0x20, 0, 0x1008),
                new Segment(0x6000, 0x10, 0, 0x10f8)))) {
            @Override
            public String name() {
                return "upper";
            }

            @Override
            protected int readRun(int run, long address, long offset, byte[] buffer, int position, int length,
                    ProvenanceSink sink) {
                return readBelow(lower, address, offset, buffer, position, length, sink);
            }

            @Override
            protected PageProvenance runProvenance(int run, long offset) {
                return lower.provenance(offset);
            }

            @Override
            protected Missing gap(long address, int next) {
                return END;
            }
        };
        int[] available = new int[1];
        byte[] buf = new byte[0x20];
        assertEquals(List.of(new Run(0x5000, 0x20, new Evidence("s1", 0x48))), read(upper, 0x5000, buf, available));
        assertEquals(sourceByte(1, 0x48), buf[0]);
        assertEquals(List.of(new Run(0x6000, 8, new Evidence("s1", 0x138)), new Run(0x6008, 8, hole(1))),
                read(upper, 0x6000, new byte[0x10], available));
        assertEquals(8, available[0]);
        assertEquals(hole(1), upper.provenance(0x6008));
        byte[] quiet = new byte[0x10];
        assertEquals(8, upper.read(0x6000, quiet, 0, 0x10));
        assertEquals(sourceByte(1, 0x138), quiet[0]);
    }

    @Test
    public void lookupsInALargeTableFindTheRunHoldingEachAddress() {
        int n = 100_000;
        List<Segment> runs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // runs of 0x1000 bytes every 0x3000: a gap of 0x2000 after each
            runs.add(new Segment(i * 0x3000L, 0x1000, i % 7, i * 0x1000L));
        }
        TestLayer layer = new TestLayer(SegmentTable.of(runs));
        Random random = new Random(42);
        for (int k = 0; k < 10_000; k++) {
            long address = (random.nextLong() & Long.MAX_VALUE) % (n * 0x3000L);
            int run = (int) (address / 0x3000);
            long into = address % 0x3000;
            PageProvenance expected = into < 0x1000 ? new Evidence("s" + (run % 7), run * 0x1000L + into) : hole(run + 1);
            assertEquals("0x" + Long.toHexString(address), expected, layer.provenance(address));
            assertEquals(into < 0x1000 ? run : -1, layer.segmentTable().find(address));
        }
    }
}
