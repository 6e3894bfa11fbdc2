package org.vestige.plugin.codec.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.testing.JsonLines;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;

/** codec.carve on a real Windows 10 memory-compression store region, through the vestige command. */
public class CarveTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void carvesEveryPageOfARealStoreRegion() throws Exception {
        Path compressed = TestData.require("compression/memcompression/VADDUMP-segment-compressed.bin");
        byte[] decompressed = TestData.readAll("compression/memcompression/VADDUMP-segment-decompressed.bin");
        Path out = tmp.newFolder("out").toPath();
        Cli.Invocation o = Cli.capture(Extensions.fromPlatform(), "-q", "-o", out.toString(), "codec.carve", "--input",
                compressed.toString(), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        // the reference decompressor's 130 pages, plus 9 streams it stepped over (see XpressCarverTest)
        assertEquals(139, rows.size());
        assertEquals("0x0", rows.get(0).get("Offset").asText());
        assertEquals("0x3c0", rows.get(1).get("Offset").asText());
        // the first page equals the first page of the reference decompression
        byte[] first = Files.readAllBytes(out.resolve("VADDUMP-segment-compressed.bin.pages").resolve(
                "0000000000000000.page"));
        assertArrayEquals(Arrays.copyOf(decompressed, 4096), first);
        assertTrue(o.err(), o.err().contains("wrote "));
    }
}
