package org.vestige.layer.crashdump;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.MissingCause;

/** Bytes the source cannot supply are left out of the file, the ranges split around them, each run listed. */
public class MinidumpWriterOmitTest {

    private static final long BASE = 0x7ff6_0000_0000L;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Pages 0, 1, 3 and 5 of a six-page region are available; 2 and 4 are not, and nor is the tail of page 5. */
    private static ProcessMemory holes() {
        return new ProcessMemory().put(BASE, ProcessMemory.pattern(0x2000, 1))
                .put(BASE + 0x3000, ProcessMemory.pattern(0x1000, 2))
                .put(BASE + 0x5000, ProcessMemory.pattern(0x800, 3));
    }

    @Test
    public void unavailableRunsAreLeftOutAndListed() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("holes.dmp");
        ProcessMemory memory = holes();
        MinidumpWriter.Result r = new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041,
                "", 2)).thread(new MinidumpWriter.Thread(7, 0x1000, BASE + 0x3000, 0x1000, null))
                .memory(BASE, 0x6000).omitUnavailable(true).write(out, memory);

        assertEquals(3, r.memoryRanges());
        assertEquals(0x2000 + 0x1000 + 0x800, r.memoryBytes());
        assertEquals(0, r.unavailableBytes());
        assertEquals(List.of(new MinidumpWriter.Omitted(BASE + 0x2000, 0x1000, ProcessMemory.PAGED_OUT),
                new MinidumpWriter.Omitted(BASE + 0x4000, 0x1000, ProcessMemory.PAGED_OUT),
                new MinidumpWriter.Omitted(BASE + 0x5800, 0x800, ProcessMemory.PAGED_OUT)), r.omitted());
        assertEquals(0x2800, r.omittedBytes());
        assertEquals("paged out", r.omitted().get(0).reason());
        assertEquals(new MissingCause.PagedOut(0, 0x1a000), r.omitted().get(0).cause());
        assertEquals(Files.size(out), r.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out))),
                r.sha256());
        try (var files = Files.list(tmp.getRoot().toPath())) {
            assertEquals("the spool file is removed", List.of(out), files.toList());
        }

        try (Minidump m = Minidump.open(out)) {
            assertTrue(m.problems().toString(), m.problems().isEmpty());
            assertEquals(List.of(new long[] {BASE, 0x2000}, new long[] {BASE + 0x3000, 0x1000},
                    new long[] {BASE + 0x5000, 0x800}).stream().map(a -> a[0] + "+" + a[1]).toList(),
                    m.memoryRanges().stream().map(x -> x.base() + "+" + x.size()).toList());
            for (MemoryRange range : m.memoryRanges()) {
                assertArrayEquals(memory.expected(range.base(), (int) range.size()), m.memory().readBytes(range.base(),
                        (int) range.size()));
            }
            assertFalse("an unavailable page is absent, not zero", m.memory().provenance(BASE + 0x2000).isAvailable());
            assertFalse(m.memory().provenance(BASE + 0x5800).isAvailable());
            MinidumpThread t = m.threads().get(0);
            assertEquals("the stack lies in a kept range and is referenced", 0x1000, t.stackSize());
            assertArrayEquals(memory.expected(BASE + 0x3000, 0x1000), java.util.Arrays.copyOfRange(Files.readAllBytes(
                    out), (int) t.stackRva(), (int) t.stackRva() + 0x1000));
        }
    }

    @Test
    public void withoutOmittingUnavailableBytesAreZeros() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("zeros.dmp");
        MinidumpWriter.Result r = new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041,
                "", 2)).memory(BASE, 0x6000).write(out, holes());
        assertEquals(1, r.memoryRanges());
        assertEquals(0x2800, r.unavailableBytes());
        assertTrue(r.omitted().isEmpty());
        try (Minidump m = Minidump.open(out)) {
            assertArrayEquals(new byte[0x1000], m.memory().readBytes(BASE + 0x2000, 0x1000));
            assertTrue(m.memory().provenance(BASE + 0x2000).isAvailable());
        }
    }

    @Test
    public void aRangeWithNothingAvailableLeavesNoRange() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("none.dmp");
        MinidumpWriter.Result r = new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041,
                "", 2)).memory(BASE + 0x10000, 0x3000).omitUnavailable(true).write(out, holes());
        assertEquals(0, r.memoryRanges());
        assertEquals(List.of(new MinidumpWriter.Omitted(BASE + 0x10000, 0x3000,
                ProcessMemory.PAGED_OUT)), r.omitted());
        try (Minidump m = Minidump.open(out)) {
            assertTrue(m.memoryRanges().isEmpty());
        }
    }
}
