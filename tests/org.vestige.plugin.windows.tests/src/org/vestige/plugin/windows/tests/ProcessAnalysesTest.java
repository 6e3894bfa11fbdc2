package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.types.IsfReader;
import org.vestige.testing.TestData;
import org.vestige.testing.synth.ImageSynthesizer;
import org.vestige.testing.synth.SynthOptions;
import org.vestige.testing.synth.SynthTruth;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The process-level analyses (dlllist, cmdline, envars, vadinfo, modules, psscan, memmap) through the
 * vestige command, with whole result sets compared with the synthesizer's truth.
 */
public class ProcessAnalysesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static String isf;
    static ImageSynthesizer.Output image;
    static SynthTruth truth;

    @BeforeClass
    public static void synthesize() throws IOException {
        isf = TestData.requireProfile(WindowsAnalysesTest.WIN10).toString();
        image = new ImageSynthesizer(IsfReader.read(java.nio.file.Path.of(isf)), SynthOptions.of(33, 19041))
                .synthesize(tmp.newFolder("img").toPath());
        truth = image.truth();
    }

    static WindowsAnalysesTest.Outcome run(String... pluginAndOptions) {
        String[] args = new String[6 + pluginAndOptions.length];
        String[] head = {"-f", image.image().toString(), "--no-hash", "-q", "--symbols", isf};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        WindowsAnalysesTest.Outcome o = WindowsAnalysesTest.vestige(args);
        assertEquals(o.err(), 0, o.code());
        return o;
    }

    @Test
    public void dlllistReturnsEveryProcessesModules() throws IOException {
        Set<String> expected = new HashSet<>();
        for (SynthTruth.Process p : truth.processes()) {
            for (SynthTruth.Module m : p.modules()) {
                expected.add(p.pid() + "/0x" + Long.toHexString(m.base()) + "/" + m.size() + "/" + m.name() + "/"
                        + m.path());
            }
        }
        Set<String> actual = new HashSet<>();
        for (JsonNode r : run("windows.dlllist", "-r", "json").rows()) {
            actual.add(r.get("PID").asLong() + "/" + r.get("Base").asText() + "/" + r.get("Size").asLong() + "/" + r
                    .get("Name").asText() + "/" + r.get("Path").asText());
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @Test
    public void cmdlineAndPidFilter() throws IOException {
        Map<Long, String> expected = new HashMap<>();
        truth.processes().stream().filter(p -> p.peb() != 0).forEach(p -> expected.put(p.pid(), p.commandLine()));
        Map<Long, String> actual = new HashMap<>();
        for (JsonNode r : run("windows.cmdline", "-r", "json").rows()) {
            if (!r.get("Args").isObject()) {
                actual.put(r.get("PID").asLong(), r.get("Args").asText());
            }
        }
        assertEquals(expected, actual);
        long notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst().orElseThrow()
                .pid();
        List<JsonNode> one = run("windows.cmdline", "--pid", Long.toString(notepad), "-r", "json").rows();
        assertEquals(1, one.size());
        assertEquals(expected.get(notepad), one.get(0).get("Args").asText());
    }

    @Test
    public void envarsSayWhereAPagedOutBlockIsAndReadItWithThePagefile() throws IOException {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        List<JsonNode> without = run("windows.envars", "--pid", Long.toString(notepad.pid()), "-r", "json").rows();
        assertEquals(1, without.size());
        String reason = without.get(0).get("Variable").get("unavailable").asText();
        assertTrue(reason, reason.contains("pagefile.sys (slot 0) at offset 0x" + Long.toHexString(notepad
                .environmentPagefileOffset())));
        WindowsAnalysesTest.Outcome with = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--symbols", isf, "--pagefile", image.pagefile().toString(), "windows.envars", "--pid", Long
                        .toString(notepad.pid()), "-r", "json");
        assertEquals(with.err(), 0, with.code());
        StringBuilder block = new StringBuilder();
        for (JsonNode r : with.rows()) {
            block.append(r.get("Variable").asText()).append('=').append(r.get("Value").asText()).append('\0');
        }
        block.append('\0');
        assertEquals(notepad.environment(), block.toString());
    }

    @Test
    public void vadinfoReturnsEveryVadWithItsFile() throws IOException {
        Set<String> expected = new HashSet<>();
        for (SynthTruth.Process p : truth.processes()) {
            for (SynthTruth.Vad v : p.vads()) {
                expected.add(p.pid() + "/0x" + Long.toHexString(v.start()) + "/0x" + Long.toHexString(v.end()) + "/"
                        + (v.privateMemory() ? "Private" : "Mapped") + "/" + (v.fileName() == null ? "-" : v
                                .fileName()));
            }
        }
        Set<String> actual = new HashSet<>();
        for (JsonNode r : run("windows.vadinfo", "-r", "json").rows()) {
            actual.add(r.get("PID").asLong() + "/" + r.get("Start VPN").asText() + "/" + r.get("End VPN").asText() + "/"
                    + r.get("Type").asText() + "/" + (r.get("File").isObject() ? "-" : r.get("File").asText()));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @Test
    public void modulesReturnsTheKernelModules() throws IOException {
        Set<String> expected = new HashSet<>();
        truth.kernelModules().forEach(m -> expected.add("0x" + Long.toHexString(m.base()) + "/" + m.size() + "/" + m
                .name()));
        Set<String> actual = new HashSet<>();
        run("windows.modules", "-r", "json").rows().forEach(r -> actual.add(r.get("Base").asText() + "/" + r.get(
                "Size").asLong() + "/" + r.get("Name").asText()));
        assertEquals(expected, actual);
    }

    @Test
    public void psscanFindsTheListedAndTheExitedProcesses() throws IOException {
        List<JsonNode> rows = run("windows.psscan", "-r", "json").rows();
        Set<String> listed = new HashSet<>();
        Set<String> unlisted = new HashSet<>();
        for (JsonNode r : rows) {
            (r.get("InActiveList").asBoolean() ? listed : unlisted).add(r.get("PID").asLong() + "/" + r.get(
                    "ImageFileName").asText());
        }
        Set<String> expectedListed = new HashSet<>();
        truth.processes().forEach(p -> expectedListed.add(p.pid() + "/" + p.name()));
        Set<String> expectedExited = new HashSet<>();
        truth.terminated().forEach(p -> expectedExited.add(p.pid() + "/" + p.name()));
        assertEquals(expectedListed, listed);
        assertEquals(expectedExited, unlisted);
        assertFalse(expectedExited.isEmpty());
    }

    @Test
    public void memmapSaysWhereEveryPageLives() throws IOException {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        {
            List<JsonNode> rows = run("windows.memmap", "--pid", Long.toString(notepad.pid()), "-r", "json").rows();
            assertFalse(rows.isEmpty());
            Set<String> kinds = new HashSet<>();
            rows.forEach(r -> kinds.add(r.get("Kind").asText()));
            assertTrue(kinds.toString(), kinds.contains("ram"));
            assertTrue(kinds.toString(), kinds.contains("missing"));
            boolean environmentPage = rows.stream().anyMatch(r -> r.get("Source").has("reason") && r.get("Source")
                    .get("reason").asText().contains("0x" + Long.toHexString(notepad.environmentPagefileOffset())));
            assertTrue("the paged-out environment page is listed with its pagefile offset", environmentPage);
        }
    }
}
