package org.vestige.layer.crashdump;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.PageProvenance;
import org.vestige.testing.TestData;

/**
 * Truncated and corrupt crash dumps and minidumps: the open fails with an {@link EvidenceException}
 * naming the file, the structure and its offset, or, where the rest is still usable, opens and says
 * what is missing.
 */
public class CorruptInputTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(String name, byte[] content) throws Exception {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.write(p, content);
        return p;
    }

    private static EvidenceException crashDumpFails(Path p, String... expected) {
        try (CrashDump d = CrashDump.open(p)) {
            fail("opened " + d);
        } catch (EvidenceException e) {
            assertEquals(p, e.file());
            assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()));
            for (String s : expected) {
                assertTrue(e.getMessage() + " lacks " + s, e.getMessage().contains(s));
            }
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an EvidenceException", e);
        }
        return null;
    }

    private static EvidenceException minidumpFails(Path p, String... expected) {
        try (Minidump d = Minidump.open(p)) {
            fail("opened " + d);
        } catch (EvidenceException e) {
            assertEquals(p, e.file());
            for (String s : expected) {
                assertTrue(e.getMessage() + " lacks " + s, e.getMessage().contains(s));
            }
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an EvidenceException", e);
        }
        return null;
    }

    private static byte[] fullDump() {
        byte[] image = new byte[16 * 4096];
        Arrays.fill(image, (byte) 0x5a);
        return KernelDumpBuilder.fullDump(image, new long[][] {{0, 16}});
    }

    @Test
    public void missingEmptyAndForeignFiles() throws Exception {
        crashDumpFails(tmp.getRoot().toPath().resolve("absent.dmp"), "not found");
        crashDumpFails(write("empty.dmp", new byte[0]), "empty");
        crashDumpFails(write("text.dmp", "hello, this is not a dump".getBytes()), "signature at offset 0", "PAGEDU64");
        minidumpFails(write("text2.dmp", "hello, this is not a dump at all".getBytes()), "signature at offset 0", "MDMP");
        minidumpFails(write("short.dmp", "MDMP\u0093\u00a7".getBytes()), "too short");
        ProbeResult r = new CrashDumpFormat().probe(write("zeros.dmp", new byte[64]));
        assertFalse(r.accepts());
        assertTrue(r.explanation(), r.explanation().contains("not PAGEDU64 or PAGEDUMP"));
        assertFalse(new MinidumpFormat().probe(tmp.getRoot().toPath().resolve("absent.dmp")).accepts());
    }

    @Test
    public void truncatedKernelHeader() throws Exception {
        Path p = write("cut.dmp", Arrays.copyOf(fullDump(), 0x1800));
        crashDumpFails(p, "header truncated", "0x2000", "0x1800");
        ProbeResult r = new CrashDumpFormat().probe(p);
        assertTrue(r.accepts() && r.confidence() < ProbeResult.CERTAIN);
        assertTrue(r.explanation(), r.explanation().contains("truncated"));
    }

    @Test
    public void corruptRunCount() throws Exception {
        byte[] d = fullDump();
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(0x88, 1000);
        crashDumpFails(write("runs.dmp", d), "PhysicalMemoryBlock at offset 0x88", "1000 runs");
    }

    @Test
    public void unknownDumpType() throws Exception {
        byte[] d = fullDump();
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(0xf98, 0x99);
        Path p = write("type.dmp", d);
        crashDumpFails(p, "DumpType 153", "0xf98");
        ProbeResult r = new CrashDumpFormat().probe(p);
        assertTrue(r.explanation(), r.confidence() < ProbeResult.CERTAIN && r.explanation().contains("153"));
    }

    @Test
    public void corruptBitmapHeaders() throws Exception {
        byte[] image = new byte[20 * 4096];
        boolean[] present = new boolean[20];
        Arrays.fill(present, true);
        byte[] good = KernelDumpBuilder.bitmapDump(image, present, "SDMP", 5);

        byte[] badSignature = good.clone();
        badSignature[0x2000] = 'X';
        crashDumpFails(write("sig.dmp", badSignature), "bitmap dump header at offset 0x2000", "XDMPDUMP");

        byte[] hugeBitmap = good.clone();
        ByteBuffer.wrap(hugeBitmap).order(ByteOrder.LITTLE_ENDIAN).putLong(0x2030, 1L << 40);
        crashDumpFails(write("huge.dmp", hugeBitmap), "0x10000000000 pages");

        byte[] bitmapPastEnd = good.clone();
        ByteBuffer.wrap(bitmapPastEnd).order(ByteOrder.LITTLE_ENDIAN).putLong(0x2030, 1L << 30);
        crashDumpFails(write("long.dmp", bitmapPastEnd), "bitmap at offset 0x2038", "runs past the end");

        byte[] pagesInBitmap = good.clone();
        ByteBuffer.wrap(pagesInBitmap).order(ByteOrder.LITTLE_ENDIAN).putLong(0x2020, 0x2010);
        crashDumpFails(write("first.dmp", pagesInBitmap), "first page at 0x2010");

        byte[] wrongCount = good.clone();
        ByteBuffer.wrap(wrongCount).order(ByteOrder.LITTLE_ENDIAN).putLong(0x2028, 19);
        try (CrashDump d = CrashDump.open(write("count.dmp", wrongCount))) {
            assertTrue(d.warnings().toString(), d.warnings().get(0).contains("20 pages set but TotalPresentPages"));
        }
    }

    @Test
    public void corruptRdmpHeader() throws Exception {
        byte[] image = new byte[8 * 4096];
        byte[] good = KernelDumpBuilder.rdmpDump(image, List.of(new long[] {1, 4}), 8);
        byte[] bad = good.clone();
        bad[0x2004] = 'X';
        crashDumpFails(write("rdmp.dmp", bad), "RDMP header at offset 0x2000");
        ByteBuffer.wrap(bad = good.clone()).order(ByteOrder.LITTLE_ENDIAN).putLong(0x2010, 7);
        crashDumpFails(write("meta.dmp", bad), "metadata size 0x7");
    }

    @Test
    public void triageDumpCutBeforeItsDriverList() throws Exception {
        byte[] real = TestData.readAll("crashdump/triage_x64.dmp");
        Path p = write("triage-cut.dmp", Arrays.copyOf(real, 0x10000));
        crashDumpFails(p, "triage driver list at offset 0x10828", "151 entries", "past the end");
    }

    @Test
    public void triageDumpCutInsideItsDataBlocksStillOpens() throws Exception {
        byte[] real = TestData.readAll("crashdump/triage_x64.dmp");
        int cut = 0x100000;
        Path p = write("triage-tail.dmp", Arrays.copyOf(real, cut));
        try (CrashDump d = CrashDump.open(p)) {
            assertTrue(d.warnings().toString(), d.warnings().stream().anyMatch(w -> w.contains("ValidOffset 0x13a288 lies outside the file")));
            assertTrue(d.warnings().toString(), d.warnings().stream().anyMatch(w -> w.contains("data blocks reach past the end")));
            assertEquals(151, d.triage().orElseThrow().drivers().size());
            TriageDataBlock last = d.triage().orElseThrow().dataBlocks().stream()
                    .filter(b -> b.fileOffset() >= cut).findFirst().orElseThrow();
            List<PageProvenance> seen = new ArrayList<>();
            d.memory().read(last.virtualAddress(), new byte[8], 0, 8, (a, l, prov) -> seen.add(prov));
            PageProvenance.Missing m = (PageProvenance.Missing) seen.get(0);
            assertTrue(m.reason(), m.reason().contains("truncated") && m.reason().contains("0x100000"));
        }
    }

    /**
     * A healthy full-memory minidump to damage: written by {@link MinidumpWriter} (the reader's agreement with
     * real dumps is {@link MinidumpTest}'s and {@link LldbCrossCheckTest}'s), so these checks of damage need no
     * third-party file.
     */
    private byte[] writtenMinidump() throws Exception {
        Path whole = tmp.getRoot().toPath().resolve("healthy.dmp");
        MinidumpWriterTest.x64Writer().write(whole, MinidumpWriterTest.process());
        return Files.readAllBytes(whole);
    }

    /** @return the directory entry of the first stream of {@code type}: its offset in the file */
    private static int directoryEntry(byte[] dump, int type) {
        ByteBuffer b = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(8);
        int dir = b.getInt(12);
        for (int i = 0; i < count; i++) {
            if (b.getInt(dir + 12 * i) == type) {
                return dir + 12 * i;
            }
        }
        throw new AssertionError("the written minidump has no stream of type " + type);
    }

    /** @return where the first stream of {@code type} starts in the file */
    private static int streamOffset(byte[] dump, int type) {
        return ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).getInt(directoryEntry(dump, type) + 8);
    }

    @Test
    public void minidumpDirectoryPastTheEnd() throws Exception {
        byte[] dump = writtenMinidump();
        ByteBuffer b = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        int entries = b.getInt(8);
        int dir = b.getInt(12);
        assertTrue("the directory must be cut by the test", dir + 12 * entries > 0x40);
        Path p = write("dir.dmp", Arrays.copyOf(dump, 0x40));
        minidumpFails(p, "stream directory at offset 0x" + Integer.toHexString(dir) + " with " + entries + " entries",
                "past the end");
        ProbeResult r = new MinidumpFormat().probe(p);
        assertTrue(r.explanation(), r.accepts() && r.confidence() < ProbeResult.CERTAIN);
    }

    @Test
    public void minidumpCoreStreamPastTheEnd() throws Exception {
        byte[] dump = writtenMinidump();
        int modules = streamOffset(dump, 4);
        minidumpFails(write("mods.dmp", Arrays.copyOf(dump, modules + 2)),
                "ModuleListStream at offset 0x" + Integer.toHexString(modules), "past the end");
    }

    @Test
    public void minidumpCorruptModuleCount() throws Exception {
        byte[] dump = writtenMinidump();
        int modules = streamOffset(dump, 4);
        ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).putInt(modules, 0x7fffffff);
        minidumpFails(write("count.dmp", dump), "ModuleListStream at offset 0x" + Integer.toHexString(modules),
                "2147483647 entries");
    }

    @Test
    public void minidumpDamagedAuxiliaryStreamIsReportedAndTheRestRead() throws Exception {
        byte[] dump = writtenMinidump();
        int misc = directoryEntry(dump, 0xf);
        int at = streamOffset(dump, 0xf);
        // a MiscInfoStream too small for its own header
        ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).putInt(misc + 4, 8);
        try (Minidump m = Minidump.open(write("misc.dmp", dump))) {
            assertTrue(m.miscInfo().isEmpty());
            assertEquals(2, m.modules().size());
            assertEquals(2, m.threads().size());
            assertTrue(m.problems().toString(), m.problems().get(0).startsWith("MiscInfoStream not decoded")
                    && m.problems().get(0).contains("0x" + Integer.toHexString(at)));
        }
    }

    @Test
    public void fullMemoryMinidumpCutInItsMemory() throws Exception {
        Path whole = tmp.getRoot().toPath().resolve("whole.dmp");
        MinidumpWriter.Result r = MinidumpWriterTest.x64Writer().write(whole, MinidumpWriterTest.process());
        byte[] bytes = Files.readAllBytes(whole);
        int cut = (int) (r.size() - 0x1000);
        Path p = write("memcut.dmp", Arrays.copyOf(bytes, cut));
        try (Minidump m = Minidump.open(p)) {
            assertTrue(m.problems().toString(), m.problems().get(0).contains("reach past the end of the file"));
            MemoryRange last = m.memoryRanges().get(m.memoryRanges().size() - 1);
            assertEquals(0, m.memory().read(last.end() - 0x800, new byte[0x800], 0, 0x800));
            PageProvenance p0 = m.memory().provenance(last.end() - 1);
            assertTrue(p0 instanceof PageProvenance.Missing miss && miss.reason().contains("truncated"));
            // the part before the cut is intact
            assertArrayEquals(MinidumpWriterTest.process().expected(m.memoryRanges().get(0).base(), 64),
                    m.memory().readBytes(m.memoryRanges().get(0).base(), 64));
        }
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        org.junit.Assert.assertArrayEquals(expected, actual);
    }
}
