package org.vestige.synth;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.Profile;

/** The same profile and options give the same bytes in every file the synthesizer writes. */
public class DeterminismTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Profile profile(String id) throws IOException {
        ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no installed profile " + id));
        return d.load();
    }

    /** @return the SHA-256 of every file under {@code directory}, by name */
    private static Map<String, String> digests(Path directory) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.sorted().toList()) {
                out.put(f.getFileName().toString(), sha256(f));
            }
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> synthesize(Profile profile, SynthOptions options, String folder)
            throws IOException {
        Path dir = tmp.newFolder(folder).toPath();
        ImageSynthesizer synthesizer = new ImageSynthesizer(profile, options);
        ImageSynthesizer.Output out = synthesizer.synthesize(dir);
        long notepad = out.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow().pid();
        synthesizer.procDump(notepad, dir.resolve("notepad.dmp"));
        return digests(dir);
    }

    @Test
    public void equalOptionsGiveByteIdenticalFiles() throws IOException {
        Profile win10 = profile("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1");
        SynthOptions options = SynthOptions.builder().seed(11).windowsBuild(19041).sizeMib(256)
                .hives(HiveMemoryWriter.HivePlacement.SAM_COMPRESSED)
                .compressedStore(SynthOptions.CompressedStore.INTACT).vbs(true).swapfile(true).build();
        Map<String, String> first = synthesize(win10, options, "first");
        Map<String, String> second = synthesize(win10, options.toBuilder().build(), "second");
        assertEquals(List.of("image.isf.json.xz", "image.raw", "notepad.dmp", "notepad.dmp.truth.json",
                "pagefile.sys", "swapfile.sys", "truth.json"), List.copyOf(first.keySet()));
        assertEquals(first, second);

        Map<String, String> otherSeed = synthesize(win10, options.toBuilder().seed(12).build(), "other-seed");
        assertFalse(first.get("image.raw").equals(otherSeed.get("image.raw")));
        assertFalse(first.get("truth.json").equals(otherSeed.get("truth.json")));
    }

    @Test
    public void equalOptionsGiveEqualImagesOfAnOldBuild() throws IOException {
        Profile win7 = profile("windows.x64.7601.339E74133576439CBCDF7E0229DA3773-1");
        SynthOptions options = SynthOptions.builder().seed(3).windowsBuild(7601).sizeMib(256)
                .smear(SynthOptions.Smear.CYCLE).build();
        Path a = tmp.newFolder("win7-a").toPath();
        Path b = tmp.newFolder("win7-b").toPath();
        ImageSynthesizer.Output x = new ImageSynthesizer(win7, options).synthesize(a);
        ImageSynthesizer.Output y = new ImageSynthesizer(win7, options).synthesize(b);
        assertEquals(x.truth().processes().size(), y.truth().processes().size());
        assertArrayEquals(Files.readAllBytes(a.resolve("truth.json")), Files.readAllBytes(b.resolve("truth.json")));
        assertEquals(digests(a), digests(b));
    }

    @Test
    public void aStoreOnABuildWithoutOneIsRefused() throws IOException {
        Profile win7 = profile("windows.x64.7601.339E74133576439CBCDF7E0229DA3773-1");
        SynthOptions options = SynthOptions.builder().seed(3).windowsBuild(7601).sizeMib(256)
                .compressedStore(SynthOptions.CompressedStore.INTACT).build();
        Path dir = tmp.newFolder("refused").toPath();
        assertThrows(IllegalArgumentException.class, () -> new ImageSynthesizer(win7, options).synthesize(dir));
    }
}
