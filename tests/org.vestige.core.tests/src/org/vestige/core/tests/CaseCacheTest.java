package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.FileIdentity;
import org.vestige.core.evidence.PagefileSpec;

/**
 * The case cache: digests recorded on a first open equal coreutils', are reused while the file is unchanged, and
 * are ignored, with the reason, after the file or the entry changes; nothing is written beside the evidence.
 */
public class CaseCacheTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path evidenceFolder;
    private Path image;
    private CaseCache cache;

    @Before
    public void setUp() throws IOException {
        evidenceFolder = tmp.newFolder("evidence").toPath();
        image = evidenceFolder.resolve("image.bin");
        byte[] bytes = new byte[(3 << 20) + 123];
        new Random(7).nextBytes(bytes);
        System.arraycopy("TEST".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        Files.write(image, bytes);
        cache = CaseCache.at(tmp.newFolder("cache").toPath());
    }

    private EvidenceCase open(boolean hash, CaseCache with) throws Exception {
        return EvidenceCase.open(image, List.of(), List.of(EvidenceCaseTest.handle("test",
                new EvidenceCaseTest.TestFormat())), EvidenceCase.Options.defaults().withHash(hash).withCache(with),
                new NullProgressMonitor());
    }

    private EvidenceRecord openAndRecord(boolean hash) throws Exception {
        try (EvidenceCase c = open(hash, cache)) {
            return c.image();
        }
    }

    private List<String> notes(boolean hash) throws Exception {
        try (EvidenceCase c = open(hash, cache)) {
            return c.cacheNotes();
        }
    }

    @Test
    public void firstOpenRecordsTheDigestsCoreutilsComputes() throws Exception {
        EvidenceRecord first = openAndRecord(true);
        assertFalse(first.fromCache());
        assertEquals(coreutils("md5sum", image), first.digests().md5());
        assertEquals(coreutils("sha1sum", image), first.digests().sha1());
        assertEquals(coreutils("sha256sum", image), first.digests().sha256());
        assertTrue(Files.isRegularFile(cache.entryFile(image)));
        CaseCache.Lookup found = cache.lookup(FileIdentity.of(image));
        assertTrue(found.found());
        assertEquals(first.digests(), found.entry().digests());
        assertEquals(first.hashedAt(), found.entry().hashedAt());
    }

    @Test
    public void secondOpenReusesTheDigestsAndSaysWhenTheyWereTaken() throws Exception {
        EvidenceRecord first = openAndRecord(true);
        EvidenceRecord second;
        List<String> notes;
        try (EvidenceCase c = open(true, cache)) {
            second = c.image();
            notes = c.cacheNotes();
        }
        assertTrue(second.fromCache());
        assertEquals(first.digests(), second.digests());
        assertEquals(first.hashedAt(), second.hashedAt());
        assertTrue(second.openedAt().isAfter(second.hashedAt()) || second.openedAt().equals(second.hashedAt()));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0), notes.get(0).contains("digests taken at " + first.hashedAt() + " reused"));
        assertTrue(second.digestOrigin(), second.digestOrigin().contains("case cache"));
        // without hashing, digests recorded earlier are still reported
        EvidenceRecord unhashed = openAndRecord(false);
        assertTrue(unhashed.fromCache());
        assertEquals(first.digests(), unhashed.digests());
    }

    @Test
    public void aFileThatGrewIsHashedAgainAndTheReasonNamed() throws Exception {
        EvidenceRecord first = openAndRecord(true);
        Files.write(image, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        List<String> notes = notes(true);
        assertEquals(notes.toString(), 1, notes.size());
        assertTrue(notes.get(0), notes.get(0).contains("cache entry ignored, the file changed since it was recorded"));
        assertTrue(notes.get(0), notes.get(0).contains("its size changed from " + first.size() + " to "
                + (first.size() + 3) + " bytes"));
        EvidenceRecord again = openAndRecord(true);
        assertTrue("the new digests were recorded", again.fromCache());
        assertEquals(coreutils("sha256sum", image), again.digests().sha256());
    }

    @Test
    public void aRewriteThatKeepsSizeAndModifyTimeIsCaughtByTheChangeTime() throws Exception {
        assumeChangeTimes();
        EvidenceRecord first = openAndRecord(true);
        FileTime modified = Files.getLastModifiedTime(image);
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 2] ^= 0x5a;
        TimeUnit.MILLISECONDS.sleep(20);
        Files.write(image, bytes);
        Files.setLastModifiedTime(image, modified);
        List<String> notes = notes(true);
        assertTrue(notes.toString(), notes.get(0).contains("its change time moved"));
        assertFalse(notes.toString(), notes.get(0).contains("size"));
        EvidenceRecord again = openAndRecord(true);
        assertFalse(first.digests().equals(again.digests()));
        assertEquals(coreutils("md5sum", image), again.digests().md5());
    }

    @Test
    public void aDamagedOrTruncatedEntryIsIgnoredWithTheReasonAndRewritten() throws Exception {
        EvidenceRecord first = openAndRecord(true);
        Path entry = cache.entryFile(image);
        String text = Files.readString(entry);
        Files.writeString(entry, text.replace(first.digests().md5(), "0".repeat(32)));
        List<String> notes = notes(true);
        assertTrue(notes.toString(), notes.get(0).contains("is damaged (its content does not match its SHA-256)"));
        EvidenceRecord rehashed = openAndRecord(false);
        assertTrue("the open that ignored the entry recorded fresh digests", rehashed.fromCache());
        assertEquals(first.digests(), rehashed.digests());

        Files.writeString(entry, Files.readString(entry).substring(0, 100));
        notes = notes(false);
        assertTrue(notes.toString(), notes.get(0).contains("is damaged"));
        EvidenceRecord unhashed = openAndRecord(false);
        assertNull("a truncated entry gives no digests", unhashed.digests());
    }

    @Test
    public void nothingIsWrittenBesideTheEvidence() throws Exception {
        List<Path> before = listing(evidenceFolder);
        openAndRecord(true);
        openAndRecord(true);
        assertEquals(before, listing(evidenceFolder));
        // a cache in the evidence's own folder is refused, and the open goes on
        CaseCache beside = CaseCache.at(evidenceFolder);
        try (EvidenceCase c = open(true, beside)) {
            assertNotNull(c.image().digests());
            assertTrue(c.cacheNotes().toString(), c.cacheNotes().get(0).contains("is the evidence's own folder"));
        }
        assertEquals(before, listing(evidenceFolder));
    }

    @Test
    public void pagingFilesAreRecordedLikeTheImage() throws Exception {
        Path pagefile = evidenceFolder.resolve("pagefile.sys");
        Files.write(pagefile, new byte[8192]);
        for (int run = 0; run < 2; run++) {
            try (EvidenceCase c = EvidenceCase.open(image, List.of(PagefileSpec.parse("0=" + pagefile)), List.of(
                    EvidenceCaseTest.handle("test", new EvidenceCaseTest.TestFormat())), EvidenceCase.Options
                            .defaults().withCache(cache), new NullProgressMonitor())) {
                EvidenceRecord r = c.pagefiles().get(0).record();
                assertEquals(run == 1, r.fromCache());
                assertEquals(coreutils("sha1sum", pagefile), r.digests().sha1());
            }
        }
    }

    @Test
    public void digestsHashedWhileAnalysingAreCollectedRecordedAndReused() throws Exception {
        EvidenceCase.Options background = EvidenceCase.Options.defaults().withCache(cache).withHashWhileAnalysing(
                true);
        List<EvidenceRecord> hashed;
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), List.of(EvidenceCaseTest.handle("test",
                new EvidenceCaseTest.TestFormat())), background, new NullProgressMonitor())) {
            assertTrue(c.digestsPending());
            byte[] head = new byte[4];
            assertEquals("the case reads while it hashes", 4, c.physical().read(0, head, 0, 4));
            hashed = c.awaitDigests(new NullProgressMonitor());
            assertFalse(c.digestsPending());
            assertEquals(1, hashed.size());
            assertEquals(hashed.get(0), c.image());
            assertTrue(c.awaitDigests(new NullProgressMonitor()).isEmpty());
        }
        assertEquals(coreutils("sha256sum", image), hashed.get(0).digests().sha256());
        assertEquals(coreutils("md5sum", image), hashed.get(0).digests().md5());
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), List.of(EvidenceCaseTest.handle("test",
                new EvidenceCaseTest.TestFormat())), background, new NullProgressMonitor())) {
            assertFalse("the digests recorded in the background are reused", c.digestsPending());
            assertTrue(c.image().fromCache());
            assertEquals(hashed.get(0).digests(), c.image().digests());
        }
    }

    @Test
    public void aCaseClosedWhileHashingRecordsNothing() throws Exception {
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), List.of(EvidenceCaseTest.handle("test",
                new EvidenceCaseTest.TestFormat())), EvidenceCase.Options.defaults().withCache(cache)
                        .withHashWhileAnalysing(true), new NullProgressMonitor())) {
            assertTrue(c.digestsPending());
        }
        assertFalse(cache.lookup(FileIdentity.of(image)).found());
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.sorted().toList();
        }
    }

    private void assumeChangeTimes() throws IOException {
        org.junit.Assume.assumeTrue("the file system reports no change time", FileIdentity.of(image).changed()
                != null);
    }

    private static String coreutils(String tool, Path file) throws Exception {
        Process p = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 0, p.waitFor());
        return out.substring(0, out.indexOf(' '));
    }
}
