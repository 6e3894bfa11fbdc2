package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthOptions.Smear;
import org.vestige.synth.SynthTruth;

/** Smeared process lists: no hang, a warning naming the structure, and the rest of the list. */
public class ProcessWalkerSmearTest {

    private ProcessList walk(Smear smear, ImageSynthesizer.Output[] out) throws Exception {
        Profile p = SynthImages.profile(SynthImages.WIN10_19041);
        out[0] = SynthImages.image(SynthImages.WIN10_19041, SynthOptions.builder().seed(77).windowsBuild(19041).smear(smear).build());
        try (FileLayer physical = SynthImages.open(out[0])) {
            KernelDiscovery d = new KernelLocator(physical, List.of(p), LocatorHints.none()).locate();
            assertTrue(d.report().render(), d.complete());
            return new ProcessWalker(d.kernel(), d.profile()).walk(d.psActiveProcessHead());
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    @Test(timeout = 60_000)
    public void brokenFlinkIsReportedAndTheRestRecovered() throws Exception {
        ImageSynthesizer.Output[] out = new ImageSynthesizer.Output[1];
        ProcessList list = walk(Smear.BROKEN_FLINK, out);
        SynthTruth t = out[0].truth();
        assertEquals(Processes.expected(t.processes()), Processes.actual(list.processes()));
        assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains(hex(t.smear()
                .eprocess())) && w.contains("Flink") && w.contains("not readable")));
    }

    @Test(timeout = 60_000)
    public void cycleIsReportedAndTheRestRecovered() throws Exception {
        ImageSynthesizer.Output[] out = new ImageSynthesizer.Output[1];
        ProcessList list = walk(Smear.CYCLE, out);
        SynthTruth t = out[0].truth();
        assertEquals(Processes.expected(t.processes()), Processes.actual(list.processes()));
        assertEquals(t.processes().size(), list.processes().size());
        assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains(hex(t.smear()
                .eprocess())) && w.contains("cycle")));
    }

    @Test(timeout = 60_000)
    public void halfWrittenEprocessIsRejectedAndTheListContinues() throws Exception {
        ImageSynthesizer.Output[] out = new ImageSynthesizer.Output[1];
        ProcessList list = walk(Smear.HALF_WRITTEN, out);
        SynthTruth t = out[0].truth();
        Set<Processes.Key> expected = Processes.expected(t.processes().stream().filter(p -> p.eprocess() != t.smear()
                .eprocess()).collect(Collectors.toList()));
        assertEquals(expected, Processes.actual(list.processes()));
        assertEquals(List.of(t.smear().eprocess()), list.rejected());
        assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains("_EPROCESS at "
                + hex(t.smear().eprocess())) && w.contains("implausible")));
    }
}
