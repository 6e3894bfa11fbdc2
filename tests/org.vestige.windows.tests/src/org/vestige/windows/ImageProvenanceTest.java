package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.layer.pagefile.PagefileStore;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * notepad.exe's whole image read through its process address space — resident, transition, paged
 * out to pagefile.sys and kept in the VAD — against the synthesizer's SHA-256 and per-page
 * provenance, on the L1TF (swizzled) and the older software-PTE layouts; and the kernel's
 * paging-file records.
 */
@RunWith(Parameterized.class)
public class ImageProvenanceTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Arrays.asList(new Object[][] {
            {SynthImages.WIN10_19041, 19041},
            {SynthImages.WIN7_7601, 7601},
            {SynthImages.WIN10_17763, 17763},
            {"isf/win7_sp1_x64_632B36E0.json.xz", 7601},
            {"isf/win10_x64_17134.json.xz", 17134}});
    }

    private final String profileFile;
    private final int build;

    public ImageProvenanceTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    private static SynthTruth.Process notepad(SynthTruth truth) {
        return truth.processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst().orElseThrow();
    }

    private static String sha256(byte[] b, int from, int to) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(b, from, to - from);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Reads one page and returns its provenance (a page is one run: it has one source). */
    private static PageProvenance page(X64Layer layer, long va, byte[] into) {
        List<PageProvenance> runs = new ArrayList<>();
        layer.read(va, into, 0, 4096, (a, l, p) -> runs.add(p));
        assertEquals("runs of page " + Discovered.hex(va), 1, runs.size());
        return runs.get(0);
    }

    private static X64Layer notepadLayer(Discovered d, SynthTruth.Process np) {
        return new ProcessLayers(d.kernel(), d.profile()).layer("notepad.exe", np.dtb(), np.eprocess());
    }

    @Test
    public void wholeImageWithThePagefileMatchesTheTruth() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build);
                FileLayer pf = FileLayer.open(d.out.pagefile(), "pagefile.sys")) {
            d.kernel().translator().register(new PagefileStore(0, "pagefile.sys", pf));
            SynthTruth.Process np = notepad(d.truth());
            X64Layer layer = notepadLayer(d, np);
            int size = np.modules().get(0).size();
            byte[] image = new byte[size];
            assertEquals(size, layer.read(np.imageBase(), image, 0, size));
            assertNotNull(np.imageSha256());
            assertEquals(np.imageSha256(), sha256(image, 0, size));
            assertEquals('M', image[0]);
            assertEquals('Z', image[1]);

            byte[] b = new byte[4096];
            List<String> kinds = new ArrayList<>();
            int viaVad = 0;
            for (SynthTruth.ImagePage g : np.imagePages()) {
                PageProvenance p = page(layer, g.va(), b);
                if (fileOnly(g, p)) {
                    continue;
                }
                assertEquals(g.module() + " " + Discovered.hex(g.va()), g.kind(), p.kind());
                assertEquals(g.module() + " " + Discovered.hex(g.va()), g.sha256(), sha256(b, 0, 4096));
                if (p instanceof PageProvenance.Pagefile f) {
                    assertEquals(g.slot(), f.slot());
                    assertEquals(g.fileOffset(), f.offset());
                }
                kinds.add(g.kind());
                viaVad += g.viaVad() ? 1 : 0;
            }
            assertTrue(kinds.stream().filter("pagefile"::equals).count() >= 2);
            assertTrue(kinds.contains("transition"));
            assertTrue("pages found through the VAD", viaVad >= 2);
            assertTrue(np.imagePages().stream().anyMatch(g -> g.viaVad() && g.module().equals("ntdll.dll")));
        }
    }

    /** A page only in its file is missing, with the subsection or the file named, whatever is supplied. */
    private static boolean fileOnly(SynthTruth.ImagePage g, PageProvenance p) {
        if (!g.kind().equals("file")) {
            return false;
        }
        assertTrue(p.toString(), p instanceof PageProvenance.Missing m && m.reason().contains("not in memory")
                && m.reason().contains("subsection 0x"));
        return true;
    }

    @Test
    public void withoutThePagefileTheOutPagesAreMissingWithWhere() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            SynthTruth.Process np = notepad(d.truth());
            X64Layer layer = notepadLayer(d, np);
            byte[] b = new byte[4096];
            int missing = 0;
            for (SynthTruth.ImagePage g : np.imagePages()) {
                PageProvenance p = page(layer, g.va(), b);
                if (g.kind().equals("pagefile")) {
                    assertTrue(p.toString(), p instanceof PageProvenance.Missing m && m.reason().contains(
                            "pagefile.sys (slot 0) at offset " + Discovered.hex(g.fileOffset())));
                    missing++;
                } else if (!fileOnly(g, p)) {
                    assertEquals(g.kind(), p.kind());
                    assertEquals(g.sha256(), sha256(b, 0, 4096));
                }
            }
            assertTrue(missing >= 2);
        }
    }

    @Test
    public void pagingFilesListExactlyThePlacedRecords() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            Profile profile = d.profile().symbol("MiSystemPartition").isPresent() || d.profile().symbol(
                    "MmPagingFile").isPresent() ? d.profile() : IsfReader.read(d.out.isf());
            PagingFiles.Listing l = new PagingFiles(d.kernel(), profile, d.discovery.kernelBase()).list();
            assertEquals(l.warnings().toString(), List.of(), l.warnings());
            List<SynthTruth.PagingFile> expected = d.truth().pagingFiles();
            assertEquals(build >= 10240 ? 3 : 1, expected.size());
            assertEquals(expected.size(), l.files().size());
            for (int i = 0; i < expected.size(); i++) {
                SynthTruth.PagingFile e = expected.get(i);
                PagingFile f = l.files().get(i);
                assertEquals(e.slot(), f.slot());
                assertEquals(e.name(), f.name().get());
                assertEquals(e.sizePages(), f.sizePages());
                assertEquals(e.swapfile(), f.swapfile());
                assertEquals(e.virtualStore(), f.virtualStore());
                assertEquals(e.address(), f.address());
            }
            assertEquals("\\??\\C:\\pagefile.sys", l.files().get(0).name().get());
        }
    }
}
