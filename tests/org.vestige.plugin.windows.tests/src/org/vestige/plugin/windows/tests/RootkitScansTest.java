package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.RootkitTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.modscan}, {@code windows.driverscan} and {@code windows.ssdt} through the vestige command on every
 * synthesized build, each image analysed with its installed profile and no hints: every loader entry in 'MmLd'
 * pool, every driver object in 'Driv' pool and every system service as one row with every column against the
 * truth — the rogue driver's unlinked entry, its driver object starting outside every listed module and exactly
 * the one service hooked into it flagged — in JSON, text and CSV; and on an image synthesized without plants,
 * nothing flagged.
 */
@RunWith(Parameterized.class)
public class RootkitScansTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private static final String NA = "unavailable";

    private final int build;
    private final String profileId;

    public RootkitScansTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
    }

    private ImageSynthesizer.Output image(boolean plants) {
        return SynthesizedImages.installed(profileId, SynthOptions.builder().seed(37).windowsBuild(build).plants(
                plants).build());
    }

    static Cli.Invocation run(ImageSynthesizer.Output image, String... pluginAndOptions) {
        return run(image.image(), pluginAndOptions);
    }

    /** Runs an analysis on {@code image} with no hints; it must succeed. */
    static Cli.Invocation run(Path image, String... pluginAndOptions) {
        List<String> args = new ArrayList<>(List.of("-f", image.toString(), "--no-hash", "-q"));
        args.addAll(List.of(pluginAndOptions));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String text(JsonNode cell) {
        return cell.isObject() ? NA : cell.asText();
    }

    private static Set<String> rows(List<JsonNode> rows, String... columns) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            StringBuilder b = new StringBuilder();
            for (String c : columns) {
                b.append(b.isEmpty() ? "" : "|").append(text(r.get(c)));
            }
            out.add(b.toString());
        }
        return out;
    }

    static Set<String> expectedEntries(RootkitTruth t) {
        Set<String> out = new HashSet<>();
        for (RootkitTruth.LoaderEntry e : t.loaderEntries()) {
            out.add(String.join("|", hex(e.physical()), hex(e.address()), hex(e.base()), String.valueOf(e.size()),
                    e.name(), e.path(), String.valueOf(!e.listed())));
        }
        return out;
    }

    static Set<String> expectedDrivers(RootkitTruth t) {
        Set<String> out = new HashSet<>();
        for (RootkitTruth.Driver d : t.drivers()) {
            String module = t.loaderEntries().stream().filter(e -> e.listed() && d.start() >= e.base() && d.start()
                    < e.base() + e.size()).map(RootkitTruth.LoaderEntry::name).findFirst().orElse(NA);
            out.add(String.join("|", hex(d.physical()), d.serviceKey() != null ? hex(d.address()) : NA, d.name(), hex(
                    d.start()), String.valueOf(d.size()), d.serviceKey() != null ? d.serviceKey() : NA, module, String
                            .valueOf(module.equals(NA))));
        }
        return out;
    }

    static Set<String> expectedServices(RootkitTruth t) {
        Set<String> out = new HashSet<>();
        for (RootkitTruth.Service s : t.serviceTable().services()) {
            // a routine in a driver hidden from PsLoadedModuleList has no listed owner
            String owner = t.loaderEntries().stream().anyMatch(e -> e.listed() && e.name().equals(s.owner())) ? s
                    .owner() : NA;
            out.add(String.join("|", String.valueOf(s.index()), hex(s.target()), owner, String.valueOf(s
                    .stackArguments()), String.valueOf(s.hooked())));
        }
        return out;
    }

    private static final String[] MODSCAN = {"Offset(P)", "Offset(V)", "Base", "Size", "Name", "Path",
        "NotOnModuleList"};
    private static final String[] DRIVERSCAN = {"Offset(P)", "Offset(V)", "DriverName", "Start", "Size", "ServiceKey",
        "Module", "StartOutsideModules"};
    private static final String[] SSDT = {"Index", "Address", "Module", "StackArguments", "Hooked"};

    /** Compares the JSON rows with the truth and checks text and CSV show as many rows under the same header. */
    private static List<JsonNode> wholeResult(ImageSynthesizer.Output image, String plugin, String[] columns,
            Set<String> expected) {
        List<JsonNode> rows = JsonLines.parse(run(image, plugin, "-r", "json").out());
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, rows(rows, columns));
        assertEquals(rows.size() + 1, run(image, plugin).out().split("\n").length);
        String[] csv = run(image, plugin, "-r", "csv").out().split("\r?\n");
        assertEquals("Depth," + String.join(",", columns), csv[0]);
        assertEquals(rows.size() + 1, csv.length);
        return rows;
    }

    private static long flagged(List<JsonNode> rows, String column) {
        return rows.stream().filter(r -> r.get(column).asBoolean()).count();
    }

    @Test
    public void modscanListsEveryLoaderEntryWithTheRogueOneFlagged() {
        RootkitTruth t = image(true).truth().rootkit();
        assertTrue(t.loaderEntries().stream().anyMatch(e -> e.planted() && !e.listed()));
        List<JsonNode> rows = wholeResult(image(true), "windows.modscan", MODSCAN, expectedEntries(t));
        assertEquals(1, flagged(rows, "NotOnModuleList"));
    }

    @Test
    public void driverscanListsEveryDriverObjectWithTheRogueOneFlagged() {
        RootkitTruth t = image(true).truth().rootkit();
        assertEquals(t.skipped(), null, t.skipped());
        assertTrue(t.drivers().size() >= 5);
        List<JsonNode> rows = wholeResult(image(true), "windows.driverscan", DRIVERSCAN, expectedDrivers(t));
        assertEquals(1, flagged(rows, "StartOutsideModules"));
    }

    @Test
    public void ssdtListsEveryServiceWithItsOwnerAndExactlyTheHookedOneFlagged() {
        SynthTruth truth = image(true).truth();
        RootkitTruth t = truth.rootkit();
        assertEquals(1, t.serviceTable().services().stream().filter(RootkitTruth.Service::hooked).count());
        Cli.Invocation o = run(image(true), "windows.ssdt", "-r", "json");
        List<JsonNode> rows = wholeResult(image(true), "windows.ssdt", SSDT, expectedServices(t));
        assertEquals(1, flagged(rows, "Hooked"));
        assertTrue(t.serviceTable().services().size() > 400);
        // the installed 26100 profile has no symbols: the descriptor is found by KiSystemServiceRepeat's code
        String foundBy = build == 26100 ? "KiSystemServiceRepeat's lea r10 at " + hex(t.serviceTable().signature())
                : "the profile's symbol KeServiceDescriptorTable";
        assertTrue(o.err(), o.err().contains("at " + hex(t.serviceTable().descriptor()) + ", found by " + foundBy));
        RootkitTruth.Service hooked = t.serviceTable().services().stream().filter(RootkitTruth.Service::hooked)
                .findFirst().orElseThrow();
        List<String> warnings = o.err().lines().filter(l -> l.contains("warning")).toList();
        assertEquals(o.err(), 1, warnings.size());
        assertTrue(o.err(), warnings.get(0).contains("KiServiceTable at " + hex(t.serviceTable().table()) + " entry "
                + hooked.index() + " ") && warnings.get(0).contains("leads to " + hex(hooked.target())
                        + ", in no module on PsLoadedModuleList"));
    }

    @Test
    public void withoutPlantsNothingIsFlagged() {
        ImageSynthesizer.Output clean = image(false);
        RootkitTruth t = clean.truth().rootkit();
        assertTrue(t.loaderEntries().stream().allMatch(e -> e.listed() && !e.planted()));
        assertTrue(t.drivers().stream().noneMatch(RootkitTruth.Driver::planted));
        assertTrue(t.serviceTable().services().stream().noneMatch(RootkitTruth.Service::hooked));
        Function<String, List<JsonNode>> json = plugin -> JsonLines.parse(run(clean, plugin, "-r", "json").out());
        assertEquals(expectedEntries(t), rows(json.apply("windows.modscan"), MODSCAN));
        assertEquals(expectedDrivers(t), rows(json.apply("windows.driverscan"), DRIVERSCAN));
        assertEquals(expectedServices(t), rows(json.apply("windows.ssdt"), SSDT));
        assertEquals(0, flagged(json.apply("windows.modscan"), "NotOnModuleList"));
        assertEquals(0, flagged(json.apply("windows.driverscan"), "StartOutsideModules"));
        assertEquals(0, flagged(json.apply("windows.ssdt"), "Hooked"));
        Cli.Invocation ssdt = run(clean, "windows.ssdt", "-r", "json");
        assertFalse(ssdt.err(), ssdt.err().contains("warning"));
    }

    @Test
    public void theSynthesizedSymbolTableExportsTheDescriptorTable() throws IOException {
        assumeTrue("one layout with the kernel's symbols and one without suffice", build == 19041 || build == 26100);
        ImageSynthesizer.Output image = image(true);
        Profile isf = IsfReader.read(image.isf());
        long base = image.truth().kernelBase();
        assertEquals(image.truth().rootkit().serviceTable().descriptor(), base + isf.symbol("KeServiceDescriptorTable")
                .orElseThrow());
        assertEquals(image.truth().rootkit().serviceTable().table(), base + isf.symbol("KiServiceTable").orElseThrow());
    }
}
