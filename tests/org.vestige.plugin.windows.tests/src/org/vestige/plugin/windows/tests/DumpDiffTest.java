package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.ProcDumpWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.dumpdiff} on a synthetic image whose notepad.exe has .text pages paged out to
 * pagefile.sys, against the synthesizer's ProcDump-style minidump of notepad's true memory: without the
 * pagefile exactly the truth's paged-out pages are missing from the image and the rest of .text matches;
 * with it everything matches; a byte changed in the minidump is reported on its page.
 */
public class DumpDiffTest {

    static final String PROFILE = "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1";

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static ImageSynthesizer.Output image;
    static SynthTruth.Process notepad;
    static ProcDumpWriter.Dump procdump;

    @BeforeClass
    public static void synthesize() throws IOException {
        ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(PROFILE))
                .findFirst().orElseThrow(() -> new AssertionError("no installed profile " + PROFILE));
        ImageSynthesizer synth = new ImageSynthesizer(d.load(), SynthOptions.builder().seed(57).windowsBuild(19041).build());
        Path dir = tmp.newFolder("img").toPath();
        image = synth.synthesize(dir);
        notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
        procdump = synth.procDump(notepad.pid(), dir.resolve("notepad.exe_" + notepad.pid() + ".dmp"));
    }

    static Cli.Invocation dumpdiff(Path minidump, boolean pagefile) {
        List<String> args = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q"));
        if (pagefile) {
            args.addAll(List.of("--pagefile", image.pagefile().toString()));
        }
        args.addAll(List.of("windows.dumpdiff", "--pid", Long.toString(notepad.pid()), "--minidump", minidump
                .toString(), "-r", "json"));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    static JsonNode module(List<JsonNode> rows, String name) {
        return rows.stream().filter(r -> r.get("Module").asText().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no row for " + name));
    }

    static JsonNode section(JsonNode module, String name) {
        for (JsonNode s : module.get("__children")) {
            if (s.get("Section").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no section " + name);
    }

    static List<JsonNode> pages(JsonNode section) {
        List<JsonNode> out = new ArrayList<>();
        if (section.has("__children")) {
            section.get("__children").forEach(out::add);
        }
        return out;
    }

    static Set<String> hex(List<Long> vas) {
        return vas.stream().map(v -> "0x" + Long.toHexString(v)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    public void withoutThePagefileExactlyThePagedOutTextPagesAreMissingFromTheImage() throws Exception {
        List<ProcDumpWriter.SectionPage> text = procdump.imagePages().stream().filter(p -> p.section().equals(".text"))
                .toList();
        List<ProcDumpWriter.SectionPage> paged = text.stream().filter(ProcDumpWriter.SectionPage::inPagefile).toList();
        assertFalse("the synthesizer pages part of notepad's .text out", paged.isEmpty());

        List<JsonNode> rows = JsonLines.parse(dumpdiff(procdump.file(), false).out());
        JsonNode textRow = section(module(rows, "notepad.exe"), ".text");
        assertEquals(text.size(), textRow.get("Size").asLong() / 4096);
        assertEquals(paged.size(), textRow.get("MissingInImage").asLong());
        assertEquals(text.size() - paged.size(), textRow.get("Matching").asLong());
        assertEquals(0, textRow.get("Differing").asLong());
        assertEquals(0, textRow.get("MissingInDump").asLong());
        assertEquals(0, textRow.get("MissingInBoth").asLong());
        List<JsonNode> listed = pages(textRow);
        assertEquals(hex(paged.stream().map(ProcDumpWriter.SectionPage::va).toList()), listed.stream().map(p -> p.get(
                "Address").asText()).collect(Collectors.toCollection(TreeSet::new)));
        for (JsonNode p : listed) {
            assertEquals("missing from image", p.get("Status").asText());
            assertEquals("present", p.get("Dump").asText());
            ProcDumpWriter.SectionPage truth = paged.stream().filter(t -> ("0x" + Long.toHexString(t.va())).equals(p
                    .get("Address").asText())).findFirst().orElseThrow();
            String reason = p.get("Image").get("reason").asText();
            assertTrue(reason, reason.contains("pagefile.sys (slot 0) at offset 0x" + Long.toHexString(truth
                    .fileOffset())));
        }
        // the other sections of the executable have no page in pagefile.sys: all of them match
        for (String s : List.of("(headers)", ".rdata", ".data")) {
            JsonNode row = section(module(rows, "notepad.exe"), s);
            assertEquals(s, row.get("Size").asLong() / 4096, row.get("Matching").asLong());
        }
    }

    @Test
    public void withThePagefileEverythingInTheExecutableMatches() throws Exception {
        List<JsonNode> rows = JsonLines.parse(dumpdiff(procdump.file(), true).out());
        JsonNode exe = module(rows, "notepad.exe");
        assertEquals(procdump.imagePages().size(), exe.get("Matching").asLong());
        for (String c : List.of("Differing", "MissingInImage", "MissingInDump", "MissingInBoth")) {
            assertEquals(c, 0, exe.get(c).asLong());
        }
        assertEquals(4, exe.get("__children").size());
        for (JsonNode s : exe.get("__children")) {
            assertTrue(s.toString(), pages(s).isEmpty());
        }
    }

    @Test
    public void aChangedByteIsReportedOnItsPage() throws Exception {
        ProcDumpWriter.SectionPage target = procdump.imagePages().stream().filter(p -> p.section().equals(".text")
                && p.kind().equals("ram")).findFirst().orElseThrow();
        Path copy = tmp.getRoot().toPath().resolve("altered.dmp");
        Files.copy(procdump.file(), copy);
        long offset;
        try (Minidump m = Minidump.open(procdump.file())) {
            MemoryRange r = m.memoryRanges().stream().filter(x -> x.contains(target.va() + 0x123)).findFirst()
                    .orElseThrow();
            offset = r.fileOffset() + (target.va() + 0x123 - r.base());
        }
        try (FileChannel c = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            c.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            c.write(b, offset);
        }
        List<JsonNode> rows = JsonLines.parse(dumpdiff(copy, true).out());
        JsonNode textRow = section(module(rows, "notepad.exe"), ".text");
        assertEquals(1, textRow.get("Differing").asLong());
        List<JsonNode> listed = pages(textRow);
        assertEquals(1, listed.size());
        JsonNode page = listed.get(0);
        assertEquals("0x" + Long.toHexString(target.va()), page.get("Address").asText());
        assertEquals("differs", page.get("Status").asText());
        assertEquals("ram", page.get("Image").get("kind").asText());
        assertEquals("present; 1 byte(s) differ, the first at +0x123", page.get("Dump").asText());
    }

    @Test
    public void theProcDumpHoldsTheTrueMemoryOfTheExecutable() throws Exception {
        try (Minidump m = Minidump.open(procdump.file())) {
            assertEquals(notepad.pid(), m.miscInfo().orElseThrow().processId().orElseThrow());
            assertEquals(notepad.modules().stream().map(SynthTruth.Module::path).toList(), m.modules().stream().map(
                    x -> x.name()).toList());
            for (ProcDumpWriter.SectionPage p : procdump.imagePages()) {
                byte[] b = m.memory().readBytes(p.va(), 4096);
                assertEquals("0x" + Long.toHexString(p.va()), p.sha256(), sha256(b));
            }
        }
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
