package org.vestige.plugin.windows;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * The YARA scanner's windows over a layer of random bytes with a hole: a string at the very start, across a
 * page boundary, across a window's end (inside the overlap the next window re-reads), wholly inside that
 * overlap, and on either side of the hole is reported exactly once, at its address and with its page's source;
 * the hole is reported as one unread range with its cause; a string across the hole is not found.
 */
public class YaraScannerTest {

    private static final long BASE = 0x7000_0000L;
    private static final int SIZE = 3 * YaraScanner.WINDOW + 0x5000;
    private static final long HOLE = BASE + 2L * YaraScanner.WINDOW + 0x3000;
    private static final byte[] NEEDLE = "needle-in-memory".getBytes(StandardCharsets.US_ASCII);

    /** Bytes with their physical frames at BASE + address; two pages at {@link #HOLE} paged out and unread. */
    private static final class Memory implements Layer {
        final byte[] bytes = new byte[SIZE];

        @Override
        public String name() {
            return "test";
        }

        @Override
        public long size() {
            return BASE + SIZE;
        }

        @Override
        public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
            long at = address;
            while (at < address + length) {
                int n = (int) Math.min(0x1000 - (at & 0xfff), address + length - at);
                int in = (int) (at - BASE);
                if (at >= HOLE && at < HOLE + 0x2000) {
                    sink.accept(at, n, new PageProvenance.Missing(new MissingCause.PagedOut(0, at - HOLE),
                            "paged out"));
                } else {
                    System.arraycopy(bytes, in, buffer, offset + (int) (at - address), n);
                    sink.accept(at, n, new PageProvenance.Physical(0x100000L + in));
                }
                at += n;
            }
            return length;
        }
    }

    @Test
    public void eachMatchOnceAcrossPagesAndWindowsAndTheHoleAsOneRange() throws Exception {
        Memory memory = new Memory();
        new Random(7).nextBytes(memory.bytes);
        long window = YaraScanner.WINDOW;
        long overlapStart = window - YaraScanner.OVERLAP;
        long[] at = {0, 0x1ff8, overlapStart + 0x100, window - 5, window + 0x10, HOLE - BASE - 0x100, HOLE - BASE
            + 0x2000 + 0x20, SIZE - NEEDLE.length};
        for (long a : at) {
            System.arraycopy(NEEDLE, 0, memory.bytes, (int) a, NEEDLE.length);
        }
        System.arraycopy(NEEDLE, 0, memory.bytes, (int) (HOLE - BASE - 4), NEEDLE.length); // runs into the hole
        List<String> found = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        try (YaraRules rules = YaraRules.compile(List.of(new YaraRules.Source("test",
                "rule n { strings: $n = \"needle-in-memory\" condition: $n }")))) {
            YaraScanner scanner = new YaraScanner(memory, rules, () -> false, new YaraScanner.Sink() {
                @Override
                public boolean hit(YaraScanner.Hit hit) {
                    found.add(Long.toHexString(hit.address()) + " " + hit.length() + " " + hit.provenance());
                    return true;
                }

                @Override
                public void unread(long address, long length, PageProvenance.Missing why) {
                    unread.add(Long.toHexString(address) + " " + length + " " + why.cause());
                }
            });
            // two stretches that touch: scanned as one
            scanner.scan(BASE, 0x3000);
            scanner.scan(BASE + 0x3000, SIZE - 0x3000);
            scanner.finish();
        }
        List<String> expected = new ArrayList<>();
        for (long a : at) {
            expected.add(Long.toHexString(BASE + a) + " " + NEEDLE.length + " " + new PageProvenance.Physical(
                    0x100000L + a));
        }
        assertEquals(expected, found);
        assertEquals(List.of(Long.toHexString(HOLE) + " 8192 " + new MissingCause.PagedOut(0, 0)), unread);
    }
}
