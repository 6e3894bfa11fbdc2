package org.vestige.plugin.aff4.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.testing.JsonLines;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;

/** evidence.verify, aff4.export and aff4.convert through the vestige command. */
public class Aff4AnalysesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();


    static Cli.Invocation vestige(String... args) {
        return Cli.capture(Extensions.fromPlatform(), args);
    }

    @Test
    public void theReferenceVolumeVerifiesEveryHashItStores() throws IOException {
        Path volume = TestData.require("aff4/Base-Linear-AllHashes.aff4");
        Cli.Invocation o = vestige("-f", volume.toString(), "--no-hash", "-q", "evidence.verify", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        long matches = JsonLines.parse(o.out()).stream().filter(r -> r.get("Status").asText().equals("match")).count();
        assertTrue(o.out(), matches >= 5);
        assertFalse(o.out(), o.out().contains("\"mismatch\""));
        for (String algorithm : List.of("MD5", "SHA1", "SHA256", "SHA512", "Blake2b")) {
            assertTrue(algorithm, JsonLines.parse(o.out()).stream().anyMatch(r -> r.get("Status").asText().equals("match") && r.get(
                    "Algorithm").asText().replace("-", "").equalsIgnoreCase(algorithm)));
        }
    }

    @Test
    public void convertThenReadBackByteForByteWithThePagefileWired() throws Exception {
        Path raw = tmp.newFile("memory.raw").toPath();
        byte[] memory = new byte[6 << 20];
        Random r = new Random(5);
        for (int i = 0; i < memory.length; i += 4096) {
            if ((i / 4096) % 3 != 0) {
                byte[] page = new byte[4096];
                r.nextBytes(page);
                System.arraycopy(page, 0, memory, i, 2048); // half random, half zero: compressible
            }
        }
        Files.write(raw, memory);
        Path pagefile = tmp.newFile("pagefile.sys").toPath();
        byte[] pages = new byte[1 << 20];
        r.nextBytes(pages);
        Files.write(pagefile, pages);
        Path out = tmp.newFolder("out").toPath();
        for (String codec : List.of("snappy", "lz4", "deflate", "zlib", "stored")) {
            String name = codec + ".aff4";
            Cli.Invocation c = vestige("-f", raw.toString(), "--pagefile", "0=" + pagefile, "-o", out.toString(), "-q",
                    "aff4.convert", "--codec", codec, "--name", name);
            assertEquals(codec + ": " + c.err(), 0, c.exitCode());
            assertTrue(c.err(), c.err().contains("wrote " + out.resolve(name)));

            Cli.Invocation info = vestige("-f", out.resolve(name).toString(), "-q", "evidence.info", "-r", "json");
            assertEquals(info.err(), 0, info.exitCode());
            assertEquals("aff4", JsonLines.parse(info.out()).get(0).get("Format").asText());
            JsonNode pf = JsonLines.parse(info.out()).get(1);
            assertEquals("pagefile (in evidence)", pf.get("Role").asText());
            assertEquals("page-file number 0", pf.get("Detail").asText());

            Path exported = tmp.newFolder("export-" + codec).toPath();
            Cli.Invocation e = vestige("-f", out.resolve(name).toString(), "--no-hash", "-q", "-o", exported.toString(),
                    "aff4.export", "--name", "back.raw");
            assertEquals(e.err(), 0, e.exitCode());
            assertEquals(sha256(memory), sha256(Files.readAllBytes(exported.resolve("back.raw"))));
            assertTrue(e.err(), e.err().contains("sha256 " + sha256(memory)));
            Cli.Invocation p = vestige("-f", out.resolve(name).toString(), "--no-hash", "-q", "-o", exported.toString(),
                    "aff4.export", "--stream", "pagefile 0", "--name", "pagefile.sys");
            assertEquals(p.err(), 0, p.exitCode());
            assertEquals(sha256(pages), sha256(Files.readAllBytes(exported.resolve("pagefile.sys"))));
        }
    }

    @Test
    public void exportListsWhatTheMapLeavesOut() throws IOException {
        Path micro7 = TestData.require("aff4/Micro7.001.aff4");
        Path out = tmp.newFolder("micro7").toPath();
        Cli.Invocation o = vestige("-f", micro7.toString(), "--no-hash", "-q", "-o", out.toString(), "aff4.export", "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode stream = JsonLines.parse(o.out()).get(0);
        assertEquals(262144, stream.get("Length").asLong());
        assertTrue(o.out(), stream.has("__children"));
        for (JsonNode gap : stream.get("__children")) {
            assertTrue(gap.toString(), gap.get("Detail").asText().startsWith("unavailable: "));
        }
        assertEquals(262144, Files.size(out.resolve("Micro7.001.raw")));
    }

    @Test
    public void unknownStreamsAreNamed() throws IOException {
        Path raw = tmp.newFile("small.raw").toPath();
        Files.write(raw, new byte[1 << 20]);
        Path volume = tmp.getRoot().toPath().resolve("small.aff4");
        Cli.Invocation c = vestige("-f", raw.toString(), "-q", "-o", tmp.getRoot().toString(), "aff4.convert", "--name",
                "small.aff4");
        assertEquals(c.err(), 0, c.exitCode());
        Cli.Invocation o = vestige("-f", volume.toString(), "--no-hash", "-q", "-o", tmp.getRoot().toString(), "aff4.export",
                "--stream", "pagefile 3");
        assertEquals(4, o.exitCode());
        assertTrue(o.err(), o.err().contains("no stream 'pagefile 3'"));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
