package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.testing.JsonLines;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Windows analyses through the vestige command, on synthesized images whose truth is known:
 * whole result sets are compared with the synthesizer's truth.
 */
public class WindowsAnalysesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static final String WIN10 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final String WIN7 = "isf-full/windows/ntkrnlmp.pdb/339E74133576439CBCDF7E0229DA3773-1.json.xz";

    static Path win10Isf;
    static ImageSynthesizer.Output win10;


    static Cli.Invocation vestige(String... args) {
        return Cli.capture(Extensions.fromPlatform(), args);
    }

    @BeforeClass
    public static void synthesize() throws IOException {
        win10Isf = TestData.requireProfile(WIN10);
        Profile profile = IsfReader.read(win10Isf);
        win10 = SynthesizedImages.get(profile, SynthOptions.builder().seed(4).windowsBuild(19041).lowStub(false).build());
    }

    /** pid, ppid, name, _EPROCESS and create time of every process, as one comparable set. */
    static Set<String> truthSet(SynthTruth truth) {
        Set<String> s = new HashSet<>();
        for (SynthTruth.Process p : truth.processes()) {
            s.add(p.pid() + "/" + p.ppid() + "/" + p.name() + "/0x" + Long.toHexString(p.eprocess()) + "/"
                    + p.createTime());
        }
        return s;
    }

    static Set<String> resultSet(List<JsonNode> rows) {
        Set<String> s = new HashSet<>();
        for (JsonNode r : rows) {
            s.add(r.get("PID").asLong() + "/" + r.get("PPID").asLong() + "/" + r.get("ImageFileName").asText() + "/"
                    + r.get("Offset(V)").asText() + "/" + r.get("CreateTime").asText());
            if (r.has("__children")) {
                List<JsonNode> kids = new ArrayList<>();
                r.get("__children").forEach(kids::add);
                s.addAll(resultSet(kids));
            }
        }
        return s;
    }

    @Test
    public void pslistReturnsExactlyTheTruthInTextAndJson() throws IOException {
        Cli.Invocation o = vestige("-f", win10.image().toString(), "--no-hash", "-q", "--symbols", win10Isf.toString(),
                "windows.pslist", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertEquals(truthSet(win10.truth()), resultSet(JsonLines.parse(o.out())));
        assertEquals(win10.truth().processes().size(), JsonLines.parse(o.out()).size());
        Cli.Invocation text = vestige("-f", win10.image().toString(), "--no-hash", "-q", "--symbols", win10Isf.toString(),
                "windows.pslist");
        assertEquals(text.err(), 0, text.exitCode());
        String[] lines = text.out().split("\n");
        assertEquals(win10.truth().processes().size() + 1, lines.length);
        assertTrue(lines[0], lines[0].startsWith("PID"));
        for (SynthTruth.Process p : win10.truth().processes()) {
            assertTrue(p.name(), text.out().contains(" " + p.name() + " "));
        }
    }

    @Test
    public void pstreeNestsChildrenUnderTheirParents() throws IOException {
        Cli.Invocation o = vestige("-f", win10.image().toString(), "--no-hash", "-q", "--symbols", win10Isf.toString(),
                "windows.pstree", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertEquals(truthSet(win10.truth()), resultSet(JsonLines.parse(o.out())));
        JsonNode system = JsonLines.parse(o.out()).stream().filter(r -> r.get("PID").asLong() == 4).findFirst().orElseThrow();
        assertTrue(system.has("__children"));
        for (JsonNode child : system.get("__children")) {
            assertEquals(4, child.get("PPID").asLong());
        }
    }

    @Test
    public void infoFindsTheKernelWithNoHintsAndShowsItsAttempts() throws IOException {
        Cli.Invocation o = vestige("-f", win10.image().toString(), "--no-hash", "-q", "--symbols", win10Isf.toString(),
                "windows.info", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        SynthTruth t = win10.truth();
        assertEquals("0x" + Long.toHexString(t.kernelBase()), value(o, "Kernel base"));
        assertEquals("0x" + Long.toHexString(t.dtb()), value(o, "DTB"));
        assertEquals(t.pdbName() + " " + t.guid() + "-" + t.age(), value(o, "Kernel PDB"));
        assertEquals(Integer.toString(t.build()), value(o, "NtBuildNumber"));
        JsonNode discovery = JsonLines.parse(o.out()).stream().filter(r -> r.get("Property").asText().equals("Discovery"))
                .findFirst().orElseThrow();
        assertEquals("complete", discovery.get("Value").asText());
        assertTrue(discovery.get("__children").size() > 0);
    }

    @Test
    public void withoutSymbolsOrProfilesDiscoveryExplainsItself() throws IOException {
        Cli.Invocation info = vestige("-f", win10.image().toString(), "--no-hash", "-q", "--symbols", TestData.requireProfile(
                WIN7).toString(), "windows.info", "-r", "json");
        assertEquals(info.err(), 0, info.exitCode());
        assertTrue(info.out(), info.out().contains("none of the --symbols tables validated"));
        assertTrue(info.out(), info.out().contains(WIN7.substring(WIN7.lastIndexOf('/') + 1)));
    }

    @Test
    public void smearedListsWarnAndKeepGoing() throws IOException {
        Profile profile = IsfReader.read(win10Isf);
        for (SynthOptions.Smear smear : List.of(SynthOptions.Smear.BROKEN_FLINK, SynthOptions.Smear.CYCLE,
                SynthOptions.Smear.HALF_WRITTEN)) {
            ImageSynthesizer.Output smeared = new ImageSynthesizer(profile, SynthOptions.builder().seed(9).windowsBuild(19041).smear(
                    smear).build()).synthesize(tmp.newFolder("smear-" + smear).toPath());
            Cli.Invocation o = vestige("-f", smeared.image().toString(), "--no-hash", "-q", "--symbols", win10Isf
                    .toString(), "windows.pslist", "-r", "json");
            assertEquals(smear + ": " + o.err(), 0, o.exitCode());
            assertTrue(smear + ": " + o.err(), o.err().contains("warning: active process list"));
            assertTrue(smear + ": " + o.err(), o.err().contains("_EPROCESS"));
            assertTrue(smear + " kept " + JsonLines.parse(o.out()).size(), JsonLines.parse(o.out()).size() >= smeared.truth().processes().size() - 1);
        }
    }

    @Test
    public void theSynthCommandWritesAnImageTheAnalysesRead() throws IOException {
        Path out = tmp.newFolder("synth-cli").toPath();
        Cli.Invocation s = vestige("-o", out.toString(), "-q", "synth", "--profile", win10Isf.toString(), "--build", "19041",
                "--seed", "12", "--size-mib", "512", "-r", "json");
        assertEquals(s.err(), 0, s.exitCode());
        assertTrue(s.err(), s.err().contains("wrote " + out.resolve("image.raw")));
        assertTrue(s.err(), s.err().contains("truth.json"));
        Cli.Invocation o = vestige("-f", out.resolve("image.raw").toString(), "--no-hash", "-q", "--symbols", out.resolve(
                "image.isf.json.xz").toString(), "windows.pslist", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertEquals(JsonLines.parse(s.out()).size(), JsonLines.parse(o.out()).size());
        Set<Long> pids = new HashSet<>();
        JsonLines.parse(s.out()).forEach(r -> pids.add(r.get("PID").asLong()));
        JsonLines.parse(o.out()).forEach(r -> assertTrue(pids.contains(r.get("PID").asLong())));
    }

    @Test
    public void win7IsAnalysedToo() throws IOException {
        Path isf = TestData.requireProfile(WIN7);
        ImageSynthesizer.Output win7 = new ImageSynthesizer(IsfReader.read(isf), SynthOptions.builder().seed(5).windowsBuild(7601).build())
                .synthesize(tmp.newFolder("win7").toPath());
        Cli.Invocation o = vestige("-f", win7.image().toString(), "--no-hash", "-q", "--symbols", isf.toString(),
                "windows.pslist", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertEquals(truthSet(win7.truth()), resultSet(JsonLines.parse(o.out())));
    }

    private static String value(Cli.Invocation o, String property) throws IOException {
        return JsonLines.parse(o.out()).stream().filter(r -> r.get("Property").asText().equals(property)).findFirst().orElseThrow()
                .get("Value").asText();
    }
}
