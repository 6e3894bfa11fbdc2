package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;
import org.vestige.synth.TimeTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.timeliner} through the vestige command on every synthesized build: the whole timeline
 * against the synthesizer's truth — every process's creation (and exit, where it exited) as the active list
 * and the pool scan each see it, every thread's creation, the link time of every module in every process's
 * loader list and of every kernel module, the image's system time last — nothing more, and in order of time.
 */
@RunWith(Parameterized.class)
public class TimelinerTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public TimelinerTest(int build, String profileId) {
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    /** @return an event as the timeline's JSON row shows it: time, meaning, source, object */
    static String event(Instant time, String meaning, String source, String object) {
        return String.join("|", time.toString(), meaning, source, object);
    }

    static Instant instant(long fileTime) {
        return Instant.ofEpochSecond(Math.floorDiv(fileTime, 10_000_000L) - 11_644_473_600L, Math.floorMod(fileTime,
                10_000_000L) * 100);
    }

    /** @return the link time the truth records for the module's PE header in {@code pid}'s space */
    static Instant linked(SynthTruth truth, long pid, SynthTruth.Module m) {
        return Instant.ofEpochSecond(truth.times().linked().stream().filter(l -> l.pid() == pid && l.base() == m
                .base()).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no PE header recorded for " + m
                        + " in " + pid)).timeDateStamp());
    }

    /** @return every time the truth holds, as the analyses that declare timeline contributions read them */
    static List<String> expected(SynthTruth truth) {
        List<String> out = new ArrayList<>();
        List<SynthTruth.Process> all = new ArrayList<>(truth.processes());
        all.addAll(truth.terminated());
        all.addAll(truth.hidden());
        for (SynthTruth.Process p : all) {
            boolean listed = truth.processes().contains(p);
            String object = "PID=" + p.pid() + " ImageFileName=" + p.name();
            for (String source : listed ? List.of("windows.pslist", "windows.psscan") : List.of("windows.psscan")) {
                out.add(event(instant(p.createFileTime()), "created", source, object));
                if (p.exitFileTime() != 0) {
                    out.add(event(instant(p.exitFileTime()), "exited", source, object));
                }
            }
        }
        out.add(event(instant(truth.times().systemFileTime()), "captured", "windows.info", "Property=System time"));
        for (SynthTruth.Module m : truth.kernelModules()) {
            out.add(event(linked(truth, TimeTruth.KERNEL, m), "linked", "windows.modules", "Name=" + m.name()));
        }
        for (SynthTruth.Process p : truth.processes()) {
            for (SynthTruth.Module m : p.peb() == 0 ? List.<SynthTruth.Module>of() : p.modules()) {
                out.add(event(linked(truth, p.pid(), m), "linked", "windows.dlllist", "PID=" + p.pid() + " Process="
                        + p.name() + " Name=" + m.name()));
            }
        }
        for (ThreadTruth.Thread t : truth.threads().threads()) {
            String process = all.stream().filter(p -> p.pid() == t.pid()).findFirst().orElseThrow().name();
            out.add(event(instant(t.createFileTime()), "created", "windows.threads", "PID=" + t.pid() + " Process="
                    + process + " TID=" + t.tid()));
        }
        out.sort(null);
        return out;
    }

    @Test
    public void theWholeTimelineIsTheTruthsTimesInOrder() {
        List<JsonNode> rows = JsonLines.parse(ThreadAnalysesTest.run(image.image(), "windows.timeliner", "-r", "json")
                .out());
        List<String> actual = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (JsonNode r : rows) {
            assertTrue("every time was read: " + r, r.get("Time").isTextual());
            Instant t = Instant.parse(r.get("Time").asText());
            assertFalse("in order: " + t + " after " + previous, t.isBefore(previous));
            previous = t;
            actual.add(event(t, r.get("Meaning").asText(), r.get("Source").asText(), r.get("Object").asText()));
        }
        List<String> expected = expected(truth);
        assertTrue("processes, exits, threads, link times and the system time: " + expected.size(), expected
                .size() > 250 && expected.stream().anyMatch(e -> e.contains("|exited|")) && expected.stream().filter(
                        e -> e.contains("|linked|windows.modules|")).count() == truth.kernelModules().size()
                && expected.stream().filter(e -> e.contains("|captured|windows.info|")).count() == 1);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    /**
     * With hives loaded in memory, the timeline holds every key's last write as {@code printkey} reads the whole
     * of each hive (the options its {@code <timeline>} declaration gives), and the hives' names; and each hive's
     * own last write from its base block, as the synthesizer loaded it.
     */
    @Test
    public void withHivesInMemoryEveryKeysLastWriteIsOnTheTimeline() {
        org.junit.Assume.assumeTrue("one build is enough for the registry's contribution",
                truth.build() == 19041);
        ImageSynthesizer.Output withHives = SynthesizedImages.installed(
                "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", SynthOptions.builder().seed(35).windowsBuild(
                        19041).hives(org.vestige.synth.HiveMemoryWriter.HivePlacement.RESIDENT).build());
        List<String> expected = new ArrayList<>();
        List<JsonNode> keys = new ArrayList<>();
        CaseExportTest.flatten(JsonLines.parse(ThreadAnalysesTest.run(withHives.image(),
                "windows.registry.printkey", "--recurse", "-r", "json").out()), 0, keys, new ArrayList<>());
        for (JsonNode k : keys) {
            if (k.get("LastWrite").isTextual()) {
                expected.add(event(Instant.parse(k.get("LastWrite").asText()), "last written",
                        "windows.registry.printkey", "Hive=" + k.get("Hive").asText() + " Key=" + k.get("Key")
                                .asText()));
            }
        }
        // each hive's own last write, from its base block, named by its _CMHIVE and its paths (the master hive
        // has none)
        for (org.vestige.synth.HiveMemoryWriter.LoadedHive h : withHives.truth().hives().hives()) {
            expected.add(event(instant(h.lastWritten()), "last written",
                    "windows.registry.hivelist", "Offset(V)=0x" + Long.toHexString(h.cmhive()) + " FileFullPath="
                    + h.fileFullPath() + " HiveRootPath=" + (h.name().equals("[no name]") ? "" : h.name())));
        }
        List<String> actual = new ArrayList<>();
        for (JsonNode r : JsonLines.parse(ThreadAnalysesTest.run(withHives.image(), "windows.timeliner", "-r", "json")
                .out())) {
            if (r.get("Source").asText().startsWith("windows.registry.")) {
                actual.add(event(Instant.parse(r.get("Time").asText()), r.get("Meaning").asText(), r.get("Source")
                        .asText(), r.get("Object").asText()));
            }
        }
        long hives = keys.stream().map(k -> k.get("Hive").asText()).distinct().count();
        assertTrue("keys: " + expected.size() + " in " + hives + " hives", expected.size() > 50
                && hives == withHives.truth().hives().hives().size());
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }
}
