package org.vestige.layer.crashdump;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.TestData;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.ProcessWalker;
import org.vestige.windows.WinProcess;

/**
 * Full and bitmap kernel dumps made from a synthesized Windows 10 image give the same process list as
 * the raw image, and both equal the synthesizer's truth.
 */
public class SyntheticKernelDumpTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void fullAndBitmapDumpsGiveTheRawImagesProcessList() throws Exception {
        Profile profile = IsfReader.read(TestData.requireProfile(
                "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz"));
        ImageSynthesizer.Output out = new ImageSynthesizer(profile, SynthOptions.builder().seed(8)
                .windowsBuild(19041).svchostCount(4).sizeMib(256).build()).synthesize(tmp.newFolder("img").toPath());
        byte[] image = Files.readAllBytes(out.image());
        int pages = image.length / KernelDumpBuilder.PAGE;
        Set<String> truth = new HashSet<>();
        for (SynthTruth.Process p : out.truth().processes()) {
            truth.add(p.pid() + "/" + p.name() + "/" + Long.toHexString(p.eprocess()));
        }
        assertEquals(truth, processes(org.vestige.core.layer.FileLayer.open(out.image(), "raw"), profile));

        byte[] full = KernelDumpBuilder.fullDump(image, new long[][] {{0, pages / 2}, {pages / 2, pages - pages / 2}});
        withTruth(full, out.truth());
        Path fullFile = tmp.newFile("full.dmp").toPath();
        Files.write(fullFile, full);

        boolean[] present = new boolean[pages];
        int kept = 0;
        for (int i = 0; i < pages; i++) {
            for (int j = i * KernelDumpBuilder.PAGE; j < (i + 1) * KernelDumpBuilder.PAGE; j++) {
                if (image[j] != 0) {
                    present[i] = true;
                    kept++;
                    break;
                }
            }
        }
        byte[] bitmap = KernelDumpBuilder.bitmapDump(image, present, "SDMP", 5);
        withTruth(bitmap, out.truth());
        Path bitmapFile = tmp.newFile("bitmap.dmp").toPath();
        Files.write(bitmapFile, bitmap);
        assertTrue("the bitmap dump leaves out empty pages", kept < pages);

        for (Path dump : List.of(fullFile, bitmapFile)) {
            try (OpenedEvidence e = new CrashDumpFormat().open(dump)) {
                assertEquals(dump.getFileName().toString(), truth, processes(e.physical(), profile));
                KernelHints hints = CrashDumpFormat.hints(e);
                assertEquals(out.truth().dtb(), hints.directoryTableBase());
            }
        }
    }

    /** Writes the synthesized kernel's facts into the dump header, as the kernel does when it writes a dump. */
    private static void withTruth(byte[] dump, SynthTruth truth) {
        ByteBuffer h = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(0x10, truth.dtb());
        h.putLong(0x20, truth.globals().getOrDefault("PsLoadedModuleList", 0L));
        h.putLong(0x28, truth.globals().getOrDefault("PsActiveProcessHead", 0L));
        h.putLong(0x80, truth.kdbg());
    }

    private static Set<String> processes(Layer physical, Profile profile) {
        KernelDiscovery d = new KernelLocator(physical, List.of(profile), LocatorHints.none()).locate();
        assertTrue(d.report().render(), d.complete());
        Set<String> s = new HashSet<>();
        for (WinProcess p : new ProcessWalker(d.kernel(), d.profile()).walk(d.psActiveProcessHead()).processes()) {
            s.add(p.pid() + "/" + p.name() + "/" + Long.toHexString(p.eprocess()));
        }
        return s;
    }
}
