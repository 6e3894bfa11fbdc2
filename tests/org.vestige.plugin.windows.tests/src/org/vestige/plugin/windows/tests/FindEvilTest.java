package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import org.vestige.synth.MalfindTruth;
import org.vestige.synth.RootkitTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.findevil} through the vestige command on every synthesized build: on an image with the
 * malware plants, exactly the planted findings (the process unlinked from the active list, the hollowed
 * processes, the injected code, the DLL unlinked from the loader lists, the threads starting in private
 * memory, the rogue driver's loader entry and driver object, the hooked system service) and no system process
 * flagged; on the same machine without the plants, nothing.
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

    private static List<JsonNode> findevil(ImageSynthesizer.Output image, String... global) {
        List<String> args = new java.util.ArrayList<>(List.of(global));
        args.addAll(List.of("windows.findevil", "-r", "json"));
        return JsonLines.parse(ThreadAnalysesTest.run(image.image(), args.toArray(String[]::new)).out());
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
        assertFalse(planted.isEmpty());
        for (ThreadTruth.Thread t : planted) {
            expected.add(String.join("|", "HIGH", "thread starting outside every image", String.valueOf(t.pid()),
                    names.get(t.pid()), ThreadAnalysesTest.hex(t.win32StartAddress())));
        }
        assertFalse(truth.malfind().regions().isEmpty());
        for (MalfindTruth.Region r : truth.malfind().regions()) {
            expected.add(String.join("|", r.peHeader() ? "HIGH" : "MEDIUM", "executable private memory", String
                    .valueOf(r.pid()), r.process(), ThreadAnalysesTest.hex(r.start())));
        }
        assertFalse(truth.malfind().patches().isEmpty());
        for (MalfindTruth.Patch c : truth.malfind().patches()) {
            expected.add(String.join("|", "HIGH", "image code changed in memory", String.valueOf(c.pid()), c.process(),
                    ThreadAnalysesTest.hex(c.address())));
        }
        assertFalse(truth.malfind().hollowed().isEmpty());
        for (MalfindTruth.Hollowed h : truth.malfind().hollowed()) {
            expected.add(String.join("|", "HIGH", "process image not what its PEB names", String.valueOf(h.pid()), h
                    .process(), ThreadAnalysesTest.hex(h.imageBase())));
        }
        RootkitTruth rootkit = truth.rootkit();
        rootkit.loaderEntries().stream().filter(e -> !e.listed()).forEach(e -> expected.add(String.join("|", "HIGH",
                "kernel module unlinked from the module list", "", "", ThreadAnalysesTest.hex(e.base()))));
        rootkit.drivers().stream().filter(RootkitTruth.Driver::planted).forEach(d -> expected.add(String.join("|",
                "HIGH", "driver starting outside every listed module", "", "", ThreadAnalysesTest.hex(d.start()))));
        List<RootkitTruth.Service> hooked = rootkit.serviceTable().services().stream().filter(
                RootkitTruth.Service::hooked).toList();
        assertEquals(1, hooked.size());
        hooked.forEach(s -> expected.add(String.join("|", "HIGH", "system service hooked outside the kernel", "", "",
                ThreadAnalysesTest.hex(s.target()))));
        List<JsonNode> rows = findevil(image, "--pagefile", image.pagefile().toString());
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            actual.add(String.join("|", r.get("Severity").asText(), r.get("Finding").asText(), value(r.get("PID")),
                    value(r.get("Process")), r.get("Address").asText()));
            assertTrue(r.toString(), r.get("Evidence").asText().length() > 20);
        }
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actual);
        JsonNode thread = rows.stream().filter(r -> r.get("Finding").asText().startsWith("thread")).findFirst()
                .orElseThrow();
        assertTrue(thread.toString(), thread.get("Evidence").asText().contains("private memory"));
        String[] csv = ThreadAnalysesTest.run(image.image(), "--pagefile", image.pagefile().toString(),
                "windows.findevil", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth,Severity,Finding,PID,Process,Address,Evidence", csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void withoutThePagingFileAPagedOutPeIsReportedWithWhatCouldNotBeRead() {
        ImageSynthesizer.Output image = image(true);
        Set<Long> paged = new HashSet<>();
        for (MalfindTruth.Region r : image.truth().malfind().regions()) {
            if (r.peHeader() && !r.pages().isEmpty() && r.pages().get(0).equals("pagefile")) {
                paged.add(r.start());
            }
        }
        assertFalse("a PE copy paged out to pagefile.sys", paged.isEmpty());
        List<JsonNode> regions = findevil(image).stream().filter(r -> r.get("Finding").asText().equals(
                "executable private memory") && paged.contains(Long.decode(r.get("Address").asText()))).toList();
        assertEquals(regions.toString(), paged.size(), regions.size());
        for (JsonNode r : regions) {
            assertEquals(r.toString(), "MEDIUM", r.get("Severity").asText());
            assertTrue(r.toString(), r.get("Evidence").asText().contains("whether it holds a PE is not known"));
        }
    }

    /** @return a cell's value, or nothing for a cell that is unavailable (a kernel finding's process) */
    private static String value(JsonNode cell) {
        return cell.isObject() ? "" : cell.asText();
    }

    @Test
    public void nothingOnTheSameMachineWithoutThePlants() {
        ImageSynthesizer.Output image = image(false);
        assertTrue(image.truth().hidden().isEmpty());
        assertTrue(image.truth().threads().planted().isEmpty());
        assertTrue(image.truth().malfind().regions().isEmpty());
        List<JsonNode> rows = findevil(image);
        assertEquals(rows.toString(), 0, rows.size());
    }
}
