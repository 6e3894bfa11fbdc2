package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;

/**
 * {@code -r sqlite -o FILE}: several analyses and the case in one new database, read back with Debian's
 * {@code sqlite3} (installed by {@code scripts/install-deps.sh}); and the ways the command refuses to write one.
 */
public class CaseDatabaseTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path image;

    @Before
    public void setUp() throws Exception {
        image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[2 << 20];
        new Random(12).nextBytes(data);
        Files.write(image, data);
    }

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

    @Test
    public void theAnalysesTheirDiagnosticsAndTheHashedEvidenceGoIntoOneDatabase() throws Exception {
        Path db = tmp.getRoot().toPath().resolve("out").resolve("case.db");
        Files.createDirectories(db.getParent());
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
