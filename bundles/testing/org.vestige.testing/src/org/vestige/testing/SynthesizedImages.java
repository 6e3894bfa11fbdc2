package org.vestige.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/**
 * Synthesized images shared by every test of one JVM: each (profile, options) pair is synthesized once,
 * into a temporary folder deleted when the JVM exits. Images are read-only to the tests that share them.
 *
 * @since 0.1
 */
public final class SynthesizedImages {

    private static final Map<String, ImageSynthesizer.Output> IMAGES = new HashMap<>();
    private static Path root;

    private SynthesizedImages() {
    }

    /**
     * @return the image {@code options} give from {@code profile}, synthesized on first use (the profile is
     *         known by its {@link Profile#source()})
     */
    public static synchronized ImageSynthesizer.Output get(Profile profile, SynthOptions options) {
        return image(profile.source(), options, () -> profile);
    }

    /**
     * @return the image {@code options} give from the installed profile {@code profileId} (as the profiles
     *         extension point lists it), synthesized on first use; the profile is loaded only then
     * @throws AssertionError when no such profile is installed
     */
    public static synchronized ImageSynthesizer.Output installed(String profileId, SynthOptions options) {
        return image("installed:" + profileId, options, () -> {
            ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                    .findFirst().orElseThrow(() -> new AssertionError("no installed profile " + profileId));
            try {
                return d.load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private interface ProfileSource {
        Profile load();
    }

    private static ImageSynthesizer.Output image(String profileKey, SynthOptions options, ProfileSource profile) {
        String key = profileKey + "|" + options;
        ImageSynthesizer.Output out = IMAGES.get(key);
        if (out == null) {
            try {
                if (root == null) {
                    root = Files.createTempDirectory("vestige-synth");
                    Runtime.getRuntime().addShutdownHook(new Thread(SynthesizedImages::delete));
                }
                out = new ImageSynthesizer(profile.load(), options).synthesize(root.resolve("img" + IMAGES.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            IMAGES.put(key, out);
        }
        return out;
    }

    private static void delete() {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only: what is left, the system's temporary folder cleans up
        }
    }
}
