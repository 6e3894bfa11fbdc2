package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.MarkerTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.yarascan} and {@code windows.vadyarascan} through libyara on every synthesized build: the
 * marker the synthesizer placed in a resident page, across two pages in pagefile.sys and in the compressed store
 * (pagefile.sys again where the build has no store) is found exactly at its three copies with the pagefile and
 * the store, each with the source of its page, and only at the resident copy without them, the pages that
 * could not be read listed with their typed cause; a physical scan finds the resident copy at its frame; the
 * result renders in JSON, text and CSV; a rule that does not compile, and a rule file that does not exist, are
 * usage errors naming what is wrong.
 */
@RunWith(Parameterized.class)
public class YaraScanTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final List<String> ANALYSES = List.of("windows.yarascan", "windows.vadyarascan");

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final MarkerTruth markers;

    public YaraScanTest(int build, String profileId) {
        this.build = build;
        SynthOptions.Builder options = SynthOptions.builder().seed(61).windowsBuild(build);
        if (build >= 14393) {
            options.compressedStore(SynthOptions.CompressedStore.INTACT);
        }
        this.image = SynthesizedImages.installed(profileId, options.build());
        this.markers = image.truth().markers();
    }

    private String rule() {
        return "rule vestige_marker { strings: $marker = \"" + markers.marker() + "\" condition: $marker }";
    }

    private AnalysisResult run(String analysis, boolean backingStores, String... options) throws Exception {
        Extensions ext = Extensions.fromPlatform();
        PluginDescriptor d = ext.plugin(analysis).orElseThrow();
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("rule", List.of(rule()));
        for (int i = 0; i < options.length; i += 2) {
            given.put(options[i], List.of(options[i + 1]));
        }
        List<PagefileSpec> pagefiles = backingStores ? List.of(new PagefileSpec(-1, image.pagefile())) : List.of();
        try (EvidenceCase c = EvidenceCase.open(image.image(), pagefiles, ext.formats(), false,
                new NullProgressMonitor()); AnalysisSession session = new AnalysisSession(c, ext, SessionSettings
                        .builder(tmp.newFolder().toPath()).disableStores(backingStores ? Set.of() : Set.of(
                                "compressed")).build())) {
            return session.run(d.info(), d.create(), Options.parse(d.info(), given), new NullProgressMonitor());
        }
    }

    private static Object cell(ResultTable table, Row row, String column) {
        return row.cell(table.columns().indexOf(table.columns().stream().filter(c -> c.name().equals(column))
                .findFirst().orElseThrow()));
    }

    /** The match rows (rule present) as comparable lines. */
    private static Set<String> matches(AnalysisResult result) {
        ResultTable t = result.table();
        Set<String> out = new HashSet<>();
        for (Row r : t.rows()) {
            if (cell(t, r, "Rule") instanceof String rule) {
                List<Object> cells = new ArrayList<>();
                for (String c : List.of("PID", "Process", "Address", "Length", "String", "Data")) {
                    cells.add(cell(t, r, c));
                }
                cells.add(rule);
                cells.add(place((PageProvenance) cell(t, r, "Source")));
                if (t.columns().stream().anyMatch(c -> c.name().equals("VadStart"))) {
                    cells.add(cell(t, r, "VadStart") + "-" + cell(t, r, "VadEnd"));
                }
                out.add(cells.toString());
            }
        }
        return out;
    }

    /** Where a page lies, as the truth says it. */
    private static String place(PageProvenance p) {
        return switch (p) {
            case PageProvenance.Physical ph -> MarkerTruth.RESIDENT + "@" + ph.physicalAddress();
            case PageProvenance.Pagefile f -> MarkerTruth.PAGEFILE + "@" + f.offset();
            case PageProvenance.Compressed c -> MarkerTruth.COMPRESSED;
            default -> p.toString();
        };
    }

    private Set<String> expected(List<MarkerTruth.Copy> copies, boolean vads) {
        byte[] text = markers.marker().getBytes(StandardCharsets.US_ASCII);
        String data = HexFormat.of().formatHex(text, 0, Math.min(32, text.length)) + (text.length > 32 ? "…" : "");
        Set<String> out = new HashSet<>();
        for (MarkerTruth.Copy c : copies) {
            List<Object> cells = new ArrayList<>(List.of(c.pid(), c.process(), c.va(), (long) text.length,
                    "$marker", data, "vestige_marker", switch (c.where()) {
                        case MarkerTruth.RESIDENT -> MarkerTruth.RESIDENT + "@" + c.physical();
                        case MarkerTruth.PAGEFILE -> MarkerTruth.PAGEFILE + "@" + c.fileOffset();
                        default -> c.where();
                    }));
            if (vads) {
                cells.add(markers.vadStart() + "-" + markers.vadEnd());
            }
            out.add(cells.toString());
        }
        return out;
    }

    @Test
    public void theMarkerIsFoundAtEachOfItsThreeCopiesWithThePagefileAndTheStore() throws Exception {
        assertEquals(3, markers.copies().size());
        assertEquals(build >= 14393, markers.copies().stream().anyMatch(c -> c.where().equals(
                MarkerTruth.COMPRESSED)));
        assertTrue(markers.copies().stream().anyMatch(MarkerTruth.Copy::straddles));
        for (String analysis : ANALYSES) {
            AnalysisResult r = run(analysis, true);
            assertEquals(analysis, expected(markers.copies(), analysis.equals("windows.vadyarascan")), matches(r));
        }
    }

    @Test
    public void withoutThemOnlyTheResidentCopyIsFoundAndTheOthersPagesAreListedWithTheirCause() throws Exception {
        List<MarkerTruth.Copy> resident = markers.copies().stream().filter(c -> c.where().equals(
                MarkerTruth.RESIDENT)).toList();
        assertEquals(1, resident.size());
        for (String analysis : ANALYSES) {
            AnalysisResult r = run(analysis, false);
            assertEquals(analysis, expected(resident, analysis.equals("windows.vadyarascan")), matches(r));
            ResultTable t = r.table();
            for (MarkerTruth.Copy c : markers.copies()) {
                if (c.where().equals(MarkerTruth.RESIDENT)) {
                    continue;
                }
                long end = c.straddles() ? (c.va() | 0xfff) + 0x1000 : c.va();
                boolean named = t.rows().stream().anyMatch(row -> !(cell(t, row, "Rule") instanceof String)
                        && (Long) cell(t, row, "PID") == c.pid() && covers(row, t, c.va(), end) && cell(t, row,
                                "Source") instanceof PageProvenance.Missing m && (c.where().equals(
                                        MarkerTruth.PAGEFILE) ? m.cause() instanceof MissingCause.PagedOut p && p
                                                .slot() == 0 : m.cause() instanceof MissingCause.StoreUnavailable));
                assertTrue(analysis + ": no unread range with the cause covers 0x" + Long.toHexString(c.va()), named);
            }
        }
    }

    private static boolean covers(Row row, ResultTable t, long from, long to) {
        long address = (Long) cell(t, row, "Address");
        long length = (Long) cell(t, row, "Length");
        return address <= from && to < address + length;
    }

    @Test
    public void aPhysicalScanFindsTheResidentCopyAtItsFrame() throws Exception {
        MarkerTruth.Copy resident = markers.copies().stream().filter(c -> c.where().equals(MarkerTruth.RESIDENT))
                .findFirst().orElseThrow();
        AnalysisResult r = run("windows.yarascan", true, "space", "physical");
        ResultTable t = r.table();
        List<Long> found = t.rows().stream().filter(row -> cell(t, row, "Rule") instanceof String).map(row -> (Long) cell(
                t, row, "Address")).toList();
        assertEquals(List.of(resident.physical()), found);
    }

    @Test
    public void aKernelScanFindsTheKernelsPdbNameInItsImage() throws Exception {
        assumeTrue("the kernel's address space is walked the same on every build: checked on 19041", build == 19041);
        String pdb = image.truth().pdbName();
        Extensions ext = Extensions.fromPlatform();
        PluginDescriptor d = ext.plugin("windows.yarascan").orElseThrow();
        Map<String, List<String>> given = Map.of("rule", List.of("rule pdb { strings: $p = \"" + pdb
                + "\" condition: $p }"), "space", List.of("kernel"));
        try (EvidenceCase c = EvidenceCase.open(image.image(), List.of(), ext.formats(), false,
                new NullProgressMonitor()); AnalysisSession session = new AnalysisSession(c, ext, SessionSettings
                        .writingTo(tmp.newFolder().toPath()))) {
            ResultTable t = session.run(d.info(), d.create(), Options.parse(d.info(), given), new NullProgressMonitor())
                    .table();
            long base = image.truth().kernelBase();
            long inImage = t.rows().stream().filter(row -> "pdb".equals(cell(t, row, "Rule"))).map(row -> (Long) cell(
                    t, row, "Address")).filter(a -> Long.compareUnsigned(a, base) >= 0 && Long.compareUnsigned(a, base
                            + image.truth().kernelSize()) < 0).count();
            assertTrue("no match of " + pdb + " in the kernel image", inImage >= 1);
            assertTrue(t.rows().stream().filter(row -> "pdb".equals(cell(t, row, "Rule"))).allMatch(row -> cell(t, row,
                    "Process").equals("(kernel memory)") && Long.compareUnsigned((Long) cell(t, row, "Address"),
                            0xFFFF800000000000L) >= 0));
        }
    }

    @Test
    public void theResultRendersInJsonTextAndCsv() {
        assumeTrue("rendering is the same on every build: checked on 19041", build == 19041);
        for (String analysis : ANALYSES) {
            List<JsonNode> rows = JsonLines.parse(cli(0, "--pagefile", image.pagefile().toString(), analysis,
                    "--rule", rule(), "-r", "json").out());
            Set<String> addresses = new HashSet<>();
            rows.stream().filter(row -> row.get("Rule").isTextual()).forEach(row -> addresses.add(row.get("Address")
                    .asText()));
            Set<String> truth = new HashSet<>();
            markers.copies().forEach(c -> truth.add("0x" + Long.toHexString(c.va())));
            assertEquals(analysis, truth, addresses);
            String text = cli(0, "--pagefile", image.pagefile().toString(), analysis, "--rule", rule()).out();
            assertEquals(text, rows.size() + 1, text.split("\n").length);
            String[] csv = cli(0, "--pagefile", image.pagefile().toString(), analysis, "--rule", rule(), "-r", "csv")
                    .out().split("\r?\n");
            assertEquals(rows.size() + 1, csv.length);
            assertTrue(csv[0], csv[0].contains("Address,Length,Rule,String,Data,Source"));
        }
    }

    @Test
    public void aRuleThatDoesNotCompileOrAMissingRuleFileIsAUsageError() throws Exception {
        assumeTrue("usage errors do not depend on the build: checked on 19041", build == 19041);
        String bad = "rule broken {\n  strings:\n    $a = \"abc\" widee\n  condition:\n    $a\n}";
        for (String analysis : ANALYSES) {
            Cli.Invocation o = cli(2, analysis, "--rule", bad);
            assertTrue(o.err(), o.err().contains("--rule line 3: syntax error"));
            Path missing = tmp.getRoot().toPath().resolve("no-such-rules.yar");
            o = cli(2, analysis, "--rules", missing.toString());
            assertTrue(o.err(), o.err().contains("no such file") && o.err().contains(missing.toString()));
            Path file = tmp.newFile().toPath();
            Files.writeString(file, "rule from_file {\n  strings:\n    $a = { 41 42\n  condition:\n    $a\n}\n");
            o = cli(2, analysis, "--rules", file.toString());
            assertTrue(o.err(), o.err().contains(file + " line 3: "));
        }
    }

    private Cli.Invocation cli(int exitCode, String... args) {
        String[] all = new String[4 + args.length];
        System.arraycopy(new String[] {"-f", image.image().toString(), "--no-hash", "-q"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(all);
        assertEquals(o.err(), exitCode, o.exitCode());
        return o;
    }
}
