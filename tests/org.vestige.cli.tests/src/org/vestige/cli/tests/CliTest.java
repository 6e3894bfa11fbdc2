package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.registry.Extensions;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs the vestige command inside the OSGi runtime, with every contributed bundle present. */
public class CliTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();


    static Cli.Invocation vestige(String... args) {
        return Cli.capture(Extensions.fromPlatform(), args);
    }

    @Test
    public void pluginsListsCoreAndThirdPartyPlugins() throws IOException {
        Cli.Invocation o = vestige("plugins", "-r", "json");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        List<String> ids = JsonLines.parse(o.out()).stream().map(n -> n.get("Plugin").asText()).toList();
        assertTrue(ids.toString(), ids.contains("evidence.info"));
        assertTrue(ids.toString(), ids.contains("example.entropy"));
        JsonNode example = JsonLines.parse(o.out()).stream().filter(n -> n.get("Plugin").asText().equals(
                "example.entropy"))
                .findFirst().orElseThrow();
        assertEquals("org.vestige.example.entropy", example.get("Bundle").asText());
        assertEquals("Examples", example.get("Category").asText());
    }

    @Test
    public void evidenceInfoReportsTheDigestsOfTheImageAndPagefiles() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        Files.write(image, data);
        Path pagefile = tmp.newFile("pagefile.sys").toPath();
        Files.write(pagefile, new byte[16384]);
        Cli.Invocation o = vestige("-f", image.toString(), "--pagefile", "0=" + pagefile, "evidence.info", "-r", "json",
                "-q");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(2, rows.size());
        JsonNode img = rows.get(0);
        assertEquals("image", img.get("Role").asText());
        assertEquals("raw", img.get("Format").asText());
        assertEquals(data.length, img.get("Size").asLong());
        assertEquals(digest("MD5", data), img.get("MD5").asText());
        assertEquals(digest("SHA-1", data), img.get("SHA1").asText());
        assertEquals(digest("SHA-256", data), img.get("SHA256").asText());
        boolean rawProbe = false;
        for (JsonNode child : img.get("__children")) {
            rawProbe |= child.get("Role").asText().equals("probe") && child.get("Detail").asText().contains(
                    "no signature");
        }
        assertTrue(img.toString(), rawProbe);
        JsonNode pf = rows.get(1);
        assertEquals("pagefile", pf.get("Role").asText());
        assertEquals(digest("SHA-256", new byte[16384]), pf.get("SHA256").asText());
        assertEquals("page-file number 0 (given)", pf.get("Detail").asText());
    }

    @Test
    public void globalOptionsMayFollowThePlugin() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        Files.write(image, new byte[4096]);
        Cli.Invocation o = vestige("evidence.info", "-f", image.toString(), "--no-hash", "-r", "csv", "--probes", "false");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        String[] lines = o.out().split("\r\n");
        assertEquals("Depth,Role,Name,Format,Confidence,Size,Modified,MD5,SHA1,SHA256,Hashed,Digests,Detail", lines[0]);
        assertTrue(lines[1], lines[1].contains(",[not hashed (--no-hash)],"));
        assertTrue(o.out(), o.out().chars().filter(c -> c == '\n').count() >= 2);
        assertTrue(o.out(), !o.out().contains(",probe,"));
    }

    @Test
    public void badEvidenceExitsWithCode3NamingTheFile() throws IOException {
        Path missing = tmp.getRoot().toPath().resolve("nope.raw");
        Cli.Invocation o = vestige("-f", missing.toString(), "evidence.info");
        assertEquals(ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains(missing + ": no such file"));
        Path empty = tmp.newFile("empty.raw").toPath();
        o = vestige("-f", empty.toString(), "evidence.info");
        assertEquals(ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains(empty + ": is empty (0 bytes)"));
        o = vestige("-f", tmp.getRoot().toString(), "evidence.info");
        assertEquals(ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains("is a directory"));
    }

    @Test
    public void unreadableEvidenceExitsWithCode3() throws IOException {
        Path locked = tmp.newFile("locked.raw").toPath();
        Files.write(locked, new byte[4096]);
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        org.junit.Assume.assumeTrue("running as root: permissions do not stop reads", !Files.isReadable(locked));
        Cli.Invocation o = vestige("-f", locked.toString(), "evidence.info");
        assertEquals(ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains(locked + ": cannot be read"));
    }

    @Test
    public void usageErrorsExitWithCode2AndSuggest() throws IOException {
        Path image = tmp.newFile("memory.raw").toPath();
        Files.write(image, new byte[4096]);
        Cli.Invocation o = vestige("-f", image.toString(), "evidence.inf");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("unknown plugin 'evidence.inf'; did you mean evidence.info?"));
        o = vestige("-f", image.toString(), "example.entropy", "--block-size", "big");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("--block-size: 'big' is not a valid integer"));
        o = vestige("-f", image.toString(), "-r", "xml", "evidence.info");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("unknown output format 'xml' (available: text, json, csv, bodyfile"));
        o = vestige("evidence.info");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertTrue(o.err(), o.err().contains("needs evidence"));
        o = vestige("--bogus");
        assertEquals(ExitCode.USAGE, o.exitCode());
        o = vestige();
        assertEquals(ExitCode.USAGE, o.exitCode());
    }

    @Test
    public void analysisFailuresExitWithCode4() throws IOException {
        Path image = tmp.newFile("memory.raw").toPath();
        Files.write(image, new byte[4096]);
        Cli.Invocation o = vestige("-f", image.toString(), "-q", "example.entropy", "--block-size", "1000");
        assertEquals(ExitCode.ANALYSIS, o.exitCode());
        assertTrue(o.err(), o.err().contains("example.entropy failed: --block-size must be a positive multiple of 4096"));
    }

    @Test
    public void theThirdPartyPluginRunsOnRealBytes() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[8 * 4096];
        new Random(3).nextBytes(data);
        java.util.Arrays.fill(data, 0, 4 * 4096, (byte) 0);
        Files.write(image, data);
        Cli.Invocation o = vestige("-f", image.toString(), "--no-hash", "-r", "json", "example.entropy", "--block-size",
                "16384");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(2, rows.size());
        assertEquals(0, rows.get(0).get("Entropy (mbit/byte)").asLong());
        assertTrue(rows.get(1).toString(), rows.get(1).get("Entropy (mbit/byte)").asLong() > 7980);
        assertEquals("0x4000", rows.get(1).get("Start").asText());
    }

    @Test
    public void helpDescribesAPluginFromItsDeclaration() {
        Cli.Invocation o = vestige("help", "example.entropy");
        assertEquals(ExitCode.OK, o.exitCode());
        assertTrue(o.out(), o.out().startsWith("example.entropy — Entropy map\n"));
        assertTrue(o.out(), o.out().contains("--block-size"));
        assertTrue(o.out(), o.out().contains("(default: 1048576)"));
        assertTrue(o.out(), o.out().contains("Requires: evidence"));
    }

    @Test
    public void anUnusablePagefileIsAnEvidenceError() throws IOException {
        Path image = tmp.newFile("memory.raw").toPath();
        Files.write(image, new byte[4096]);
        Path missing = tmp.getRoot().toPath().resolve("pagefile.sys");
        Cli.Invocation o = vestige("-f", image.toString(), "--no-hash", "-q", "--pagefile", missing.toString(),
                "evidence.info", "-r", "json");
        assertEquals(o.err(), ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains("evidence error: " + missing + ": no such file"));
        Path empty = tmp.newFile("swapfile.sys").toPath();
        o = vestige("-f", image.toString(), "--no-hash", "-q", "--pagefile", "1=" + empty, "evidence.info");
        assertEquals(o.err(), ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains(empty + ": is empty (0 bytes)"));
    }

    @Test
    public void aCancelledRunStopsTheAnalysisAndExitsWithCode130() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        Files.write(image, new byte[64 * 4096]);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Cli cli = new Cli(Extensions.fromPlatform(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(cli.awaitFinished(0, TimeUnit.SECONDS));
        // what the launcher's shutdown hook does on Ctrl-C; before the run, so the outcome is certain
        cli.cancel();
        int code = cli.run(new String[] {"-f", image.toString(), "--no-hash", "-q", "example.entropy",
            "--block-size", "4096"});
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(stderr, ExitCode.CANCELLED, code);
        assertTrue(stderr, stderr.contains("vestige: example.entropy cancelled"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(cli.awaitFinished(0, TimeUnit.SECONDS));
    }

    private static String digest(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }
}
