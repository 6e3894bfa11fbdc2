package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.cli.Cli;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

/**
 * {@code windows.malfind} and {@code windows.hollowprocesses} on synthesized Windows 10 images that are not
 * the usual one: an image synthesized without plants, where neither (nor {@code windows.suspicious_threads}
 * or {@code windows.ldrmodules}) finds anything, and an image in which one process's VAD tree has a cycle,
 * which is reported naming the process and the VAD while every planted region is still found.
 */
public class InjectedCodeDamageTest {

    private static final String PROFILE = "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1";

    private static ImageSynthesizer.Output image(SynthOptions.Builder options) {
        return SynthesizedImages.installed(PROFILE, options.seed(33).windowsBuild(19041)
                .compressedStore(SynthOptions.CompressedStore.INTACT).build());
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> rows(ImageSynthesizer.Output image,
            String plugin) {
        Cli.Invocation o = ThreadAnalysesTest.run(image.image(), "--pagefile", image.pagefile().toString(), plugin,
                "-r", "json");
        return JsonLines.parse(o.out());
    }

    @Test
    public void anImageWithoutPlantsHasNoInjectedCodeHollowedProcessOrHiddenThread() {
        ImageSynthesizer.Output clean = image(SynthOptions.builder().plants(false));
        SynthTruth truth = clean.truth();
        assertEquals(List.of(), truth.malfind().regions());
        assertEquals(List.of(), truth.malfind().hollowed());
        assertEquals(List.of(), truth.malfind().patches());
        assertEquals(List.of(), truth.threads().planted());
        assertTrue(truth.threads().images().stream().noneMatch(ThreadTruth.Image::unlinked));
        assertEquals(List.of(), rows(clean, "windows.malfind"));
        assertEquals(List.of(), rows(clean, "windows.hollowprocesses"));
        assertEquals(List.of(), rows(clean, "windows.suspicious_threads"));
        assertTrue(rows(clean, "windows.ldrmodules").stream().noneMatch(r -> r.get("Unlinked").asBoolean()));
        // the same seed with plants finds them: the empty results above are the plants' absence
        assertEquals(5, rows(image(SynthOptions.builder()), "windows.malfind").size());
    }

    @Test
    public void aVadCycleIsNamedWithItsProcessAndEveryPlantedRegionIsStillFound() {
        ImageSynthesizer.Output damaged = image(SynthOptions.builder().smear(SynthOptions.Smear.VAD_CYCLE));
        SynthTruth truth = damaged.truth();
        SynthTruth.SmearInfo smear = truth.smear();
        for (String plugin : List.of("windows.malfind", "windows.hollowprocesses")) {
            Cli.Invocation o = ThreadAnalysesTest.run(damaged.image(), "--pagefile", damaged.pagefile().toString(),
                    plugin, "-r", "json");
            assertTrue(plugin + ": " + o.err(), o.err().lines().anyMatch(l -> l.contains("(pid " + smear.pid() + ",")
                    && l.contains("VAD " + InjectedCodeTest.hex(smear.structure())) && l.contains("cycle")));
            if (plugin.equals("windows.malfind")) {
                assertEquals(InjectedCodeTest.expectedRegions(truth, InjectedCodeTest.LABELS), InjectedCodeTest
                        .actualRegions(JsonLines.parse(o.out())));
                assertEquals(InjectedCodeTest.expectedPatches(truth), InjectedCodeTest.actualPatches(JsonLines.parse(o
                        .out())));
            } else {
                assertEquals(truth.malfind().hollowed().size(), JsonLines.parse(o.out()).size());
            }
        }
    }
}
