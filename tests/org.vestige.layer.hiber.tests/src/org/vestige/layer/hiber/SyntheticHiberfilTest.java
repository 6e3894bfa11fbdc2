package org.vestige.layer.hiber;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.registry.Extensions;
import org.vestige.synth.HiberfilTruth;
import org.vestige.synth.HiberfilWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * A synthesized machine of each supported build, written as a hibernation file with both codecs, reads back
 * page for page equal to its raw image: every page the file holds from the compression set the truth names,
 * every page it left out missing as not captured (and zero in the raw image); and {@code windows.pslist}
 * through the vestige command gives on the hibernation file what it gives on the raw image.
 */
@RunWith(Parameterized.class)
public class SyntheticHiberfilTest {

    private static final int PAGE = 4096;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return List.of(new Object[] {17763, "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1"},
                new Object[] {19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1"},
                new Object[] {22000, "windows.x64.22000.32C1A669D5FFEFD41091F636CFDB6E99-1"},
                new Object[] {26100, "windows.x64.26100.win11_x64_26100_partial"});
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final Path hiberfil;
    private final HiberfilTruth truth;

    public SyntheticHiberfilTest(int build, String profileId) throws IOException {
        this.build = build;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(26).windowsBuild(build)
                .sizeMib(256).build());
        this.hiberfil = tmp.getRoot().toPath().resolve(build + "-hiberfil.sys");
        this.truth = written(build, image.image(), hiberfil);
    }

    private static final java.util.Map<Integer, HiberfilTruth> WRITTEN = new java.util.HashMap<>();

    private static synchronized HiberfilTruth written(int build, Path raw, Path out) throws IOException {
        HiberfilTruth t = WRITTEN.get(build);
        if (t == null) {
            t = HiberfilWriter.writeWithTruth(raw, out, HiberfilWriter.Settings.of(build));
            WRITTEN.put(build, t);
        }
        return t;
    }

    @Test(timeout = 120_000)
    public void everyPageReadsBackFromTheSetTheTruthNames() throws Exception {
        HiberFormat format = new HiberFormat();
        ProbeResult probe = format.probe(hiberfil);
        assertEquals(probe.explanation(), ProbeResult.CERTAIN, probe.confidence());
        Set<String> codecs = truth.sets().stream().map(HiberfilTruth.Set::codec)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue("both codecs in " + codecs, codecs.contains("xpress") && codecs.contains("xpress-huffman"));
        long held = 0;
        long left = 0;
        try (OpenedEvidence e = format.open(hiberfil); FileChannel raw = FileChannel.open(image.image(),
                StandardOpenOption.READ)) {
            Layer layer = e.physical();
            HiberFile file = HiberFormat.hiberFile(e);
            assertNotNull(file);
            assertEquals(truth.sets().size(), file.compressionSets());
            assertEquals(truth.highestPage(), file.header().highestPage());
            assertEquals(truth.pagesHeld(), file.pagesHeld());
            assertEquals(raw.size(), layer.size());
            long pages = raw.size() / PAGE;
            byte[] expected = new byte[PAGE];
            byte[] actual = new byte[PAGE];
            for (long pfn = 0; pfn < pages; pfn++) {
                ByteBuffer b = ByteBuffer.wrap(expected);
                while (b.hasRemaining()) {
                    raw.read(b, pfn * PAGE + b.position());
                }
                List<PageProvenance> seen = new ArrayList<>();
                int got = layer.read(pfn * PAGE, actual, 0, PAGE, (a, l, p) -> seen.add(p));
                assertEquals(1, seen.size());
                PageProvenance p = seen.get(0);
                if (truth.holds(pfn)) {
                    held++;
                    assertEquals("page 0x" + Long.toHexString(pfn), PAGE, got);
                    assertArrayEquals("page 0x" + Long.toHexString(pfn), expected, actual);
                    int set = truth.setOf()[(int) pfn];
                    PageProvenance.Evidence ev = (PageProvenance.Evidence) p;
                    HiberfilTruth.Set holder = truth.sets().get(set);
                    String head = "compression set " + set + " at 0x" + Long.toHexString(holder.headerOffset()) + " ("
                            + holder.codec() + ")";
                    assertTrue(ev.source() + " for page 0x" + Long.toHexString(pfn), ev.source().endsWith(head));
                    assertEquals(ev, layer.provenance(pfn * PAGE));
                } else {
                    left++;
                    assertEquals(0, got);
                    assertArrayEquals("left-out page 0x" + Long.toHexString(pfn) + " is zero in the image", expected,
                            actual);
                    assertTrue(p.toString(), p instanceof PageProvenance.Missing m
                            && m.cause() instanceof MissingCause.NotCaptured);
                }
            }
            PageProvenance past = layer.provenance(layer.size());
            assertTrue(past.toString(), past instanceof PageProvenance.Missing m
                    && m.cause() instanceof MissingCause.OutsideImage);
            String sets = e.properties().get("compression sets");
            assertTrue(sets, sets.contains("Xpress-Huffman"));
        }
        assertEquals(truth.pagesHeld(), held);
        assertTrue("some pages left out: " + left, left > 0);
    }

    @Test(timeout = 120_000)
    public void largeReadsSpanningSetsAndGapsEqualTheImageAndReportEveryByteOnce() throws Exception {
        int chunk = (1 << 20) + 3 * 1024;
        try (OpenedEvidence e = new HiberFormat().open(hiberfil); FileChannel raw = FileChannel.open(image.image(),
                StandardOpenOption.READ)) {
            Layer layer = e.physical();
            byte[] expected = new byte[chunk];
            byte[] actual = new byte[chunk];
            for (long at = 0x7ff; at < layer.size(); at += chunk) {
                int n = (int) Math.min(chunk, layer.size() - at);
                ByteBuffer b = ByteBuffer.wrap(expected, 0, n);
                while (b.hasRemaining()) {
                    raw.read(b, at + b.position());
                }
                long[] next = {at};
                long[] held = {0};
                int got = layer.read(at, actual, 0, n, (a, l, p) -> {
                    assertEquals("runs reported in order, without holes", next[0], a);
                    next[0] += l;
                    held[0] += p.isAvailable() ? l : 0;
                });
                assertEquals(at + n, next[0]);
                assertEquals(held[0], got);
                assertTrue("the MiB at 0x" + Long.toHexString(at),
                        java.util.Arrays.equals(expected, 0, n, actual, 0, n));
            }
        }
    }

    @Test(timeout = 300_000)
    public void pslistOnTheHibernationFileEqualsPslistOnTheRawImage() {
        Cli.Invocation onRaw = vestige("-f", image.image().toString(), "--no-hash", "-q", "windows.pslist", "-r",
                "json");
        assertEquals(onRaw.err(), 0, onRaw.exitCode());
        Cli.Invocation onHiber = vestige("-f", hiberfil.toString(), "--no-hash", "-q", "windows.pslist", "-r", "json");
        assertEquals(onHiber.err(), 0, onHiber.exitCode());
        assertEquals(image.truth().processes().size(), onRaw.out().strip().split("\n").length);
        assertEquals(onRaw.out(), onHiber.out());
        Cli.Invocation info = vestige("-f", hiberfil.toString(), "--no-hash", "-q", "evidence.info", "-r", "json");
        assertEquals(info.err(), 0, info.exitCode());
        assertTrue(info.out(), info.out().contains("hiberfil"));
        assertTrue(info.out(), info.out().contains("0x" + Integer.toHexString(truth.lengthSelf())));
    }

    static Cli.Invocation vestige(String... args) {
        return Cli.capture(Extensions.fromPlatform(), args);
    }
}
