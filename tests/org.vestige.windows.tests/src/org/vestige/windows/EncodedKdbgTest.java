package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.core.layer.FileLayer;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/** An encoded KDBG (Windows 8+): the plain scan fails, decoding with the profile's KiWait* keys finds it. */
public class EncodedKdbgTest {

    @Test
    public void encodedKdbgIsDecodedWithTheProfilesSymbols() throws Exception {
        for (String file : List.of(SynthImages.WIN10_19041, SynthImages.WIN11_22000)) {
            ImageSynthesizer.Output out = SynthImages.image(file, SynthOptions.builder().seed(9).windowsBuild(file.equals(SynthImages.WIN10_19041) ? 19041 : 22000)
                    .encodedKdbg(true).lowStub(false).build());
            try (FileLayer physical = SynthImages.open(out)) {
                KernelDiscovery d = new KernelLocator(physical, List.of(SynthImages.profile(file)), LocatorHints
                        .none()).locate();
                String report = d.report().render();
                assertTrue(report, d.complete());
                assertEquals(DiscoveryReport.Outcome.FAILED, d.report().find("KDBG (plain scan)").get(0).outcome());
                assertEquals(report, out.truth().kdbg(), d.kdbg());
                assertTrue(report, d.kdbgEncoded());
            }
        }
    }
}
