package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.tukaani.xz.XZInputStream;
import org.vestige.cli.Cli;
import org.vestige.core.types.IsfReader;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code windows.handles} on build 26100 with a profile that has no symbols at all, as the partial
 * 26100 profile has none: the object-manager structures the partial profile lacks are taken from the
 * 22000 profile, so the synthesizer lays handle tables out and the reader must find ObTypeIndexTable by
 * its shape and derive the header cookie from the type objects. The whole result is compared with the
 * truth.
 */
public class HandlesWithoutSymbolsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final String PARTIAL_26100 = "isf-partial/win11_x64_26100_partial.json.xz";
    private static final String FULL_22000 = "isf-full/windows/ntkrnlmp.pdb/32C1A669D5FFEFD41091F636CFDB6E99-1.json.xz";

    private static ObjectNode json(Path xz) throws IOException {
        try (InputStream in = new XZInputStream(Files.newInputStream(xz))) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        }
    }

    @Test
    public void theTypeTableIsFoundByItsShapeAndEveryHandleIsTheTruths() throws IOException {
        ObjectNode partial = json(TestData.requireProfile(PARTIAL_26100));
        ObjectNode donor = json(TestData.requireProfile(FULL_22000));
        ObjectNode types = (ObjectNode) partial.get("user_types");
        for (Iterator<Map.Entry<String, JsonNode>> it = donor.get("user_types").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mine = types.get(e.getKey());
            if (mine == null || mine.get("fields").isEmpty()) {
                types.set(e.getKey(), e.getValue());
            }
        }
        for (String section : new String[] {"enums", "base_types"}) {
            if (!donor.has(section)) {
                continue;
            }
            ObjectNode into = partial.has(section) ? (ObjectNode) partial.get(section) : partial.putObject(section);
            donor.get(section).fields().forEachRemaining(e -> {
                if (!into.has(e.getKey())) {
                    into.set(e.getKey(), e.getValue());
                }
            });
        }
        assertTrue("the merged profile must have no symbols", !partial.has("symbols") || partial.get("symbols")
                .isEmpty());
        Path merged = tmp.newFile("win11_26100_merged.json").toPath();
        new ObjectMapper().writeValue(merged.toFile(), partial);
        ImageSynthesizer.Output image = new ImageSynthesizer(IsfReader.read(merged), SynthOptions.builder().seed(26)
                .windowsBuild(26100).build()).synthesize(tmp.newFolder("image").toPath());
        HandleTruth truth = image.truth().handles();
        assertEquals(null, truth.skipped());
        assertTrue(truth.cookie() >= 0);
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash", "-q",
                "--pagefile", image.pagefile().toString(), "--symbols", merged.toString(), "windows.handles", "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertFalse(o.err(), o.err().contains("warning"));
        Map<Long, String> names = new HashMap<>();
        image.truth().processes().forEach(p -> names.put(p.pid(), p.name()));
        Set<String> expected = new HashSet<>();
        truth.processes().forEach((pid, t) -> t.handles().forEach(h -> expected.add(pid + "|" + names.get(pid)
                + "|0x" + Long.toHexString(h.value()) + "|0x" + Long.toHexString(h.object()) + "|" + h.type() + "|0x"
                + Long.toHexString(h.access()) + "|" + h.name())));
        Set<String> actual = new HashSet<>();
        for (JsonNode r : JsonLines.parse(o.out())) {
            actual.add(r.get("PID").asLong() + "|" + r.get("Process").asText() + "|" + r.get("HandleValue").asText()
                    + "|" + r.get("Object").asText() + "|" + r.get("Type").asText() + "|" + r.get("GrantedAccess")
                    .asText() + "|" + r.get("Name").asText());
        }
        assertEquals(expected, actual);
        SynthTruth.Process explorer = image.truth().processes().stream().filter(p -> p.name().equals("explorer.exe"))
                .findFirst().orElseThrow();
        assertEquals(1, truth.processes().get(explorer.pid()).level());
        // a level-1 table spans more than one page of 256 entries: the walk read past the first page
        assertTrue(truth.processes().get(explorer.pid()).handles().stream().anyMatch(h -> h.value() >= 256 * 4));
    }
}
