package org.vestige.layer.crashdump;

import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.testing.TestData;

/**
 * Damages real dumps at random (reproducibly: fixed seeds) in the structures the readers decode, and
 * checks that every damaged file either opens, and then reads without throwing, or fails with an
 * {@link EvidenceException} naming it; never another exception, never a hang.
 */
public class MutatedInputTest {

    private static final int ROUNDS = 150;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Overwrites a few bytes, or a 32-bit field with an extreme value, inside {@code [from, to)}. */
    private static byte[] mutate(byte[] original, Random r, int from, int to) {
        byte[] b = original.clone();
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = from + r.nextInt(to - from - 4);
            switch (r.nextInt(4)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> w.putInt(at, -1);
                case 2 -> w.putInt(at, r.nextInt());
                default -> w.putInt(at, 0x7fff_fff0);
            }
        }
        if (r.nextInt(5) == 0) {
            return Arrays.copyOf(b, 1 + r.nextInt(b.length));
        }
        return b;
    }

    private void exerciseCrashDump(Path p) {
        try (CrashDump d = CrashDump.open(p)) {
            d.properties();
            byte[] buf = new byte[0x3000];
            d.memory().read(0, buf, 0, buf.length);
            d.memory().read(d.header().kdDebuggerDataBlock(), buf, 0, buf.length);
            d.triage().ifPresent(t -> t.dataBlocks().stream().limit(20)
                    .forEach(b -> d.memory().read(b.virtualAddress(), buf, 0, buf.length)));
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()));
        } catch (Exception e) {
            throw new AssertionError("unexpected failure on " + p, e);
        }
    }

    private void exerciseMinidump(Path p) {
        try (Minidump m = Minidump.open(p)) {
            m.properties();
            byte[] buf = new byte[0x2000];
            for (MemoryRange r : m.memoryRanges()) {
                m.memory().read(r.base(), buf, 0, buf.length);
            }
            for (MinidumpThread t : m.threads()) {
                m.memory().read(t.stackStart(), buf, 0, buf.length);
            }
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()));
        } catch (Exception e) {
            throw new AssertionError("unexpected failure on " + p, e);
        }
    }

    @Test(timeout = 120_000)
    public void damagedTriageDumps() throws Exception {
        byte[] real = TestData.readAll("crashdump/triage_x64.dmp");
        Random r = new Random(20240501);
        Path p = tmp.getRoot().toPath().resolve("triage.dmp");
        for (int i = 0; i < ROUNDS; i++) {
            // the headers, the KPRCB/thread copies, the driver list and the data block table
            int[][] regions = {{0, 0x2080}, {0x21b8, 0xe390}, {0x10828, 0x15d18 + 0x3720}, {0x19438, 0x20ab8}};
            int[] region = regions[r.nextInt(regions.length)];
            Files.write(p, mutate(real, r, region[0], region[1]));
            exerciseCrashDump(p);
        }
    }

    @Test(timeout = 120_000)
    public void damagedSyntheticKernelDumps() throws Exception {
        byte[] image = new byte[40 * 4096];
        new Random(5).nextBytes(image);
        boolean[] present = new boolean[40];
        for (int i = 0; i < 40; i += 3) {
            present[i] = true;
        }
        byte[][] dumps = {
                KernelDumpBuilder.fullDump(image, new long[][] {{0, 10}, {20, 10}}),
                KernelDumpBuilder.bitmapDump(image, present, "SDMP", 6),
                KernelDumpBuilder.rdmpDump(image, java.util.List.of(new long[] {2, 8}, new long[] {30, 5}), 10),
                KernelDumpBuilder.fullDump32(image, new long[][] {{0, 10}})};
        Random r = new Random(77);
        Path p = tmp.getRoot().toPath().resolve("kernel.dmp");
        for (int i = 0; i < ROUNDS; i++) {
            byte[] d = dumps[r.nextInt(dumps.length)];
            int[][] regions = {{0, 0x100}, {0xf00, 0x1060}, {0x0, d.length >= 0x2100 ? 0x2100 : 0x1000}};
            int[] region = regions[r.nextInt(regions.length)];
            Files.write(p, mutate(d, r, region[0], Math.min(region[1], d.length)));
            exerciseCrashDump(p);
        }
    }

    /**
     * Damages a minidump {@link MinidumpWriter} wrote and, when the test data is present, the two real ones
     * (a Windows 10 x64 process and a crashed 32-bit one).
     */
    @Test(timeout = 120_000)
    public void damagedMinidumps() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("mini.dmp");
        Random r = new Random(1337);
        Path written = tmp.getRoot().toPath().resolve("written.dmp");
        MinidumpWriterTest.x64Writer().write(written, MinidumpWriterTest.process());
        List<Path> dumps = new ArrayList<>(List.of(written));
        for (String name : new String[] {"minidump/test.dmp", "minidump/invalid-parameter.dmp"}) {
            TestData.find(name).ifPresentOrElse(dumps::add,
                    () -> System.err.println("MutatedInputTest: " + name + " absent; damaging the written minidump"));
        }
        for (Path dump : dumps) {
            byte[] original = Files.readAllBytes(dump);
            for (int i = 0; i < ROUNDS; i++) {
                Files.write(p, mutate(original, r, 0, original.length));
                exerciseMinidump(p);
            }
        }
    }
}
