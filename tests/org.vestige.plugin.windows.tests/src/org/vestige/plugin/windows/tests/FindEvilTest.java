package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.findevil} through the vestige command on every synthesized build: on an image with the
 * malware plants, exactly the planted findings (the process unlinked from the active list, the DLL unlinked
 * from the loader lists, the thread starting in private memory) and no system process flagged; on the same
 * machine without the plants, nothing.
 */
@RunWith(Parameterized.class)
public class FindEvilTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final String profileId;

    public FindEvilTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
    }

    private ImageSynthesizer.Output image(boolean plants) {
        return SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build).plants(
                plants).build());
    }

    private static List<JsonNode> findevil(ImageSynthesizer.Output image) {
        return JsonLines.parse(ThreadAnalysesTest.run(image.image(), "windows.findevil", "-r", "json").out());
    }

    @Test
    public void exactlyThePlantedFindings() {
        ImageSynthesizer.Output image = image(true);
        SynthTruth truth = image.truth();
        Map<Long, String> names = ThreadAnalysesTest.names(truth);
        Set<String> expected = new HashSet<>();
        assertEquals(1, truth.hidden().size());
        for (SynthTruth.Process p : truth.hidden()) {
            expected.add(String.join("|", "HIGH", "process unlinked from the active list", String.valueOf(p.pid()),
                    p.name(), ThreadAnalysesTest.hex(p.eprocess())));
        }
        List<ThreadTruth.Image> unlinked = truth.threads().images().stream().filter(ThreadTruth.Image::unlinked)
                .toList();
        assertEquals(1, unlinked.size());
        for (ThreadTruth.Image i : unlinked) {
            expected.add(String.join("|", "HIGH", "module unlinked from the loader lists", String.valueOf(i.pid()),
                    names.get(i.pid()), ThreadAnalysesTest.hex(i.base())));
        }
        List<ThreadTruth.Thread> planted = truth.threads().planted();
        assertEquals(1, planted.size());
        for (ThreadTruth.Thread t : planted) {
            expected.add(String.join("|", "HIGH", "thread starting outside every image", String.valueOf(t.pid()),
                    names.get(t.pid()), ThreadAnalysesTest.hex(t.win32StartAddress())));
        }
        List<JsonNode> rows = findevil(image);
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            actual.add(String.join("|", r.get("Severity").asText(), r.get("Finding").asText(), r.get("PID").asText(),
                    r.get("Process").asText(), r.get("Address").asText()));
            assertTrue(r.toString(), r.get("Evidence").asText().length() > 20);
        }
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actual);
        JsonNode thread = rows.stream().filter(r -> r.get("Finding").asText().startsWith("thread")).findFirst()
                .orElseThrow();
        assertTrue(thread.toString(), thread.get("Evidence").asText().contains("private memory"));
        String[] csv = ThreadAnalysesTest.run(image.image(), "windows.findevil", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth,Severity,Finding,PID,Process,Address,Evidence", csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void nothingOnTheSameMachineWithoutThePlants() {
        ImageSynthesizer.Output image = image(false);
        assertTrue(image.truth().hidden().isEmpty());
        assertTrue(image.truth().threads().planted().isEmpty());
        List<JsonNode> rows = findevil(image);
        assertEquals(rows.toString(), 0, rows.size());
    }
}
