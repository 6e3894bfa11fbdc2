package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.handles} through the vestige command on every synthesized build, each image analysed
 * with its installed profile and no hints: the whole result (every row, every column) against the
 * synthesizer's truth, in JSON, text and CSV; the pid and type filters; and a damaged table reported
 * while the rest is listed.
 */
@RunWith(Parameterized.class)
public class HandlesTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final String profileId;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public HandlesTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    private HandleTruth handles(SynthTruth t) {
        assumeTrue("build " + build + ": the image has no handle tables: " + t.handles().skipped(), t.handles()
                .skipped() == null);
        return t.handles();
    }

    private static Cli.Invocation run(ImageSynthesizer.Output image, String... pluginAndOptions) {
        String[] args = new String[4 + pluginAndOptions.length];
        String[] head = {"-f", image.image().toString(), "--no-hash", "-q"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(args);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    /** Runs with the image's pagefile.sys, so every page of every handle table reads. */
    private static Cli.Invocation withPagefile(ImageSynthesizer.Output image, String... pluginAndOptions) {
        String[] args = new String[2 + pluginAndOptions.length];
        args[0] = "--pagefile";
        args[1] = image.pagefile().toString();
        System.arraycopy(pluginAndOptions, 0, args, 2, pluginAndOptions.length);
        return run(image, args);
    }

    /** Every handle of the truth as a row would show it: pid, process, value, object, type, access, name. */
    private static Set<String> expected(SynthTruth truth, Predicate<String> types, Predicate<Long> pids) {
        Map<Long, String> names = new HashMap<>();
        truth.processes().forEach(p -> names.put(p.pid(), p.name()));
        Set<String> out = new HashSet<>();
        truth.handles().processes().forEach((pid, table) -> {
            if (!pids.test(pid)) {
                return;
            }
            for (HandleTruth.Handle h : table.handles()) {
                if (types.test(h.type())) {
                    out.add(row(pid, names.get(pid), h.value(), h.object(), h.type(), h.access(), h.name()));
                }
            }
        });
        return out;
    }

    private static String row(long pid, String process, long value, long object, String type, long access,
            String name) {
        return pid + "|" + process + "|0x" + Long.toHexString(value) + "|0x" + Long.toHexString(object) + "|" + type
                + "|0x" + Long.toHexString(access) + "|" + name;
    }

    private static Set<String> actual(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            out.add(r.get("PID").asLong() + "|" + r.get("Process").asText() + "|" + r.get("HandleValue").asText() + "|"
                    + r.get("Object").asText() + "|" + text(r.get("Type")) + "|" + r.get("GrantedAccess").asText() + "|"
                    + text(r.get("Name")));
        }
        return out;
    }

    private static String text(JsonNode cell) {
        return cell.isObject() ? "unavailable: " + cell.get("unavailable").asText() : cell.asText();
    }

    @Test
    public void everyHandleOfEveryProcessInJsonTextAndCsv() throws IOException {
        handles(truth);
        List<JsonNode> rows = JsonLines.parse(withPagefile(image, "windows.handles",
                "-r", "json").out());
        Set<String> expected = expected(truth, t -> true, p -> true);
        assertTrue("handles: " + expected.size(), expected.size() > 500);
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actual(rows));
        String text = withPagefile(image, "windows.handles").out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        String csv = withPagefile(image, "windows.handles", "-r", "csv").out();
        String[] lines = csv.split("\r?\n");
        assertEquals("Depth,PID,Process,HandleValue,Object,Type,GrantedAccess,Name", lines[0]);
        assertEquals(rows.size() + 1, lines.length);
    }

    @Test
    public void withoutThePagefileAPagedOutTablePageIsOneRowSayingWhereItIs() throws IOException {
        HandleTruth h = handles(truth);
        Map.Entry<Long, HandleTruth.Table> paged = h.processes().entrySet().stream().filter(e -> !e.getValue()
                .pagedOut().isEmpty()).findFirst().orElseThrow();
        long page = paged.getValue().pagedOut().keySet().iterator().next();
        long offset = paged.getValue().pagedOut().get(page);
        Set<String> expected = expected(truth, t -> true, p -> true);
        for (HandleTruth.Handle x : paged.getValue().handles()) {
            if ((x.entry() & ~0xfffL) == page) {
                expected.removeIf(r -> r.startsWith(paged.getKey() + "|") && r.contains("|0x" + Long.toHexString(x
                        .value()) + "|0x"));
            }
        }
        Set<String> actual = actual(JsonLines.parse(run(image, "windows.handles", "-r", "json").out()));
        List<String> missing = actual.stream().filter(r -> r.contains("|unavailable: ")).toList();
        assertEquals(missing.toString(), 1, missing.size());
        assertTrue(missing.get(0), missing.get(0).startsWith(paged.getKey() + "|") && missing.get(0).contains(
                "paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(offset)) && missing.get(0)
                        .contains("--pagefile"));
        actual.removeAll(missing);
        assertEquals(expected, actual);
    }

    @Test
    public void pidAndTypeFiltersKeepExactlyTheirRows() throws IOException {
        HandleTruth h = handles(truth);
        List<Long> pids = h.processes().keySet().stream().filter(p -> p != 4).limit(2).toList();
        List<JsonNode> byPid = JsonLines.parse(withPagefile(image, "windows.handles", "--pid", pids.get(0)
                .toString(), "--pid", pids.get(1).toString(), "-r", "json").out());
        assertEquals(expected(truth, t -> true, pids::contains), actual(byPid));
        List<JsonNode> byType = JsonLines.parse(withPagefile(image, "windows.handles", "--type", "file",
                "--type", "Key", "-r", "json").out());
        Set<String> files = expected(truth, t -> t.equals("File") || t.equals("Key"), p -> true);
        assertTrue(files.size() > 100);
        assertEquals(files, actual(byType));
        List<JsonNode> both = JsonLines.parse(withPagefile(image, "windows.handles", "--type", "Thread", "--pid",
                pids.get(0).toString(), "-r", "json").out());
        assertEquals(expected(truth, t -> t.equals("Thread"), p -> p.equals(pids.get(0))), actual(both));
        assertTrue(both.size() >= 1);
    }

    @Test
    public void aWildObjectPointerIsAWarningAndTheRestIsListed() throws IOException {
        handles(truth);
        ImageSynthesizer.Output bad = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(34)
                .windowsBuild(build).smear(SynthOptions.Smear.HANDLE_WILD_OBJECT).build());
        SynthTruth.SmearInfo smear = bad.truth().smear();
        Cli.Invocation o = withPagefile(bad, "windows.handles", "-r", "json");
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("warning") && l.contains("pid " + smear.pid())
                && l.contains("0x" + Long.toHexString(smear.structure()))));
        HandleTruth.Handle victim = bad.truth().handles().processes().get(smear.pid()).handles().stream().filter(
                x -> x.entry() == smear.structure()).findFirst().orElseThrow();
        Set<String> expected = expected(bad.truth(), t -> true, p -> true);
        Set<String> actual = actual(JsonLines.parse(o.out()));
        String victimRow = actual.stream().filter(r -> r.startsWith(smear.pid() + "|") && r.contains("|0x" + Long
                .toHexString(victim.value()) + "|")).findFirst().orElseThrow();
        assertTrue(victimRow, victimRow.contains("|unavailable: "));
        actual.remove(victimRow);
        expected.removeIf(r -> r.startsWith(smear.pid() + "|") && r.contains("|0x" + Long.toHexString(victim.value())
                + "|0x"));
        assertEquals(expected, actual);
    }
}
