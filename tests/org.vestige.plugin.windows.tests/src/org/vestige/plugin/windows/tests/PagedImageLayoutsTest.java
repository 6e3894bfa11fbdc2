package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.windows.WindowsKernel;
import org.vestige.testing.JsonLines;
import org.vestige.windows.WinProcess;
import org.vestige.windows.X64Layer;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * notepad.exe with pages in pagefile.sys and swapfile.sys, through the vestige command, with both
 * software-PTE layouts: the pre-L1TF one (PageFileLow at bits 1–4, no swizzling; 17134's original
 * layout) and the L1TF one (PageFileLow at bits 12–15, SwizzleBit; 19041). procdump rebuilds the
 * image exactly with both paging files, names the swapfile page without it, and memmap's kinds for
 * the image's pages agree with the synthesizer's.
 */
@RunWith(Parameterized.class)
public class PagedImageLayoutsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "{0}")
    public static List<Object[]> layouts() {
        return List.of(new Object[] {"windows.x64.17134.win10_x64_17134", 17134},
                new Object[] {"windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", 19041});
    }

    private final ImageSynthesizer.Output image;
    private final SynthTruth.Process notepad;

    public PagedImageLayoutsTest(String profileId, int build) {
        image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(91).windowsBuild(build).swapfile(true)
                .build());
        notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
    }

    private Cli.Invocation vestige(String... rest) {
        List<String> args = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q"));
        args.addAll(List.of(rest));
        return WindowsAnalysesTest.vestige(args.toArray(String[]::new));
    }

    @Test
    public void procdumpIsExactWithBothPagingFiles() throws Exception {
        assertTrue(notepad.imagePages().stream().anyMatch(p -> p.kind().equals("pagefile") && p.slot() == 1));
        Path out = tmp.newFolder().toPath();
        Cli.Invocation o = vestige("--pagefile", image.pagefile().toString(), "--pagefile", image.swapfile()
                .toString(), "-o", out.toString(), "windows.procdump", "--pid", Long.toString(notepad.pid()));
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().contains("sha256 " + notepad.imageSha256()));
        assertTrue(o.err(), o.err().contains("pagefile 1 (swapfile.sys)"));
    }

    @Test
    public void withoutTheSwapfileItsPageIsNamed() throws Exception {
        Path out = tmp.newFolder().toPath();
        Cli.Invocation o = vestige("--pagefile", image.pagefile().toString(), "-o", out.toString(),
                "windows.procdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertFalse(o.err(), o.err().contains("sha256 " + notepad.imageSha256()));
        SynthTruth.ImagePage swapped = notepad.imagePages().stream().filter(p -> p.slot() == 1).findFirst()
                .orElseThrow();
        assertTrue(o.out(), o.out().contains("swapfile.sys (slot 1) at offset 0x" + Long.toHexString(swapped
                .fileOffset())));
    }

    @Test
    public void memmapKindsAgreeWithTheTruth() {
        Cli.Invocation o = vestige("--pagefile", image.pagefile().toString(), "--pagefile", image.swapfile()
                .toString(), "windows.memmap", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        Map<String, String> kinds = new HashMap<>();
        for (JsonNode r : JsonLines.parse(o.out())) {
            kinds.put(r.get("Virtual").asText(), r.get("Kind").asText());
        }
        int checked = 0;
        for (SynthTruth.ImagePage p : notepad.imagePages()) {
            if (p.viaVad() || !p.module().equals("notepad.exe")) {
                continue; // pages kept in the VAD have no PTE of their own to list
            }
            assertEquals(p.toString(), p.kind(), kinds.get("0x" + Long.toHexString(p.va())));
            checked++;
        }
        assertTrue(checked > 4);
    }

    @Test
    public void aPageOnlyInItsFileNamesTheFileAndTheOffset() {
        SynthTruth.ImagePage fileOnly = notepad.imagePages().stream().filter(p -> p.kind().equals("file")).findFirst()
                .orElseThrow(() -> new AssertionError("the synthesizer placed no file-backed page"));
        SynthTruth.Module dll = notepad.modules().stream().filter(m -> m.name().equals(fileOnly.module()))
                .findFirst().orElseThrow();
        Cli.Invocation o = vestige("windows.memmap", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = JsonLines.parse(o.out()).stream().filter(r -> r.get("Virtual").asText().equals("0x" + Long
                .toHexString(fileOnly.va()))).findFirst().orElseThrow(() -> new AssertionError(o.out()));
        String reason = row.get("Source").get("reason").asText();
        String path = dll.path().substring(2); // the file object's name has no drive letter
        assertTrue(reason, reason.startsWith("in the file " + path + " at offset 0x" + Long.toHexString(fileOnly
                .fileOffset()) + ", not in memory"));
    }

    /** Reads the provenance of notepad.exe's pages at {@code vas} with pagefile.sys only, through the engine. */
    private Map<Long, PageProvenance> provenanceWithPagefileOnly(List<Long> vas) throws Exception {
        Map<Long, PageProvenance> seen = new HashMap<>();
        EvidenceCase c = EvidenceCase.open(image.image(), List.of(new PagefileSpec(-1, image.pagefile())), Extensions
                .fromPlatform().formats(), false, new NullProgressMonitor());
        try (AnalysisSession session = new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings.writingTo(
                tmp.newFolder().toPath()))) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            WinProcess process = kernel.processes().processes().stream().filter(x -> x.pid() == notepad.pid())
                    .findFirst().orElseThrow();
            X64Layer layer = kernel.processLayers().layer(process);
            for (long va : vas) {
                layer.read(va, new byte[16], 0, 16, (a, l, prov) -> seen.putIfAbsent(va, prov));
            }
        }
        return seen;
    }

    @Test
    public void missingPagesCarryTheCauseTheTruthGives() throws Exception {
        SynthTruth.ImagePage swapped = notepad.imagePages().stream().filter(p -> p.kind().equals("pagefile") && p
                .slot() == 1).findFirst().orElseThrow();
        SynthTruth.ImagePage fileOnly = notepad.imagePages().stream().filter(p -> p.kind().equals("file"))
                .findFirst().orElseThrow();
        String path = notepad.modules().stream().filter(m -> m.name().equals(fileOnly.module())).findFirst()
                .orElseThrow().path().substring(2);
        Map<Long, PageProvenance> seen = provenanceWithPagefileOnly(List.of(swapped.va(), fileOnly.va()));
        // swapfile.sys not supplied: paged out to slot 1 at the offset the synthesizer wrote it to
        assertEquals(new MissingCause.PagedOut(1, swapped.fileOffset()), ((PageProvenance.Missing) seen.get(swapped
                .va())).cause());
        assertTrue(new MissingCause.PagedOut(1, swapped.fileOffset()).recoverable());
        // a page only in its DLL: the file the subsection names, at the page's offset in it
        assertEquals(new MissingCause.InFile(path, fileOnly.fileOffset()), ((PageProvenance.Missing) seen.get(fileOnly
                .va())).cause());
    }
}
