package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.vestige.plugin.windows.tests.DiscoveryCacheTest.IGNORED;
import static org.vestige.plugin.windows.tests.DiscoveryCacheTest.USED;
import static org.vestige.plugin.windows.tests.DiscoveryCacheTest.pslist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.FileIdentity;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * Case-cache discovery facts that no longer hold are ignored with the reason, discovery runs in full and finds
 * what an open without the cache finds: after the file changed, after a fact was edited (consistently with the
 * entry's own SHA-256, so only checking the fact against the image can catch it), with another image's facts
 * under this image's identity, and with a truncated or corrupted entry.
 */
public class DiscoveryCacheDamageTest {

    private static final int BUILD = 19041;
    private static final String PROFILE = "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1";
    private static final int OTHER_BUILD = 17763;
    private static final String OTHER_PROFILE = "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** @return a copy of the synthesized image in a folder of its own (the shared one is never touched) */
    private Path evidence(int seed) throws IOException {
        Path folder = tmp.newFolder().toPath();
        return Files.copy(SynthesizedImages.installed(PROFILE, SynthOptions.builder().seed(seed).windowsBuild(BUILD)
                .build()).image(), folder.resolve("memory.raw"));
    }

    @Test
    public void aChangedFileIsDiscoveredAgain() throws Exception {
        Path image = evidence(41);
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        Cli.Invocation first = pslist(image, caseFolder, "--no-hash");
        Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(image)
                .toMillis() - 60_000));
        Cli.Invocation second = pslist(image, caseFolder, "--no-hash");
        assertTrue(second.err(), second.err().contains("cache entry ignored, the file changed since it was recorded"));
        assertFalse(second.err(), second.err().contains(USED));
        assertEquals(first.out(), second.out());
        Cli.Invocation third = pslist(image, caseFolder, "--no-hash");
        assertTrue("the new discovery was recorded: " + third.err(), third.err().contains(USED));
    }

    @Test
    public void anEditedFactIsCheckedAndIgnored() throws Exception {
        Path image = evidence(41);
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        Cli.Invocation first = pslist(image, caseFolder, "--no-hash");
        CaseCache cache = CaseCache.at(caseFolder);
        CaseCache.Entry entry = cache.lookup(FileIdentity.of(image)).entry();

        // stored through the cache, so the entry's own SHA-256 agrees with the edited fact
        cache.store(entry.withFact("windows.dtb", "0x1000"));
        Cli.Invocation badDtb = pslist(image, caseFolder, "--no-hash");
        assertTrue(badDtb.err(), badDtb.err().contains(IGNORED + "the DTB 0x1000 no longer translates the kernel "
                + "base " + entry.facts().get("windows.kernelBase")));
        assertEquals(first.out(), badDtb.out());

        long base = Long.parseUnsignedLong(entry.facts().get("windows.kernelBase").substring(2), 16);
        cache.store(entry.withFact("windows.kernelBase", "0x" + Long.toHexString(base + 0x1000)));
        Cli.Invocation badBase = pslist(image, caseFolder, "--no-hash");
        assertTrue(badBase.err(), badBase.err().contains(IGNORED));
        assertFalse(badBase.err(), badBase.err().contains(USED));
        assertEquals(first.out(), badBase.out());

        cache.store(entry.withFact("windows.psActiveProcessHead", entry.facts().get("windows.kernelBase")));
        Cli.Invocation badHead = pslist(image, caseFolder, "--no-hash");
        assertTrue(badHead.err(), badHead.err().contains(IGNORED + "the process list at "));
        assertEquals(first.out(), badHead.out());
    }

    @Test
    public void anotherImagesFactsUnderThisImagesIdentityAreIgnored() throws Exception {
        Path image = evidence(41);
        Path other = Files.copy(SynthesizedImages.installed(OTHER_PROFILE, SynthOptions.builder().seed(41)
                .windowsBuild(OTHER_BUILD).build()).image(), tmp.newFolder().toPath().resolve("other.raw"));
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        Cli.Invocation first = pslist(image, caseFolder, "--no-hash");
        pslist(other, caseFolder, "--no-hash");
        CaseCache cache = CaseCache.at(caseFolder);
        CaseCache.Entry theirs = cache.lookup(FileIdentity.of(other)).entry();
        cache.store(new CaseCache.Entry(FileIdentity.of(image), null, null, theirs.facts()));

        Cli.Invocation second = pslist(image, caseFolder, "--no-hash");
        assertTrue(second.err(), second.err().contains(IGNORED));
        assertFalse(second.err(), second.err().contains(USED));
        assertEquals(first.out(), second.out());
    }

    @Test
    public void aDamagedEntryIsIgnoredAndWrittenAgain() throws Exception {
        Path image = evidence(41);
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        Cli.Invocation first = pslist(image, caseFolder, "--no-hash");
        Path entryFile = CaseCache.at(caseFolder).entryFile(image);
        byte[] whole = Files.readAllBytes(entryFile);

        Files.write(entryFile, java.util.Arrays.copyOf(whole, whole.length / 2));
        Cli.Invocation truncated = pslist(image, caseFolder, "--no-hash");
        assertTrue(truncated.err(), truncated.err().contains("cache entry ignored, its entry " + entryFile
                + " is damaged"));
        assertFalse(truncated.err(), truncated.err().contains(USED));
        assertEquals(first.out(), truncated.out());

        String edited = new String(whole, java.nio.charset.StandardCharsets.UTF_8).replace("\"windows.build\" : \""
                + BUILD + "\"", "\"windows.build\" : \"" + (BUILD + 1) + "\"");
        assertFalse("the edit changed the entry", edited.equals(new String(whole,
                java.nio.charset.StandardCharsets.UTF_8)));
        Files.writeString(entryFile, edited);
        Cli.Invocation corrupted = pslist(image, caseFolder, "--no-hash");
        assertTrue(corrupted.err(), corrupted.err().contains("its content does not match its SHA-256"));
        assertFalse(corrupted.err(), corrupted.err().contains(USED));
        assertEquals(first.out(), corrupted.out());

        Cli.Invocation again = pslist(image, caseFolder, "--no-hash");
        assertTrue(again.err(), again.err().contains(USED));
    }
}
