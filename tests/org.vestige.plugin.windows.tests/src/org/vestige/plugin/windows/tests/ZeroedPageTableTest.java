package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The page-table page that maps the System process's _EPROCESS is zeroed (a page lost to the acquisition):
 * missing evidence must not reject the profile whose PDB identity matches, and psscan, a physical scan made for
 * damaged lists, must still run and find the processes the zeroed page does not hide.
 */
public class ZeroedPageTableTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path image;
    private static SynthTruth truth;
    private static long zeroedFrom;
    private static long zeroedTo;

    private static long entry(FileChannel ch, long table, long va, int level) throws Exception {
        int shift = 12 + 9 * level;
        long index = (va >>> shift) & 0x1ff;
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b, table + index * 8);
        return b.getLong(0);
    }

    @BeforeClass
    public static void zeroThePageTable() throws Exception {
        ImageSynthesizer.Output out = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(19).windowsBuild(19041).build());
        truth = out.truth();
        image = tmp.getRoot().toPath().resolve("zeroed-pt.raw");
        Files.copy(out.image(), image);
        long system = truth.processes().get(0).eprocess();
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long table = truth.dtb() & ~0xfffL;
            long zero = -1;
            long span = 0;
            for (int level = 3; level >= 1; level--) {
                long e = entry(ch, table, system, level);
                assertTrue("level " + level + " entry present", (e & 1) != 0);
                long next = e & 0x000f_ffff_ffff_f000L;
                if (level == 1 || (e & 0x80) != 0) {
                    // the table this entry points to maps the page (a PT), or the entry maps a large page itself
                    zero = (e & 0x80) != 0 ? table : next;
                    span = (e & 0x80) != 0 ? 1L << (12 + 9 * (level + 1)) : 1L << 21;
                    break;
                }
                table = next;
            }
            ch.write(ByteBuffer.allocate(4096), zero);
            zeroedFrom = system & -span;
            zeroedTo = zeroedFrom + span;
        }
    }

    private static Cli.Invocation vestige(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("-f", image.toString(), "--no-hash", "-q"));
        all.addAll(List.of(args));
        return WindowsAnalysesTest.vestige(all.toArray(String[]::new));
    }

    @Test
    public void thePdbMatchedProfileIsKeptAndSaysWhy() throws Exception {
        Cli.Invocation o = vestige("windows.info", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.out(), o.out().contains(truth.guid().replace("-", "").toUpperCase()));
        assertTrue(o.out(), o.out().contains("missing evidence does not contradict it"));
    }

    @Test
    public void psscanStillFindsEveryProcessOutsideTheZeroedRange() throws Exception {
        Cli.Invocation o = vestige("windows.psscan", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        Set<Long> found = new HashSet<>();
        for (JsonNode r : JsonLines.parse(o.out())) {
            found.add(r.get("PID").asLong());
        }
        // the scan reads physical memory, where every _EPROCESS still is: the zeroed table only hides them from
        // virtual reads
        Set<Long> expected = new HashSet<>();
        truth.processes().forEach(p -> expected.add(p.pid()));
        assertTrue("found " + found + ", expected at least " + expected + " (zeroed 0x" + Long.toHexString(zeroedFrom)
                + "-0x" + Long.toHexString(zeroedTo) + ")", found.containsAll(expected));
    }

    @Test
    public void pslistSaysWhereTheListCannotBeReadAndThatItReadNothing() throws Exception {
        Cli.Invocation o = vestige("windows.pslist");
        assertEquals(o.err(), 4, o.exitCode());
        assertTrue(o.err(), o.err().contains("windows.pslist: nothing it was asked for could be read"));
        assertTrue(o.err(), o.err().contains("warning: active process list: list head 0x"));
        assertTrue(o.err(), o.err().contains("is not readable"));
    }
}
