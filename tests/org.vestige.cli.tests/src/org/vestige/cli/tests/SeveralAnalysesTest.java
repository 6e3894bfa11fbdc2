package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Several analyses in one command: one case, each result headed or saved or written into one case database, the
 * most serious exit code.
 */
public class SeveralAnalysesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path image;

    @Before
    public void setUp() throws Exception {
        image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[2 << 20];
        new Random(11).nextBytes(data);
        Files.write(image, data);
    }

    @Test
    public void textResultsAreHeadedAndTheCaseIsOpenedAndHashedOnce() {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "-q", "evidence.info", "--probes",
                "false", "example.entropy", "--block-size", "1048576");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        int info = o.out().indexOf("== evidence.info ==");
        int entropy = o.out().indexOf("== example.entropy ==");
        assertTrue(o.out(), info == 0 && entropy > info);
        assertTrue(o.out(), o.out().substring(info, entropy).contains("memory.raw"));
        // evidence.info waited for the digests; nothing was left to hash after it
        assertFalse(o.err(), o.err().contains("hashed while"));
        assertEquals(2, o.out().substring(entropy).lines().filter(l -> l.startsWith("0x")).count());
    }

    @Test
    public void jsonOfSeveralAnalysesNeedsSave() {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "-q", "-r", "json", "evidence.info",
                "example.entropy");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("2 analyses would write json to one stream; give --save"));
    }

    @Test
    public void saveWritesEachResultUnderTheOutputFolder() throws Exception {
        Path out = tmp.newFolder("out").toPath();
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "--no-hash", "-q", "-o", out
                .toString(), "-r", "json", "--save", "evidence.info", "--probes", "false", "example.entropy");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertEquals("", o.out());
        List<JsonNode> info = JsonLines.parse(Files.readString(out.resolve("evidence.info.jsonl")));
        assertEquals("image", info.get(0).get("Role").asText());
        List<JsonNode> entropy = JsonLines.parse(Files.readString(out.resolve("example.entropy.jsonl")));
        assertEquals(2, entropy.size());
        assertTrue(o.err(), o.err().contains("example.entropy.jsonl (") && o.err().contains(
                "example.entropy result (json)"));
    }

    @Test
    public void aFailingAnalysisDoesNotStopTheOthersAndSetsTheExitCode() {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "--no-hash", "-q", "windows.pslist",
                "example.entropy");
        assertEquals(o.err(), ExitCode.ANALYSIS, o.exitCode());
        assertTrue(o.err(), o.err().contains("windows.pslist failed"));
        assertTrue(o.out(), o.out().contains("== example.entropy =="));
        assertEquals(2, o.out().lines().filter(l -> l.startsWith("0x")).count());
    }

    @Test
    public void theMostSeriousExitCodeWins() {
        assertEquals(ExitCode.INTEGRITY, ExitCode.moreSerious(ExitCode.ANALYSIS, ExitCode.INTEGRITY));
        assertEquals(ExitCode.ANALYSIS, ExitCode.moreSerious(ExitCode.OK, ExitCode.ANALYSIS));
        assertEquals(ExitCode.EVIDENCE, ExitCode.moreSerious(ExitCode.EVIDENCE, ExitCode.USAGE));
        assertEquals(ExitCode.CANCELLED, ExitCode.moreSerious(ExitCode.INTEGRITY, ExitCode.CANCELLED));
        assertEquals(ExitCode.OK, ExitCode.moreSerious(ExitCode.OK, ExitCode.OK));
    }

    /** @return what Debian's sqlite3 (installed by scripts/install-deps.sh) answers to a query */
    static String sqlite(Path db, String sql) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("sqlite3 is not installed: run scripts/install-deps.sh", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
        return out.strip();
    }

    /** {@code -r sqlite -o FILE}: the analyses and the case in one new database, read back with Debian's sqlite3. */
    @Test
    public void theAnalysesTheirDiagnosticsAndTheHashedEvidenceGoIntoOneDatabase() throws Exception {
        // the database's folder is made on demand
        Path db = tmp.getRoot().toPath().resolve("out").resolve("case.db");
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "-q", "-r", "sqlite", "-o", db
                .toString(), "evidence.info", "--probes", "false", "example.entropy", "--block-size", "1048576");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertEquals("", o.out());
        assertEquals("evidence.info|evidence_info\nexample.entropy|example_entropy", sqlite(db,
                "SELECT plugin, result_table FROM analyses ORDER BY id"));
        assertEquals("2", sqlite(db, "SELECT count(*) FROM example_entropy"));
        assertEquals("address", sqlite(db, "SELECT type FROM result_columns WHERE result_table = 'example_entropy' "
                + "AND position = 0"));
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files
                .readAllBytes(image)));
        assertEquals("image|" + image.toAbsolutePath() + "|" + Files.size(image) + "|" + sha256, sqlite(db,
                "SELECT role, path, size, sha256 FROM evidence"));
        assertTrue(sqlite(db, "SELECT value FROM case_facts WHERE name = 'command'").contains("-r sqlite"));
        assertEquals("raw", sqlite(db, "SELECT value FROM case_facts WHERE name = 'evidence format'"));
    }

    @Test
    public void theDatabaseMustBeANewFileInAWritableFolder() throws Exception {
        Cli.Invocation folder = CliTest.vestige("-f", image.toString(), "--no-cache", "-q", "-r", "sqlite", "-o", tmp
                .getRoot().toString(), "evidence.info");
        assertEquals(ExitCode.USAGE, folder.exitCode());
        assertTrue(folder.err(), folder.err().contains("is a folder; sqlite writes one file: give its name, e.g. -o "
                + "case.db"));
        Path existing = tmp.newFile("existing.db").toPath();
        Cli.Invocation exists = CliTest.vestige("-f", image.toString(), "--no-cache", "-q", "-r", "sqlite", "-o",
                existing.toString(), "evidence.info");
        assertEquals(ExitCode.USAGE, exists.exitCode());
        assertTrue(exists.err(), exists.err().contains("exists; sqlite writes a new file and never overwrites one"));
        assertEquals(0, Files.size(existing));
        Cli.Invocation listing = CliTest.vestige("plugins", "-r", "sqlite");
        assertEquals(ExitCode.USAGE, listing.exitCode());
        assertTrue(listing.err(), listing.err().contains("-r sqlite writes a case file"));
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("case.db")));
    }
}
