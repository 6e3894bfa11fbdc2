package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.types.IsfReader;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.TestData;

/**
 * The bulk memory the memdump benchmark measures: explorer.exe's resident and paged-out private
 * pages come back in its dump exactly as the synthesizer made them, the paged-out ones from the
 * streamed pagefile.sys.
 */
public class BulkMemoryTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void memdumpReturnsTheBulkPagesFromRamAndFromThePagefile() throws Exception {
        Path isf = TestData.requireProfile(WindowsAnalysesTest.WIN10);
        SynthOptions options = SynthOptions.builder().seed(12).windowsBuild(19041).bulk(new SynthOptions.Bulk(40, 300)).build();
        ImageSynthesizer.Output image = new ImageSynthesizer(IsfReader.read(isf), options).synthesize(tmp.newFolder(
                "img").toPath());
        SynthTruth.Process explorer = image.truth().processes().stream().filter(p -> p.name().equals(
                "explorer.exe")).findFirst().orElseThrow();
        List<SynthTruth.Vad> bulk = explorer.vads().stream().filter(v -> v.end() - v.start() + 1 == 40 * 4096L
                || v.end() - v.start() + 1 == 300 * 4096L).toList();
        assertEquals(2, bulk.size());
        Path out = tmp.newFolder("out").toPath();
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash", "-q", "--pagefile",
                image.pagefile().toString(), "-o", out.toString(), "windows.memdump", "--pid", Long.toString(explorer
                        .pid()));
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().contains(" pagefile 0 (pagefile.sys)"));
        Path dump = Files.list(out).filter(p -> p.toString().endsWith(".dmp")).findFirst().orElseThrow();
        Path sidecar = Files.list(out).filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
        // the sidecar maps each page's file offset to its virtual address
        java.util.Map<Long, Long> offsets = new java.util.HashMap<>();
        for (String line : Files.readAllLines(sidecar)) {
            String[] f = line.split(",");
            if (f.length > 2 && f[0].startsWith("0x")) {
                offsets.put(Long.decode(f[1]), Long.decode(f[0]));
            }
        }
        byte[] bytes = Files.readAllBytes(dump);
        for (SynthTruth.Vad v : bulk) {
            boolean resident = v.end() - v.start() + 1 == 40 * 4096L;
            for (int i : new int[] {0, 1, resident ? 39 : 299}) {
                long at = offsets.get(v.start() + i * 4096L);
                byte[] page = java.util.Arrays.copyOfRange(bytes, (int) at, (int) at + 4096);
                assertArrayEquals(ImageSynthesizer.bulkPage(12, resident ? i : (1L << 24) + i), page);
            }
        }
    }
}
