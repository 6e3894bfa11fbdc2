package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.pagefile.PagefileStore;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** notepad.exe's image with one page in swapfile.sys (page-file number 1) as well as pagefile.sys. */
public class SwapfileImageTest {

    @Test
    public void imageReadsWholeFromBothPagingFiles() throws Exception {
        SynthOptions options = SynthOptions.builder().seed(77).windowsBuild(19041).swapfile(true).build();
        try (Discovered d = Discovered.of(SynthImages.WIN10_19041, options);
                FileLayer pf = FileLayer.open(d.out.pagefile(), "pagefile.sys");
                FileLayer sf = FileLayer.open(d.out.swapfile(), "swapfile.sys")) {
            d.kernel().translator().register(new PagefileStore(0, "pagefile.sys", pf));
            SynthTruth.Process np = d.truth().processes().stream().filter(p -> p.name().equals("notepad.exe"))
                    .findFirst().orElseThrow();
            X64Layer layer = new ProcessLayers(d.kernel(), d.profile()).layer("notepad.exe", np.dtb(),
                    np.eprocess());
            SynthTruth.ImagePage swapped = np.imagePages().stream().filter(g -> g.slot() == 1).findFirst()
                    .orElseThrow();
            byte[] b = new byte[4096];
            PageProvenance[] p = new PageProvenance[1];
            layer.read(swapped.va(), b, 0, 4096, (a, l, q) -> p[0] = q);
            assertTrue(p[0].toString(), p[0] instanceof PageProvenance.Missing m && m.reason().contains(
                    "swapfile.sys (slot 1) at offset " + Discovered.hex(swapped.fileOffset())));

            d.kernel().translator().register(new PagefileStore(1, "swapfile.sys", sf));
            int size = np.modules().get(0).size();
            byte[] image = new byte[size];
            assertEquals(size, layer.read(np.imageBase(), image, 0, size));
            assertEquals(np.imageSha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(image)));
            layer.read(swapped.va(), b, 0, 4096, (a, l, q) -> p[0] = q);
            assertEquals(new PageProvenance.Pagefile(1, swapped.fileOffset(), "swapfile.sys"), p[0]);
            List<SynthTruth.PagingFile> files = d.truth().pagingFiles();
            assertTrue(files.get(1).swapfile() && files.get(1).sizePages() * 4096 >= sf.size());
        }
    }
}
