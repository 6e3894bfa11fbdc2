package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Dense images on every synthesized build: the frames no structure uses hold what a running machine leaves in
 * free memory (text, strings, high-entropy and compressed data, freed pool blocks, and two stale copies of a
 * process object), and none of it changes what the structures say. The dense image holds the sparse image's
 * every written page unchanged; the list walks and the scans of loader entries, drivers, files and network
 * endpoints give the same rows on both; psscan finds exactly the truth's processes, listed, exited and hidden,
 * plus the whole stale copy as an exited process at its physical address, and rejects the torn one, naming it.
 */
@RunWith(Parameterized.class)
public class DenseMemoryTest {

    private static final int PAGE = 4096;

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final ImageSynthesizer.Output sparse;
    private final ImageSynthesizer.Output dense;

    public DenseMemoryTest(int build, String profileId) {
        SynthOptions options = SynthOptions.builder().seed(41).windowsBuild(build).sizeMib(256).build();
        this.sparse = SynthesizedImages.installed(profileId, options);
        this.dense = SynthesizedImages.installed(profileId, options.toBuilder().dense(true).build());
    }

    @Test
    public void theDenseImageKeepsEveryWrittenPageAndFillsTheFreeOnes() throws IOException {
        assertEquals(2, dense.truth().remnants().size());
        assertEquals(List.of(), sparse.truth().remnants());
        assertEquals(sparse.truth().toJson(), dense.truth().toJson().replaceFirst(",\"remnants\":\\[.*\\]}$", "}"));
        try (FileChannel a = FileChannel.open(sparse.image(), StandardOpenOption.READ);
                FileChannel b = FileChannel.open(dense.image(), StandardOpenOption.READ)) {
            assertEquals(a.size(), b.size());
            ByteBuffer pa = ByteBuffer.allocate(PAGE);
            ByteBuffer pb = ByteBuffer.allocate(PAGE);
            long pages = a.size() / PAGE;
            long written = 0;
            long filled = 0;
            Set<Integer> kinds = new HashSet<>();
            for (long page = 0; page < pages; page++) {
                pa.clear();
                pb.clear();
                a.read(pa, page * PAGE);
                b.read(pb, page * PAGE);
                if (!zero(pa.array())) {
                    written++;
                    assertArrayEquals("page 0x" + Long.toHexString(page * PAGE), pa.array(), pb.array());
                } else if (!zero(pb.array())) {
                    filled++;
                    kinds.add(kind(pb.array()));
                }
            }
            // about four in five free frames hold something (a fifth are zeroed pages)
            assertTrue(filled + " filled of " + pages, filled > (pages - written) * 7 / 10);
            assertEquals("text, UTF-16 and high-entropy pages", Set.of(0, 1, 2), kinds);
        }
    }

    @Test
    public void scansAndWalksFindTheSameOnTheDenseImage() {
        for (String analysis : List.of("windows.pslist", "windows.modscan", "windows.driverscan", "windows.filescan",
                "windows.netscan")) {
            assertEquals(analysis, rows(sparse, analysis), rows(dense, analysis));
        }
    }

    @Test
    public void psscanFindsExactlyTheTruthsProcessesAndTheStaleCopy() {
        SynthTruth truth = dense.truth();
        Set<String> expected = new HashSet<>();
        truth.processes().forEach(p -> expected.add(p.pid() + "/" + p.name() + "/listed"));
        truth.terminated().forEach(p -> expected.add(p.pid() + "/" + p.name() + "/unlisted"));
        truth.hidden().forEach(p -> expected.add(p.pid() + "/" + p.name() + "/unlisted"));
        SynthTruth.Remnant whole = truth.remnants().stream().filter(SynthTruth.Remnant::plausible).findFirst()
                .orElseThrow();
        SynthTruth.Remnant torn = truth.remnants().stream().filter(r -> !r.plausible()).findFirst().orElseThrow();
        expected.add(whole.pid() + "/" + whole.name() + "/unlisted");
        Set<String> found = new HashSet<>();
        JsonNode stale = null;
        Cli.Invocation psscan = WindowsAnalysesTest.vestige("-f", dense.image().toString(), "--no-hash", "windows.psscan",
                "-r", "json");
        assertEquals(psscan.err(), 0, psscan.exitCode());
        for (JsonNode r : JsonLines.parse(psscan.out())) {
            found.add(r.get("PID").asLong() + "/" + r.get("ImageFileName").asText() + "/" + (r.get("InActiveList")
                    .asBoolean() ? "listed" : "unlisted"));
            stale = r.get("PID").asLong() == whole.pid() ? r : stale;
        }
        assertEquals(expected, found);
        // the stale copy: exited, at the physical address the truth gives, no kernel address leading to it
        String exit = java.time.Instant.EPOCH.plusNanos((whole.exitFileTime() - 116_444_736_000_000_000L) * 100)
                .toString();
        assertTrue(stale + " exited " + exit, stale.get("ExitTime").asText().startsWith(exit.substring(0, 19)));
        long offset = Long.decode(stale.get("Offset(P)").asText());
        assertTrue(stale + " lies in the stale copy's pool block at 0x" + Long.toHexString(whole.physical()),
                offset > whole.physical() && offset < whole.physical() + 0x200);
        assertTrue(psscan.err(), psscan.err().contains("0x" + Long.toHexString(torn.physical())));
    }

    private static String rows(ImageSynthesizer.Output image, String analysis) {
        return ThreadAnalysesTest.run(image.image(), analysis, "-r", "json").out();
    }

    private static boolean zero(byte[] page) {
        for (byte x : page) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return 0 for mostly printable ASCII, 1 for UTF-16LE text, 2 for anything else (noise, compressed, pool) */
    private static int kind(byte[] page) {
        int printable = 0;
        int oddZeros = 0;
        for (int i = 0; i < page.length; i++) {
            int c = page[i] & 0xff;
            printable += c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' ? 1 : 0;
            oddZeros += (i & 1) == 1 && c == 0 ? 1 : 0;
        }
        return oddZeros > page.length / 2 * 9 / 10 ? 1 : printable > page.length * 9 / 10 ? 0 : 2;
    }
}
