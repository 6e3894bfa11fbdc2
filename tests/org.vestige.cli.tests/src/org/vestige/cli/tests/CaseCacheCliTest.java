package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.Digests;
import org.vestige.core.evidence.FileIdentity;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code --case}, {@code --no-cache} and {@code evidence.verify} against the digests the case cache recorded. */
public class CaseCacheCliTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path image;
    private Path caseFolder;

    @Before
    public void setUp() throws Exception {
        image = tmp.newFolder("evidence").toPath().resolve("memory.raw");
        byte[] data = new byte[2 << 20];
        new Random(3).nextBytes(data);
        Files.write(image, data);
        caseFolder = tmp.getRoot().toPath().resolve("case-42");
    }

    @Test
    public void theSecondRunReportsTheDigestsOfTheFirst() throws Exception {
        Cli.Invocation first = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q", "-r",
                "json", "evidence.info", "--probes", "false");
        assertEquals(first.err(), ExitCode.OK, first.exitCode());
        JsonNode one = JsonLines.parse(first.out()).get(0);
        assertEquals("computed on open", one.get("Digests").asText());
        assertFalse(first.err(), first.err().contains("case cache"));

        Cli.Invocation second = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q", "-r",
                "json", "evidence.info", "--probes", "false");
        assertEquals(second.err(), ExitCode.OK, second.exitCode());
        JsonNode two = JsonLines.parse(second.out()).get(0);
        assertEquals("case cache", two.get("Digests").asText());
        assertEquals(one.get("SHA256").asText(), two.get("SHA256").asText());
        assertEquals(one.get("Hashed").asText(), two.get("Hashed").asText());
        assertTrue(second.err(), second.err().contains("vestige: case cache: memory.raw: digests taken at "));
    }

    @Test
    public void theEvidenceIsHashedWhileTheAnalysisRunsAndReusedNextTime() throws Exception {
        Cli.Invocation first = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q",
                "example.entropy");
        assertEquals(first.err(), ExitCode.OK, first.exitCode());
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(image)));
        assertTrue(first.err(), first.err().contains("vestige: memory.raw hashed while the analysis ran: MD5 "
                + md5 + ", SHA-1 "));
        Cli.Invocation second = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q",
                "example.entropy");
        assertEquals(second.err(), ExitCode.OK, second.exitCode());
        assertEquals(first.out(), second.out());
        assertFalse(second.err(), second.err().contains("hashed while"));
        assertTrue(second.err(), second.err().contains("vestige: case cache: memory.raw: digests taken at "));
    }

    @Test
    public void noCacheNeitherReadsNorWrites() throws Exception {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "--no-cache", "-q",
                "evidence.info");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertFalse(Files.exists(caseFolder));
    }

    @Test
    public void theEvidencesOwnFolderIsRefusedAsTheCaseFolder() {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--case", image.getParent().toString(), "-q",
                "evidence.info");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("is the evidence's own folder"));
    }

    @Test
    public void verifyRecomputesTheRecordedDigestsAndFailsOnAMismatch() throws Exception {
        Cli.Invocation hashed = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q",
                "evidence.verify", "-r", "json");
        assertEquals(hashed.err(), ExitCode.OK, hashed.exitCode());
        List<JsonNode> rows = JsonLines.parse(hashed.out());
        assertEquals(3, rows.stream().filter(r -> r.get("Status").asText().equals("match")).count());
        assertTrue(rows.toString(), rows.get(0).get("Hash").asText().contains("when the case opened it"));

        // an entry for the file as it is now, but with the digests of other bytes: what a tampered file whose
        // times were set back would look like
        CaseCache cache = CaseCache.at(caseFolder);
        Instant taken = Instant.parse("2026-01-02T03:04:05Z");
        Digests other = new Digests("0".repeat(32), rows.get(1).get("Stored").asText(), "f".repeat(64));
        cache.store(new CaseCache.Entry(FileIdentity.of(image), other, taken, Map.of()));
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--case", caseFolder.toString(), "-q",
                "evidence.verify", "-r", "json");
        assertEquals(o.err(), ExitCode.INTEGRITY, o.exitCode());
        rows = JsonLines.parse(o.out());
        assertEquals(List.of("mismatch", "match", "mismatch"), rows.stream().map(r -> r.get("Status").asText())
                .toList());
        assertTrue(rows.toString(), rows.get(0).get("Hash").asText().contains("on an earlier open, at " + taken));
        assertTrue(o.err(), o.err().contains("evidence.verify: the evidence failed its integrity check"));
    }

    @Test
    public void verifyWithoutRecordedDigestsSaysSo() {
        Cli.Invocation o = CliTest.vestige("-f", image.toString(), "--no-cache", "--no-hash", "-q", "evidence.verify",
                "-r", "json");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        JsonNode row = JsonLines.parse(o.out()).get(0);
        assertEquals("not checked", row.get("Status").asText());
        assertTrue(row.toString(), row.get("Detail").asText().contains("no digests in the case cache"));
    }
}
