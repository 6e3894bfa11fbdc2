package org.vestige.windows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;

/** The reference profiles the engine tests synthesize images from, each read once, and those images. */
final class SynthImages {

    static final String WIN10_19041 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final String WIN7_7601 = "isf-full/windows/ntkrnlmp.pdb/339E74133576439CBCDF7E0229DA3773-1.json.xz";
    static final String WIN10_17763 = "isf-full/windows/ntkrnlmp.pdb/8CFB49428DC86A330CE257778E0C2F93-1.json.xz";
    static final String WIN11_22000 = "isf-full/windows/ntkrnlmp.pdb/32C1A669D5FFEFD41091F636CFDB6E99-1.json.xz";
    static final String WIN11_26100 = "isf-partial/win11_x64_26100_partial.json.xz";

    private static final Map<String, Profile> PROFILES = new HashMap<>();

    private SynthImages() {
    }

    /**
     * @return the profile: the reference file, else the installed profile bundle's copy of it; the test is
     *         skipped only when neither has it
     */
    static synchronized Profile profile(String relative) {
        Path file = TestData.requireProfile(relative);
        return PROFILES.computeIfAbsent(relative, r -> {
            try {
                return IsfReader.read(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static ImageSynthesizer.Output image(String profile, SynthOptions options) {
        return SynthesizedImages.get(profile(profile), options);
    }

    static FileLayer open(ImageSynthesizer.Output out) {
        try {
            return FileLayer.open(out.image(), "physical (raw: image.raw)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
