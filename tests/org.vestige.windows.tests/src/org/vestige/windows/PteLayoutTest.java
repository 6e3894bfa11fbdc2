package org.vestige.windows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;

import org.junit.Test;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/** PTE layouts come from the profile's _MMPTE_* types, and the synthesizer is deterministic. */
public class PteLayoutTest {

    @Test
    public void l1tfLayoutOf19041DecodesTheWorkedExample() {
        PteLayout l = PteLayout.from(SynthImages.profile(SynthImages.WIN10_19041));
        assertEquals(new PteLayout.Bits(12, 4), l.pageFileLow());
        assertEquals(4, l.swizzleBit());
        // WINDOWS-INTERNALS C.5: 0x000020A100002080 -> PageFileLow 2, SwizzleBit 0, PageFileHigh 0x20A1 ^ 0x2000
        long pte = 0x000020A100002080L;
        assertEquals(2, l.pageFileLow(pte));
        assertTrue(l.swizzled(pte));
        assertEquals(0xA1, l.pageFileHigh(pte));
        assertEquals(0x0000fffffffff000L, l.frameMask());
    }

    @Test
    public void layoutsDifferWhereTheProfilesDo() {
        PteLayout old = PteLayout.from(SynthImages.profile("isf/win10_x64_17134.json.xz"));
        assertEquals(new PteLayout.Bits(1, 4), old.pageFileLow());
        assertEquals(-1, old.swizzleBit());
        assertFalse(old.swizzled(0x000020A100002080L));
        PteLayout p26100 = PteLayout.from(SynthImages.profile(SynthImages.WIN11_26100));
        assertEquals(0x000ffffffffff000L, p26100.frameMask());
        assertEquals(new PteLayout.Bits(12, 40), p26100.transitionFrame());
    }

    @Test
    public void synthesizerIsDeterministic() throws Exception {
        Profile p = SynthImages.profile(SynthImages.WIN7_7601);
        java.nio.file.Path a = Files.createTempDirectory("synth-a");
        java.nio.file.Path b = Files.createTempDirectory("synth-b");
        try {
            ImageSynthesizer.Output x = new ImageSynthesizer(p, SynthOptions.builder().seed(31).windowsBuild(7601).build()).synthesize(a);
            ImageSynthesizer.Output y = new ImageSynthesizer(p, SynthOptions.builder().seed(31).windowsBuild(7601).build()).synthesize(b);
            assertEquals(x.truth().toJson(), y.truth().toJson());
            assertEquals(-1L, Files.mismatch(x.image(), y.image()));
            assertArrayEquals(Files.readAllBytes(x.pagefile()), Files.readAllBytes(y.pagefile()));
            ImageSynthesizer.Output z = new ImageSynthesizer(p, SynthOptions.builder().seed(32).windowsBuild(7601).build()).synthesize(b);
            assertFalse(x.truth().toJson().equals(z.truth().toJson()));
        } finally {
            for (java.nio.file.Path d : new java.nio.file.Path[] {a, b}) {
                try (var s = Files.walk(d)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
