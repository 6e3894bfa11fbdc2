package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.FileIdentity;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * The case cache's discovery facts: the first open of an image records what kernel discovery found, the second
 * open of the unchanged image checks those facts against it and skips discovery, and its results equal those of
 * an open without the cache, on every synthesized build. Nothing is written beside the evidence.
 * {@link DiscoveryCacheDamageTest} covers facts that no longer hold.
 */
@RunWith(Parameterized.class)
public class DiscoveryCacheTest {

    static final String USED = "kernel discovery facts from the case cache, checked against the image";
    static final String IGNORED = "kernel discovery facts in the case cache ignored, ";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final String profileId;

    public DiscoveryCacheTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
    }

    private ImageSynthesizer.Output synthesized(int seed) {
        return SynthesizedImages.installed(profileId, SynthOptions.builder().seed(seed).windowsBuild(build).build());
    }

    /** @return a copy of the synthesized image in a folder of its own (the shared one is never touched) */
    private Path evidence(int seed) throws IOException {
        Path folder = tmp.newFolder().toPath();
        return Files.copy(synthesized(seed).image(), folder.resolve("memory.raw"));
    }

    static Cli.Invocation pslist(Path image, Path caseFolder, String... more) {
        // without -q: the note that the cached facts were used is shown only then
        List<String> args = new ArrayList<>(List.of("-f", image.toString(), "--case", caseFolder.toString()));
        args.addAll(List.of(more));
        args.addAll(List.of("windows.pslist", "-r", "json"));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        return o;
    }

    @Test
    public void theSecondOpenUsesTheFactsAndFindsTheSame() throws Exception {
        Path image = evidence(41);
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        List<Path> besideBefore = listing(image.getParent());

        Cli.Invocation first = pslist(image, caseFolder);
        assertFalse(first.err(), first.err().contains("kernel discovery facts"));
        CaseCache.Entry entry = CaseCache.at(caseFolder).lookup(FileIdentity.of(image)).entry();
        assertNotNull("the first open records an entry", entry);
        assertNotNull("the digests taken while pslist ran are kept with the facts", entry.digests());
        assertTrue(entry.facts().toString(), entry.facts().get("windows.dtb").startsWith("0x"));
        assertEquals(Integer.toString(build), entry.facts().get("windows.build"));
        assertEquals(profileId, entry.facts().get("windows.profile"));

        // an image without a compression store (Windows 10 on): that SmGlobals is not there is remembered too
        String smGlobals = entry.facts().get("compressed.smGlobals");
        assertEquals(entry.facts().toString(), build >= 10240, smGlobals != null);

        Cli.Invocation second = pslist(image, caseFolder);
        assertTrue(second.err(), second.err().contains("vestige: case cache: memory.raw: " + USED));
        assertEquals(first.out(), second.out());
        Cli.Invocation uncached = WindowsAnalysesTest.vestige("-f", image.toString(), "--no-cache", "--no-hash", "-q",
                "windows.pslist", "-r", "json");
        assertEquals(first.out(), uncached.out());
        assertFalse(uncached.err(), uncached.err().contains("case cache"));

        Cli.Invocation info = WindowsAnalysesTest.vestige("-f", image.toString(), "--case", caseFolder.toString(),
                "-q", "windows.info", "-r", "json");
        assertTrue(info.out(), info.out().contains("facts recorded on an earlier open of this unchanged file"));
        // and the store's absence is taken from the cache, not found again by a scan of the kernel image
        assertEquals(info.out(), smGlobals != null && smGlobals.startsWith("none with "), info.out().contains(
                "as found on an earlier open of this unchanged image, recorded in the case cache"));
        // a paging file given now may hold what the search could not read: it searches again
        Cli.Invocation withPagefile = WindowsAnalysesTest.vestige("-f", image.toString(), "--pagefile",
                synthesized(41).pagefile().toString(), "--case", caseFolder.toString(), "-q", "windows.info", "-r",
                "json");
        assertFalse(withPagefile.out(), withPagefile.out().contains("as found on an earlier open of this unchanged "
                + "image, recorded in the case cache"));
        assertEquals("nothing is written beside the evidence", besideBefore, listing(image.getParent()));
    }

    static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
