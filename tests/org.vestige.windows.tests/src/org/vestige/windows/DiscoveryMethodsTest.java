package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.IsfReader;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Every discovery method run on its own (the other stage's methods all allowed) finds the same kernel: the
 * truth's DTB, kernel base, size and PDB identity, on every synthesized build.
 */
@RunWith(Parameterized.class)
public class DiscoveryMethodsTest {

    @Parameters(name = "build {1} {2}")
    public static Collection<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (Object[] b : Discovered.builds()) {
            for (DiscoveryMethod m : DiscoveryMethod.values()) {
                out.add(new Object[] {b[0], b[1], m});
            }
        }
        return out;
    }

    private final String profileFile;
    private final int build;
    private final DiscoveryMethod method;

    public DiscoveryMethodsTest(String profileFile, int build, DiscoveryMethod method) {
        this.profileFile = profileFile;
        this.build = build;
        this.method = method;
    }

    /** The step each method reports under (a prefix of the attempt's name). */
    private static String step(DiscoveryMethod m) {
        return switch (m) {
            case LOW_STUB -> "DTB from the low stub";
            case SELF_MAP -> "DTB from a self-referencing";
            case POOLCODE -> "MZ/PE with a POOLCODE section";
            case RSDS -> "RSDS record naming a kernel PDB";
            case KDBG -> "KDBG block (OwnerTag 'KDBG')";
            case EXPORTS -> "export directory naming ntoskrnl";
        };
    }

    @Test
    public void findsTheTruthsKernelByThisMethodAlone() throws IOException {
        ImageSynthesizer.Output out = SynthImages.image(profileFile, SynthOptions.builder().seed(1000 + build)
                .windowsBuild(build).build());
        SynthTruth t = out.truth();
        try (FileLayer physical = SynthImages.open(out)) {
            KernelDiscovery d = new KernelLocator(physical, List.of(IsfReader.read(out.isf())), LocatorHints.none()
                    .only(method)).locate();
            String report = d.report().render();
            assertTrue("discovery incomplete:\n" + report, d.complete());
            assertEquals(report, t.dtb(), d.dtb());
            assertEquals(report, t.kernelBase(), d.kernelBase());
            assertEquals(report, t.kernelSize(), d.kernelSize());
            assertEquals(report, t.guid(), d.pdb().guid());
            assertEquals(report, t.age(), d.pdb().age());
            assertTrue(report, d.report().find(step(method)).stream().anyMatch(a -> a.outcome()
                    == DiscoveryReport.Outcome.FOUND));
            for (DiscoveryMethod other : DiscoveryMethod.values()) {
                if (other != method && other.stage() == method.stage()) {
                    assertTrue(other + " ran:\n" + report, d.report().find(step(other)).stream().allMatch(a -> a
                            .outcome() == DiscoveryReport.Outcome.SKIPPED));
                }
            }
        }
    }
}
