package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.plugin.windows.Malfind;
import org.vestige.cli.Cli;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.MalfindTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.X64Disassembler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.malfind} and {@code windows.hollowprocesses} through the vestige command on every synthesized
 * build, with the compressed store where the build has one: the whole result against the synthesizer's truth —
 * exactly the planted executable private regions (the injected PE resident and in the store or pagefile.sys,
 * the region a planted thread starts in, the hollowed svchost.exe's image range) with their first bytes,
 * disassembly and page sources, and exactly the hollowed and masquerading processes. Without the store (or
 * the paging file) the stored copy is still listed, its bytes missing with the typed cause.
 */
@RunWith(Parameterized.class)
public class InjectedCodeTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;
    /** whether the stored copy is in the compressed store (else in pagefile.sys) */
    private final boolean store;

    public InjectedCodeTest(int build, String profileId) {
        this.build = build;
        this.store = build >= 14393;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .compressedStore(store ? SynthOptions.CompressedStore.INTACT : SynthOptions.CompressedStore.NONE)
                .build());
        this.truth = image.truth();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The analysis' label for each placement the truth records, when every store answers. */
    static final Map<String, String> LABELS = Map.of("ram", "ram", "compressed", "compressed", "pagefile",
            "pagefile", "none", "missing: not mapped");

    /** @return the Pages cell malfind gives for a region: each source with its count, in order of first occurrence */
    static String pages(MalfindTruth.Region r, Map<String, String> labels) {
        Map<String, Long> counts = new LinkedHashMap<>();
        r.pages().forEach(k -> counts.merge(labels.get(k), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Every planted region as a row of windows.malfind shows it. */
    static Set<String> expectedRegions(SynthTruth truth, Map<String, String> labels) {
        Set<String> out = new HashSet<>();
        for (MalfindTruth.Region r : truth.malfind().regions()) {
            String first = labels.get(r.pages().get(0));
            boolean readable = !first.startsWith("missing");
            out.add(String.join("|", String.valueOf(r.pid()), r.process(), hex(r.start()), hex(r.end()),
                    "PAGE_EXECUTE_READWRITE", "VadS", String.valueOf(r.commitCharge()), readable ? String.valueOf(r
                            .peHeader()) : "unavailable", first.startsWith("missing") ? "missing" : first, pages(r,
                                    labels), readable ? r.firstBytes() : "unavailable"));
        }
        return out;
    }

    static Set<String> actualRegions(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            if (!r.get("Kind").asText().equals("private")) {
                continue;
            }
            out.add(String.join("|", r.get("PID").asText(), r.get("Process").asText(), r.get("Start").asText(), r.get(
                    "End").asText(), r.get("Protection").asText(), r.get("Tag").asText(), r.get("CommitCharge")
                            .asText(), cell(r.get("PE")), r.get("FirstPage").get("kind").asText(), r.get("Pages")
                                    .asText(), cell(r.get("Hex"))));
        }
        return out;
    }

    /** Every planted changed image page as a row of windows.malfind shows it. */
    static Set<String> expectedPatches(SynthTruth truth) {
        return truth.malfind().patches().stream().map(p -> String.join("|", String.valueOf(p.pid()), p.process(),
                hex(p.start()), hex(p.end()), "PAGE_EXECUTE_WRITECOPY", "false", "ram", "ram 1", p.module() + " " + p
                        .section(), hex(p.address()), p.bytes())).collect(Collectors.toSet());
    }

    static Set<String> actualPatches(List<JsonNode> rows) {
        return rows.stream().filter(r -> r.get("Kind").asText().equals("modified image")).map(r -> String.join("|", r
                .get("PID").asText(), r.get("Process").asText(), r.get("Start").asText(), r.get("End").asText(), r.get(
                        "Protection").asText(), r.get("PE").asText(), r.get("FirstPage").get("kind").asText(), r.get(
                                "Pages").asText(), r.get("Module").asText(), r.get("Address").asText(), r.get("Hex")
                                        .asText())).collect(Collectors.toSet());
    }

    private static String cell(JsonNode n) {
        return n.isObject() ? "unavailable" : n.asText();
    }

    static Cli.Invocation run(Path image, String... args) {
        return ThreadAnalysesTest.run(image, args);
    }

    private String[] withPagefile(String... args) {
        List<String> all = new ArrayList<>(List.of("--pagefile", image.pagefile().toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    public void malfindGivesExactlyThePlantedRegionsWithTheirPageSourcesAndDisassembly() {
        assertTrue(X64Disassembler.get().unavailableReason(), X64Disassembler.get().available());
        List<MalfindTruth.Region> planted = truth.malfind().regions();
        // explorer.exe: the thread's region and the two injected copies; svchost.exe: the hollowed image range
        assertEquals(4, planted.size());
        assertEquals(1, planted.stream().filter(r -> r.pages().contains(store ? "compressed" : "pagefile")).count());
        Cli.Invocation o = run(image.image(), withPagefile("windows.malfind", "-r", "json"));
        assertTrue(o.err(), o.err().isBlank());
        List<JsonNode> rows = JsonLines.parse(o.out());
        // explorer.exe: the inline hook in its image's first .text page
        assertEquals(1, truth.malfind().patches().size());
        assertEquals(planted.size() + 1, rows.size());
        assertEquals(expectedRegions(truth, LABELS), actualRegions(rows));
        assertEquals(expectedPatches(truth), actualPatches(rows));
        for (JsonNode r : rows) {
            String code = r.get("Disassembly").asText();
            assertTrue(r.toString(), code.startsWith(r.get("Address").asText() + ": "));
            if (r.get("Kind").asText().equals("modified image")) {
                // mov rax, imm64 (Capstone names the 64-bit immediate form movabs); jmp rax
                assertTrue(r.toString(), code.contains("movabs rax, ") && code.contains("jmp rax"));
                continue;
            }
            // "MZ" is a REX.WB prefix and pop rdx: pop r10 (Intel SDM vol. 2, POP and REX prefixes)
            assertEquals(r.toString(), r.get("PE").asBoolean(), code.startsWith(r.get("Start").asText() + ": pop r10"));
        }
        String text = run(image.image(), withPagefile("windows.malfind")).out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        String[] csv = run(image.image(), withPagefile("windows.malfind", "-r", "csv")).out().split("\r?\n");
        assertEquals("Depth,PID,Process,Kind,Start,End,Protection,Tag,CommitCharge,PE,FirstPage,Pages,Module,Address,"
                + "Hex,Disassembly", csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void theStoredCopyIsListedWithItsTypedCauseWhenItsStoreIsNotRead() throws Exception {
        MalfindTruth.Region stored = truth.malfind().regions().stream().filter(r -> r.pages().contains(store
                ? "compressed" : "pagefile")).findFirst().orElseThrow();
        Extensions ext = Extensions.fromPlatform();
        PluginDescriptor d = ext.plugin("windows.malfind").orElseThrow();
        AnalysisResult result;
        // with the store switched off (the CLI's --no-compressed-store), or without pagefile.sys
        try (EvidenceCase c = EvidenceCase.open(image.image(), store ? List.of(PagefileSpec.parse(image.pagefile()
                .toString())) : List.of(), ext.formats(), false, new NullProgressMonitor());
                AnalysisSession session = new AnalysisSession(c, ext, SessionSettings.builder(tmp.getRoot().toPath())
                        .disableStores(store ? Set.of("compressed") : Set.of()).build())) {
            result = session.run(d.info(), d.create(), Options.parse(d.info(), Map.of()), new NullProgressMonitor());
        }
        assertEquals(truth.malfind().regions().size() + truth.malfind().patches().size(), result.table().rows().size());
        // notepad.exe's own copies of .text pages sit in the store (or pagefile.sys) unread: not compared, and said
        String notepad = result.diagnostics().stream().map(Object::toString).filter(l -> l.contains("notepad.exe")
                && l.contains("not compared with the image")).findFirst().orElseThrow(() -> new AssertionError(result
                        .diagnostics().toString()));
        assertTrue(notepad, notepad.startsWith("info: ") && notepad.contains(".text"));
        Row row = result.table().rows().stream().filter(r -> r.get(Malfind.START) == stored.start()).findFirst()
                .orElseThrow();
        String missing = store ? "missing: store compressed disabled" : "missing: paged out to page-file 0";
        assertEquals(missing + " " + stored.pages().size(), row.get(Malfind.PAGES));
        for (var column : List.of(Malfind.HEX, Malfind.DISASSEMBLY, Malfind.PE)) {
            Unavailable u = (Unavailable) row.cell(column);
            if (store) {
                assertTrue(u.toString(), u.cause() instanceof MissingCause.StoreUnavailable s && s.disabled()
                        && s.store().equals("compressed"));
            } else {
                assertTrue(u.toString(), u.cause() instanceof MissingCause.PagedOut p && p.slot() == 0);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>(LABELS);
        labels.put(store ? "compressed" : "pagefile", missing);
        assertEquals(expectedRegions(truth, labels), actualRegions(JsonLines.parse(run(image.image(), store
                ? withPagefile("--no-compressed-store", "windows.malfind", "-r", "json")
                : new String[] {"windows.malfind", "-r", "json"}).out())));
    }

    @Test
    public void hollowprocessesGivesExactlyTheHollowedAndMasqueradingProcesses() {
        List<MalfindTruth.Hollowed> hollowed = truth.malfind().hollowed();
        // the svchost.exe whose image range is private memory, and the one whose image VAD maps another file
        assertEquals(2, hollowed.size());
        Set<String> expected = new HashSet<>();
        for (MalfindTruth.Hollowed h : hollowed) {
            SynthTruth.Process p = truth.processes().stream().filter(x -> x.pid() == h.pid()).findFirst()
                    .orElseThrow();
            boolean priv = h.kind().equals("private");
            expected.add(String.join("|", String.valueOf(h.pid()), h.process(), hex(h.imageBase()), p.imagePath(),
                    p.imagePath(), priv ? "private" : "image",
                    priv ? "PAGE_EXECUTE_READWRITE" : "PAGE_EXECUTE_WRITECOPY", priv ? "unavailable" : h.mappedFile(),
                    priv ? "the image base " + hex(h.imageBase()) + " lies in private memory (PAGE_EXECUTE_READWRITE),"
                            + " not in an image mapping" : "the image VAD maps " + h.mappedFile()
                                    + ", not the image path " + p.imagePath()));
        }
        Cli.Invocation o = run(image.image(), withPagefile("windows.hollowprocesses", "-r", "json"));
        assertTrue(o.err(), o.err().isBlank());
        Set<String> actual = new HashSet<>();
        for (JsonNode r : JsonLines.parse(o.out())) {
            actual.add(String.join("|", r.get("PID").asText(), r.get("Process").asText(), r.get("ImageBase").asText(),
                    r.get("ImagePath").asText(), r.get("LoaderPath").asText(), r.get("VadKind").asText(), r.get(
                            "Protection").asText(), cell(r.get("MappedFile")), r.get("Signs").asText()));
        }
        assertEquals(expected, actual);
        String[] csv = run(image.image(), "windows.hollowprocesses", "-r", "csv").out().split("\r?\n");
        assertEquals(hollowed.size() + 1, csv.length);
    }
}
