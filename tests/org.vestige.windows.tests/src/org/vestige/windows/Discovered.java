package org.vestige.windows;

import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** A synthesized image opened and run through kernel discovery, for the walker tests. */
final class Discovered implements AutoCloseable {

    final ImageSynthesizer.Output out;
    final FileLayer physical;
    final KernelDiscovery discovery;

    private Discovered(ImageSynthesizer.Output out, FileLayer physical, KernelDiscovery discovery) {
        this.out = out;
        this.physical = physical;
        this.discovery = discovery;
    }

    /** Every synthesized build: {profile file, build}. */
    static Collection<Object[]> builds() {
        return Arrays.asList(new Object[][] {
            {SynthImages.WIN10_19041, 19041},
            {SynthImages.WIN7_7601, 7601},
            {SynthImages.WIN10_17763, 17763},
            {SynthImages.WIN11_22000, 22000},
            {SynthImages.WIN11_26100, 26100}});
    }

    /** The image the discovery tests use for this build (seed 1000 + build), so it is synthesized once. */
    static Discovered of(String profileFile, int build) {
        return of(profileFile, SynthOptions.builder().seed(1000 + build).windowsBuild(build).build());
    }

    static Discovered of(String profileFile, SynthOptions options) {
        Profile p = SynthImages.profile(profileFile);
        ImageSynthesizer.Output out = SynthImages.image(profileFile, options);
        FileLayer physical = SynthImages.open(out);
        KernelDiscovery d = new KernelLocator(physical, List.of(p), LocatorHints.none()).locate();
        assertTrue(d.report().render(), d.complete());
        return new Discovered(out, physical, d);
    }

    SynthTruth truth() {
        return out.truth();
    }

    Profile profile() {
        return discovery.profile();
    }

    X64Layer kernel() {
        return discovery.kernel();
    }

    /** @return the address space of a process of the truth */
    X64Layer process(SynthTruth.Process p) {
        return kernel().translator().layer(p.name() + " (pid " + p.pid() + ")", p.dtb());
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    @Override
    public void close() {
        physical.close();
    }
}
