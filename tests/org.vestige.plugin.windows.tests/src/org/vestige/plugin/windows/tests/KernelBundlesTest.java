package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.IsfReader;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.windows.PdbIdentity;
import org.vestige.windows.ProfileMatcher;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The installed kernels: every one is chosen by its PDB identity alone; an image of one kernel per build
 * is discovered with no hints and no --symbols, with that kernel's profile, and its process list is the
 * truth's; without the exact kernel, the nearest revision of the build stands in and windows.info says so.
 * With {@code -Dvestige.allkernels=true} ({@code -Pall-kernels}) every real kernel of the reference
 * profiles is synthesized from its whole ISF and discovered the same way.
 */
public class KernelBundlesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final String REFERENCE_KERNELS = "isf-jpcert/windows/ntkrnlmp.pdb";

    private static List<ProfileDescriptor> kernels() {
        return Extensions.fromPlatform().profiles().stream().filter(d -> d.pdbGuid() != null && ProfileMatcher
                .describesKernel(d)).toList();
    }

    private static String key(ProfileDescriptor d) {
        return d.pdbGuid() + "-" + d.pdbAge();
    }

    @Test
    public void everyInstalledKernelIsChosenByItsIdentityAlone() {
        List<ProfileDescriptor> kernels = kernels();
        assertTrue("the shipped index lists " + kernels.size() + " kernels", kernels.size() >= 199);
        Set<String> identities = new HashSet<>();
        for (ProfileDescriptor d : kernels) {
            assertTrue("two installed kernels have PDB " + key(d), identities.add(d.pdbName() + "/" + key(d)));
            assertTrue(d.id() + " has no revision", d.revision() > 0);
            List<String> notes = new ArrayList<>();
            List<ProfileDescriptor> chosen = new ProfileMatcher(Extensions.fromPlatform().profiles()).forKernel(
                    new PdbIdentity(d.pdbName(), d.pdbGuid(), d.pdbAge()), d.build(), 0, notes);
            assertEquals(notes.toString(), d.id(), chosen.get(0).id());
            assertTrue(chosen.toString(), chosen.stream().skip(1).noneMatch(c -> c.pdbGuid() != null));
        }
        Map<Integer, Long> perBuild = kernels.stream().collect(Collectors.groupingBy(ProfileDescriptor::build,
                TreeMap::new, Collectors.counting()));
        for (ProfileDescriptor d : kernels) {
            assertEquals(d.id() + ": a build of several kernels stores their types once", perBuild.get(d.build()) > 1,
                    d.types() != null);
        }
    }

    @Test
    public void aKernelOfNoKnownIdentityOrBuildLoadsNoProfile() {
        ProfileMatcher matcher = new ProfileMatcher(Extensions.fromPlatform().profiles());
        List<String> notes = new ArrayList<>();
        // no kernel image found (random bytes, another system): nothing could rank a profile, so none is parsed
        assertEquals(List.of(), matcher.forKernel(null, 0, 0, notes));
        assertTrue(notes.toString(), notes.get(0).contains("no installed profile can be matched"));
        notes.clear();
        assertEquals(List.of(), matcher.forKernel(new PdbIdentity("ntkrnlmp.pdb", "0123456789ABCDEF0123456789ABCDEF",
                1), 9999, 0, notes));
        assertTrue(notes.toString(), notes.get(notes.size() - 1).contains("profiles.import"));
    }

    @Test
    public void oneKernelPerBuildIsDiscoveredWithItsOwnProfile() throws IOException {
        Map<Integer, ProfileDescriptor> newest = new TreeMap<>();
        for (ProfileDescriptor d : kernels()) {
            newest.merge(d.build(), d, (a, b) -> a.revision() >= b.revision() ? a : b);
        }
        assertTrue(newest.toString(), newest.size() >= 8);
        for (ProfileDescriptor d : newest.values()) {
            ImageSynthesizer.Output image = SynthesizedImages.installed(d.id(), SynthOptions.builder().seed(d.build())
                    .windowsBuild(d.build()).build());
            assertDiscovered(image, d);
        }
    }

    @Test
    public void withoutTheExactKernelTheNearestRevisionStandsIn() throws IOException {
        List<ProfileDescriptor> build = kernels().stream().filter(d -> d.build() == 19041).sorted(Comparator
                .comparingInt(ProfileDescriptor::revision)).toList();
        assertTrue(build.toString(), build.size() >= 2);
        ProfileDescriptor exact = build.get(build.size() / 2);
        ImageSynthesizer.Output image = SynthesizedImages.installed(exact.id(), SynthOptions.builder().seed(23)
                .windowsBuild(19041).build());
        Cli.Invocation pslist = run(image, "--exclude-profile", exact.id(), "windows.pslist", "-r", "json");
        assertEquals(WindowsAnalysesTest.truthSet(image.truth()), WindowsAnalysesTest.resultSet(JsonLines.parse(
                pslist.out())));
        // discovery runs again (not from the case cache's facts of the pslist run), so its rows are there
        Map<String, String> info = info(run(image, "--no-cache", "--exclude-profile", exact.id(), "windows.info", "-r",
                "json"));
        String profile = info.get("Profile");
        assertTrue(profile, profile.contains("build 19041") && !profile.contains(key(exact)));
        String substitution = info.get("Exact kernel profile");
        assertTrue(substitution, substitution.startsWith("not installed: no installed profile has PDB ntkrnlmp.pdb/"
                + key(exact)) && substitution.contains("nearest installed revision") && substitution.contains(
                        "profiles.import"));
        assertTrue(info.toString(), info.values().stream().anyMatch(v -> v.startsWith(
                "the exact kernel is not installed; the types come from the kernel of build 19041")));
        // the Discovery rows say how the process list head was found without the kernel's symbols
        assertTrue(info.toString(), info.entrySet().stream().anyMatch(e -> e.getKey().startsWith(
                "PsActiveProcessHead from ") && !e.getKey().contains("profile's symbols") && e.getValue().startsWith(
                        "found")));
    }

    @Test
    public void everyReferenceKernelIsDiscoveredWithItsOwnProfile() throws IOException {
        assumeTrue("set -Dvestige.allkernels=true (mvn verify -Pall-kernels) to synthesize every reference kernel",
                Boolean.getBoolean("vestige.allkernels"));
        Path folder = TestData.requireReferenceProfile(REFERENCE_KERNELS);
        Map<String, ProfileDescriptor> installed = new TreeMap<>();
        kernels().forEach(d -> installed.put(key(d) + ".json.xz", d));
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json.xz")).sorted().toList();
        }
        long started = System.nanoTime();
        for (Path f : files) {
            ProfileDescriptor d = installed.get(f.getFileName().toString());
            assertNotNull(f + " has no installed bundle", d);
            ImageSynthesizer.Output image = new ImageSynthesizer(IsfReader.read(f), SynthOptions.builder().seed(d
                    .revision()).windowsBuild(d.build()).build()).synthesize(tmp.newFolder().toPath());
            assertDiscovered(image, d);
        }
        System.out.printf("KernelBundlesTest: %d reference kernels discovered with their own profile in %d s%n",
                files.size(), (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static void assertDiscovered(ImageSynthesizer.Output image, ProfileDescriptor d) {
        Map<String, String> info = info(run(image, "windows.info", "-r", "json"));
        String profile = info.get("Profile");
        assertTrue(d.id() + ": " + profile, profile != null && profile.startsWith(d.contributor() + "/" + d.file())
                && profile.contains(key(d)));
        assertEquals(d.id(), "installed", info.get("Exact kernel profile"));
        Cli.Invocation pslist = run(image, "windows.pslist", "-r", "json");
        assertEquals(d.id(), WindowsAnalysesTest.truthSet(image.truth()), WindowsAnalysesTest.resultSet(JsonLines
                .parse(pslist.out())));
    }

    /** @return windows.info's properties and values, the nested rows' (notes, discovery steps) included */
    private static Map<String, String> info(Cli.Invocation o) {
        Map<String, String> rows = new TreeMap<>();
        JsonLines.parse(o.out()).forEach(r -> collect(r, rows));
        return rows;
    }

    private static void collect(JsonNode row, Map<String, String> into) {
        String property = row.path("Property").asText();
        String value = row.path("Value").asText();
        into.merge(property, value, (a, b) -> a + "\n" + b);
        into.put(property + "#" + into.size(), value);
        row.path("__children").forEach(c -> collect(c, into));
    }

    private static Cli.Invocation run(ImageSynthesizer.Output image, String... args) {
        List<String> all = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q"));
        all.addAll(List.of(args));
        Cli.Invocation o = WindowsAnalysesTest.vestige(all.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }
}
