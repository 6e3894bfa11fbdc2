package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.ThreadState;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.threads}, {@code windows.suspicious_threads} and {@code windows.ldrmodules} through the
 * vestige command on every synthesized build, each image analysed with its installed profile and no
 * hints: the whole result (every row, every column) against the synthesizer's truth — every thread of
 * every process, exactly the thread planted in private memory, every image VAD with its three loader-list
 * flags and the hidden DLL flagged.
 */
@RunWith(Parameterized.class)
public class ThreadAnalysesTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public ThreadAnalysesTest(int build, String profileId) {
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    static Cli.Invocation run(java.nio.file.Path image, String... pluginAndOptions) {
        String[] args = new String[4 + pluginAndOptions.length];
        String[] head = {"-f", image.toString(), "--no-hash", "-q"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(args);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    static Map<Long, String> names(SynthTruth truth) {
        Map<Long, String> names = new HashMap<>();
        truth.processes().forEach(p -> names.put(p.pid(), p.name()));
        return names;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Every thread of the truth as a row of windows.threads shows it. */
    static Set<String> expectedThreads(SynthTruth truth) {
        Map<Long, String> names = names(truth);
        Set<String> out = new HashSet<>();
        for (ThreadTruth.Thread t : truth.threads().threads()) {
            String win32In = t.planted() ? "private memory " + hex(t.vadStart()) + "-" + hex(t.vadEnd())
                    + " PAGE_EXECUTE_READWRITE" : t.win32StartIn();
            out.add(String.join("|", String.valueOf(t.pid()), names.get(t.pid()), String.valueOf(t.tid()), hex(t
                    .ethread()), ThreadState.describe(t.state()), hex(t.startAddress()), t.startIn(), hex(t
                            .win32StartAddress()), win32In, instant(t.createFileTime()).toString()));
        }
        return out;
    }

    static Set<String> actualThreads(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            out.add(String.join("|", r.get("PID").asText(), r.get("Process").asText(), r.get("TID").asText(), r.get(
                    "ETHREAD").asText(), text(r.get("State")), text(r.get("StartAddress")), text(r.get("StartIn")),
                    text(r.get("Win32StartAddress")), text(r.get("Win32StartIn")), text(r.get("CreateTime"))));
        }
        return out;
    }

    static String text(JsonNode cell) {
        return cell.isObject() ? "unavailable: " + cell.get("unavailable").asText() : cell.asText();
    }

    private static Instant instant(long fileTime) {
        return Instant.ofEpochSecond(Math.floorDiv(fileTime, 10_000_000L) - 11_644_473_600L, Math.floorMod(fileTime,
                10_000_000L) * 100);
    }

    /** Every image VAD of the truth as a row of windows.ldrmodules shows it. */
    static Set<String> expectedImages(SynthTruth truth) {
        Map<Long, String> names = names(truth);
        Set<String> out = new HashSet<>();
        for (ThreadTruth.Image i : truth.threads().images()) {
            out.add(String.join("|", String.valueOf(i.pid()), names.get(i.pid()), hex(i.base()), String.valueOf(i
                    .inLoad()), String.valueOf(i.inInit()), String.valueOf(i.inMem()), String.valueOf(i.unlinked()),
                    i.path() != null ? i.path() : "unavailable"));
        }
        return out;
    }

    static Set<String> actualImages(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            String path = r.get("MappedPath").isObject() ? "unavailable" : r.get("MappedPath").asText();
            out.add(String.join("|", r.get("PID").asText(), r.get("Process").asText(), r.get("Base").asText(), text(r
                    .get("InLoad")), text(r.get("InInit")), text(r.get("InMem")), text(r.get("Unlinked")), path));
        }
        return out;
    }

    @Test
    public void everyThreadOfEveryProcessInJsonTextAndCsv() {
        List<JsonNode> rows = JsonLines.parse(run(image.image(), "windows.threads", "-r", "json").out());
        Set<String> expected = expectedThreads(truth);
        long processes = truth.threads().threads().stream().map(ThreadTruth.Thread::pid).distinct().count();
        assertTrue("threads: " + expected.size() + " in " + processes + " processes", expected.size() > 100
                && processes >= 10);
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actualThreads(rows));
        String text = run(image.image(), "windows.threads").out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        String[] csv = run(image.image(), "windows.threads", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth,PID,Process,TID,ETHREAD,State,StartAddress,StartIn,Win32StartAddress,Win32StartIn,"
                + "CreateTime", csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void thePidFilterKeepsExactlyThatProcesssThreads() {
        ThreadTruth.Thread planted = truth.threads().planted().stream().filter(t -> names(truth).get(t.pid())
                .equals("explorer.exe")).findFirst().orElseThrow();
        List<JsonNode> rows = JsonLines.parse(run(image.image(), "windows.threads", "--pid", String.valueOf(planted
                .pid()), "-r", "json").out());
        Set<String> expected = expectedThreads(truth);
        expected.removeIf(r -> !r.startsWith(planted.pid() + "|"));
        assertTrue(expected.size() > 10);
        assertEquals(expected, actualThreads(rows));
    }

    @Test
    public void suspiciousThreadsAreExactlyThePlantedOnes() {
        List<ThreadTruth.Thread> planted = truth.threads().planted();
        // the thread injected into explorer.exe, and the hollowed svchost.exe's threads starting in its image range
        assertEquals(1, planted.stream().filter(t -> names(truth).get(t.pid()).equals("explorer.exe")).count());
        assertTrue(planted.stream().anyMatch(t -> names(truth).get(t.pid()).equals("svchost.exe")));
        Set<String> expected = new HashSet<>();
        for (ThreadTruth.Thread t : planted) {
            expected.add(String.join("|", String.valueOf(t.pid()), names(truth).get(t.pid()), String.valueOf(t
                    .tid()), hex(t.ethread()), "Win32StartAddress", hex(t.win32StartAddress()), hex(t.vadStart()),
                    hex(t.vadEnd()), "PAGE_EXECUTE_READWRITE", "starts in private memory, not in a mapped image"));
        }
        List<JsonNode> rows = JsonLines.parse(run(image.image(), "windows.suspicious_threads", "-r", "json").out());
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            actual.add(String.join("|", r.get("PID").asText(), r.get("Process").asText(), r.get("TID").asText(), r
                    .get("ETHREAD").asText(), r.get("Field").asText(), r.get("Address").asText(), r.get("VadStart")
                            .asText(), r.get("VadEnd").asText(), r.get("Protection").asText(), r.get("Reason")
                                    .asText()));
        }
        assertEquals(planted.size(), rows.size());
        assertEquals(expected, actual);
        String[] csv = run(image.image(), "windows.suspicious_threads", "-r", "csv").out().split("\r?\n");
        assertEquals(planted.size() + 1, csv.length);
    }

    @Test
    public void everyImageVadAgainstTheThreeLoaderListsWithTheHiddenDllUnlinked() {
        List<JsonNode> rows = JsonLines.parse(run(image.image(), "windows.ldrmodules", "-r", "json").out());
        Set<String> expected = expectedImages(truth);
        List<ThreadTruth.Image> hidden = truth.threads().images().stream().filter(ThreadTruth.Image::unlinked)
                .toList();
        assertEquals(1, hidden.size());
        assertTrue(expected.size() > 30);
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actualImages(rows));
        assertEquals(1, rows.stream().filter(r -> r.get("Unlinked").asBoolean()).count());
        String[] csv = run(image.image(), "windows.ldrmodules", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth,PID,Process,Base,InLoad,InInit,InMem,Unlinked,MappedPath", csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }
}
