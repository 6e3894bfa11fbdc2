package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/** A Windows 7 layout offered for a 19041 image: discovery says what it tried, what failed, what it chose. */
public class WrongProfileTest {

    @Test
    public void forcedWin7ProfileFailsAndDiscoveryFallsBackToThePdbMatch() throws Exception {
        Profile win7 = SynthImages.profile(SynthImages.WIN7_7601);
        Profile win10 = SynthImages.profile(SynthImages.WIN10_19041);
        ImageSynthesizer.Output out = SynthImages.image(SynthImages.WIN10_19041, SynthOptions.builder().seed(5).windowsBuild(19041).build());
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = new KernelLocator(physical, List.of(win7, win10), LocatorHints.none()
                    .withProfile(win7)).locate();
            String report = d.report().render();
            assertTrue(report, d.complete());
            assertEquals(win10, d.profile());
            DiscoveryReport.Attempt tried = d.report().find("profile " + win7.source()).get(0);
            assertEquals(report, DiscoveryReport.Outcome.FAILED, tried.outcome());
            assertTrue(report, tried.detail().contains("_EPROCESS layout does not fit"));
            DiscoveryReport.Attempt selection = d.report().find("profile selection").get(0);
            assertTrue(report, selection.detail().contains("fell back to it after " + win7.source()
                    + " did not validate"));
        }
    }

    @Test
    public void onlyAWrongProfileLeavesDiscoveryIncompleteWithReasons() throws Exception {
        Profile win7 = SynthImages.profile(SynthImages.WIN7_7601);
        ImageSynthesizer.Output out = SynthImages.image(SynthImages.WIN10_19041, SynthOptions.builder().seed(5).windowsBuild(19041).build());
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = new KernelLocator(physical, List.of(win7), LocatorHints.none().withProfile(win7))
                    .locate();
            String report = d.report().render();
            assertFalse(report, d.complete());
            assertEquals(out.truth().kernelBase(), d.kernelBase());
            assertEquals(out.truth().build(), d.build());
            assertTrue(report, report.contains("PDB does not match"));
            assertTrue(report, report.contains("no candidate profile validated"));
        }
    }
}
