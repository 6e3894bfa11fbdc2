package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.IsfReader;
import org.vestige.windows.WindowsKernel;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.windows.ProcessWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.X64Layer;

/** Pages a process has in pagefile.sys read back through the supplied file, and say where they are without it. */
public class PagefileTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path isf;
    static ImageSynthesizer.Output image;

    @BeforeClass
    public static void synthesize() throws IOException {
        isf = TestData.requireProfile(WindowsAnalysesTest.WIN10);
        image = SynthesizedImages.get(IsfReader.read(isf), SynthOptions.builder().seed(21).windowsBuild(19041).build());
    }

    record Read(PageProvenance provenance, byte[] bytes) {
    }

    /** Reads every pagefile sample of the synthesizer through the process layers of a case. */
    static List<Read> readSamples(List<PagefileSpec> pagefiles) throws Exception {
        List<Read> reads = new ArrayList<>();
        EvidenceCase c = EvidenceCase.open(image.image(), pagefiles, Extensions.fromPlatform().formats(), false,
                new NullProgressMonitor());
        try (AnalysisSession session = new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings.builder(tmp
                .getRoot().toPath()).symbols(List.of(isf)).build())) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            ProcessWalker walker = new ProcessWalker(kernel.discovery().kernel(), kernel.discovery().profile());
            for (ImageSynthesizer.PteSample s : image.pteSamples()) {
                if (!s.kind().equals("pagefile")) {
                    continue;
                }
                WinProcess p = kernel.processes().processes().stream().filter(x -> x.pid() == s.pid()).findFirst()
                        .orElseThrow();
                X64Layer layer = walker.processLayer(p);
                byte[] page = new byte[4096];
                PageProvenance[] seen = new PageProvenance[1];
                layer.read(s.va(), page, 0, page.length, (a, l, prov) -> seen[0] = prov);
                reads.add(new Read(seen[0], Arrays.copyOf(page, s.marker().length)));
            }
        }
        return reads;
    }

    @Test
    public void pagedOutPagesReadBackFromTheSuppliedPagefile() throws Exception {
        List<Read> reads = readSamples(List.of(new PagefileSpec(-1, image.pagefile())));
        List<ImageSynthesizer.PteSample> samples = image.pteSamples().stream().filter(s -> s.kind().equals(
                "pagefile")).toList();
        assertFalse(samples.isEmpty());
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(new PageProvenance.Pagefile(0, samples.get(i).fileOffset(), "pagefile.sys"), reads.get(i)
                    .provenance());
            assertArrayEquals(samples.get(i).marker(), reads.get(i).bytes());
        }
    }

    @Test
    public void withoutThePagefileEachPageSaysWhereItIs() throws Exception {
        List<Read> reads = readSamples(List.of());
        List<ImageSynthesizer.PteSample> samples = image.pteSamples().stream().filter(s -> s.kind().equals(
                "pagefile")).toList();
        for (int i = 0; i < samples.size(); i++) {
            PageProvenance p = reads.get(i).provenance();
            assertTrue(p.toString(), p instanceof PageProvenance.Missing);
            String reason = ((PageProvenance.Missing) p).reason();
            assertTrue(reason, reason.contains("pagefile.sys (slot 0) at offset 0x" + Long.toHexString(samples.get(i)
                    .fileOffset())));
            assertArrayEquals(new byte[samples.get(i).marker().length], reads.get(i).bytes());
        }
    }

    @Test
    public void aPagefileTooSmallIsNamedAndItsPagesReportedMissing() throws Exception {
        Path small = tmp.newFile("pagefile-small.sys").toPath();
        Files.write(small, new byte[4096]);
        List<Read> reads = readSamples(List.of(new PagefileSpec(0, small)));
        for (Read r : reads) {
            if (r.provenance() instanceof PageProvenance.Missing m) {
                assertTrue(m.reason(), m.reason().contains("pagefile-small.sys") && m.reason().contains(
                        "beyond the end of the supplied file"));
            }
        }
        assertTrue(reads.stream().anyMatch(r -> r.provenance() instanceof PageProvenance.Missing));
    }
}
