package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** Discovery without hints on synthesized images of several builds, with and without the low stub. */
@RunWith(Parameterized.class)
public class KernelLocatorTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Arrays.asList(new Object[][] {
            {SynthImages.WIN10_19041, 19041},
            {SynthImages.WIN7_7601, 7601},
            {SynthImages.WIN10_17763, 17763},
            {SynthImages.WIN11_22000, 22000},
            {SynthImages.WIN11_26100, 26100}});
    }

    private final String profileFile;
    private final int build;

    public KernelLocatorTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    private KernelDiscovery discover(ImageSynthesizer.Output out, List<Profile> candidates, FileLayer physical) {
        KernelDiscovery d = new KernelLocator(physical, candidates, LocatorHints.none()).locate();
        assertTrue("discovery incomplete:\n" + d.report().render(), d.complete());
        return d;
    }

    private static void assertIdentity(SynthTruth t, KernelDiscovery d) {
        String report = d.report().render();
        assertEquals(report, t.dtb(), d.dtb());
        assertEquals(report, t.kernelBase(), d.kernelBase());
        assertEquals(report, t.kernelSize(), d.kernelSize());
        assertEquals(report, t.selfMapIndex(), d.selfMapIndex());
        assertNotNull(report, d.pdb());
        assertEquals(t.pdbName(), d.pdb().name());
        assertEquals(t.guid(), d.pdb().guid());
        assertEquals(t.age(), d.pdb().age());
        assertEquals(report, t.build(), d.build());
        assertEquals(report, t.globals().get("PsActiveProcessHead").longValue(), d.psActiveProcessHead());
        assertEquals(report, t.globals().get("PsLoadedModuleList").longValue(), d.psLoadedModuleList());
    }

    @Test
    public void findsKernelWithLowStub() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(profileFile, SynthOptions.builder().seed(1000 + build).windowsBuild(build).build());
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = discover(out, candidates(out), physical);
            assertIdentity(out.truth(), d);
            assertTrue(d.report().render(), d.report().find("DTB from the low stub").get(0).outcome()
                    == DiscoveryReport.Outcome.FOUND);
        }
    }

    @Test
    public void findsKernelFromSelfMapWhenLowStubIsAbsent() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(profileFile, SynthOptions.builder().seed(2000 + build).windowsBuild(build)
                .lowStub(false).build());
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = discover(out, candidates(out), physical);
            assertIdentity(out.truth(), d);
            assertEquals(DiscoveryReport.Outcome.FAILED, d.report().find("DTB from the low stub").get(0).outcome());
            assertEquals(DiscoveryReport.Outcome.FOUND, d.report().find("DTB from a self-referencing").get(0)
                    .outcome());
        }
    }

    @Test
    public void processWalkReturnsExactlyTheTruthsProcesses() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(profileFile, SynthOptions.builder().seed(1000 + build).windowsBuild(build).build());
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = discover(out, candidates(out), physical);
            ProcessList list = new ProcessWalker(d.kernel(), d.profile()).walk(d.psActiveProcessHead());
            assertEquals(list.warnings().toString(), List.of(), list.warnings());
            assertEquals(Processes.expected(out.truth().processes()), Processes.actual(list.processes()));
            for (int i = 0; i < list.processes().size(); i++) {
                SynthTruth.Process t = out.truth().processes().get(i);
                WinProcess p = list.processes().get(i);
                assertEquals(t.dtb(), p.dtb());
                assertEquals(t.peb(), p.peb());
                assertEquals(t.threads(), p.threads());
            }
        }
    }

    /**
     * Types-only profiles (26100 partial) have no PDB identity: discovery selects them by build and
     * takes the list heads from KDBG. The synthesizer's own ISF adds the PDB identity and symbols.
     */
    private List<Profile> candidates(ImageSynthesizer.Output out) throws Exception {
        Profile p = SynthImages.profile(profileFile);
        if (p.identity().guid() != null) {
            return List.of(SynthImages.profile(SynthImages.WIN7_7601), p);
        }
        return List.of(p);
    }

    @Test
    public void imageIsfCarriesTheIdentityAndSymbolsPlaced() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(profileFile, SynthOptions.builder().seed(1000 + build).windowsBuild(build).build());
        Profile isf = IsfReader.read(out.isf());
        assertTrue(isf.identity().matches(out.truth().pdbName(), out.truth().guid(), out.truth().age()));
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = discover(out, List.of(isf), physical);
            assertIdentity(out.truth(), d);
            assertTrue(d.report().render(), d.report().render().contains("from the profile's symbols"));
        }
    }
}
