package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.Layer;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.layer.crashdump.MinidumpWriter;
import org.vestige.layer.crashdump.ProcessorArchitecture;
import org.vestige.layer.crashdump.SystemInfo;
import org.vestige.windows.WindowsKernel;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.windows.WinProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The process analyses on user-mode minidumps through the vestige command: pslist, dlllist, memmap
 * and strings on the real dumps of the test data, checked against the minidump parser and the dumps'
 * documented facts; procdump of notepad.exe from a minidump written out of a synthesized image's
 * process, byte for byte against the synthesizer's truth, and with a page left out of the dump; and
 * the kernel analyses refusing such a minidump with the reason.
 */
public class MinidumpAnalysesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final String WIN10 = "minidump/invalid-parameter.dmp";
    private static final String XP = "minidump/test.dmp";

    private static Cli.Invocation vestige(Path evidence, String... rest) {
        List<String> args = new ArrayList<>(List.of("-f", evidence.toString(), "--no-hash", "-q"));
        args.addAll(List.of(rest));
        return WindowsAnalysesTest.vestige(args.toArray(String[]::new));
    }

    private static List<JsonNode> rows(Path evidence, String... rest) throws IOException {
        List<String> args = new ArrayList<>(List.of(rest));
        args.addAll(List.of("-r", "json"));
        Cli.Invocation o = vestige(evidence, args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        return JsonLines.parse(o.out());
    }

    private static String unavailable(JsonNode cell) {
        assertTrue(cell.toString(), cell.isObject());
        return cell.get("unavailable").asText();
    }

    private static long hex(JsonNode cell) {
        return Long.parseUnsignedLong(cell.asText().substring(2), 16);
    }

    @Test
    public void pslistShowsTheOneProcessAndWhyTheRestIsUnavailable() throws IOException {
        JsonNode win10 = single(rows(TestData.require(WIN10), "windows.pslist"));
        assertEquals(6256, win10.get("PID").asLong());
        assertEquals("CrashTest.exe", win10.get("ImageFileName").asText());
        assertEquals(6, win10.get("Threads").asLong());
        assertEquals("a minidump holds one process; its parent is not recorded", unavailable(win10.get("PPID")));
        assertTrue(unavailable(win10.get("Offset(V)")).contains("_EPROCESS"));
        assertTrue(win10.get("CreateTime").isTextual());

        JsonNode xp = single(rows(TestData.require(XP), "windows.pslist"));
        assertEquals(3932, xp.get("PID").asLong());
        assertEquals("test_app.exe", xp.get("ImageFileName").asText());
        assertEquals(2, xp.get("Threads").asLong());

        Cli.Invocation other = vestige(TestData.require(WIN10), "windows.pslist", "--pid", "4", "-r", "json");
        assertEquals(other.err(), 0, other.exitCode());
        assertTrue(other.out(), JsonLines.parse(other.out()).isEmpty());
        assertTrue(other.err(), other.err().contains("invalid-parameter.dmp is a user-mode minidump of PID 6256"));
    }

    private static JsonNode single(List<JsonNode> rows) {
        assertEquals(rows.toString(), 1, rows.size());
        return rows.get(0);
    }

    @Test
    public void dlllistIsTheModuleList() throws Exception {
        for (String name : List.of(WIN10, XP)) {
            Path path = TestData.require(name);
            List<JsonNode> rows = rows(path, "windows.dlllist");
            try (Minidump m = Minidump.open(path)) {
                assertEquals(m.modules().size(), rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    MinidumpModule expected = m.modules().get(i);
                    JsonNode r = rows.get(i);
                    assertEquals(m.miscInfo().orElseThrow().processId().orElseThrow(), r.get("PID").asLong());
                    assertEquals(expected.baseOfImage(), hex(r.get("Base")));
                    assertEquals(expected.sizeOfImage(), r.get("Size").asLong());
                    assertEquals(expected.baseName(), r.get("Name").asText());
                    assertEquals(expected.name(), r.get("Path").asText());
                    assertTrue(unavailable(r.get("LoadCount")).contains("load counts"));
                }
            }
        }
        List<JsonNode> win10 = rows(TestData.require(WIN10), "windows.dlllist");
        assertEquals(31, win10.size());
        assertEquals("CrashTest.exe", win10.get(0).get("Name").asText());
        assertEquals("0x7ff61bc80000", win10.get(0).get("Base").asText());
        List<String> names = win10.stream().map(r -> r.get("Name").asText()).toList();
        assertTrue(names.toString(), names.containsAll(List.of("ntdll.dll", "kernel32.dll", "KERNELBASE.dll",
                "dbghelp.dll")));
        List<JsonNode> xp = rows(TestData.require(XP), "windows.dlllist");
        assertEquals(13, xp.size());
        assertEquals("c:\\test_app.exe", xp.get(0).get("Path").asText());
        assertEquals("0x400000", xp.get(0).get("Base").asText());
        assertEquals(0x2d000, xp.get(0).get("Size").asLong());
        assertTrue(xp.stream().anyMatch(r -> r.get("Name").asText().equals("ntdll.dll") && r.get("Base").asText()
                .equals("0x7c900000")));
    }

    @Test
    public void memmapAccountsForEveryCapturedByteWithItsFileOffset() throws Exception {
        for (String name : List.of(WIN10, XP)) {
            Path path = TestData.require(name);
            List<JsonNode> rows = rows(path, "windows.memmap");
            try (Minidump m = Minidump.open(path)) {
                long captured = m.memoryRanges().stream().mapToLong(MemoryRange::size).sum();
                long listed = 0;
                for (JsonNode r : rows) {
                    if (r.get("Kind").asText().equals("evidence")) {
                        long va = hex(r.get("Virtual"));
                        long size = r.get("Size").asLong();
                        listed += size;
                        MemoryRange range = m.memoryRanges().stream().filter(x -> x.contains(va)).findFirst()
                                .orElseThrow(() -> new AssertionError(r.toString()));
                        assertTrue(r.toString(), va + size <= range.end());
                        assertEquals(r.toString(), range.fileOffset() + (va - range.base()), hex(r.get("Source")
                                .get("offset")));
                    } else {
                        assertEquals(r.toString(), "missing", r.get("Kind").asText());
                        assertTrue(r.toString(), r.get("Region").asText().startsWith("committed"));
                    }
                }
                assertEquals(name, captured, listed);
                // the stack of the thread that raised the exception is captured and lies in a listed stretch
                long sp = m.exception().orElseThrow().context().orElseThrow().stackPointer();
                JsonNode stack = rows.stream().filter(r -> r.get("Kind").asText().equals("evidence") && Long
                        .compareUnsigned(hex(r.get("Virtual")), sp) <= 0 && Long.compareUnsigned(sp - hex(r.get(
                                "Virtual")), r.get("Size").asLong()) < 0).findFirst().orElseThrow(() -> new AssertionError(
                                        name + ": no captured stretch holds the stack pointer"));
                assertTrue(stack.toString(), stack.get("Region").asText().contains("stack of thread " + m.exception()
                        .orElseThrow().threadId()));
            }
        }
    }

    @Test
    public void stringsReadBackFromTheDumpAtTheirAddressAndFileOffset() throws Exception {
        for (String name : List.of(WIN10, XP)) {
            Path path = TestData.require(name);
            byte[] file = Files.readAllBytes(path);
            List<JsonNode> rows = rows(path, "windows.strings", "--min-length", "6");
            assertFalse(name, rows.isEmpty());
            try (Minidump m = Minidump.open(path)) {
                for (JsonNode r : rows) {
                    String text = r.get("String").asText();
                    assertTrue(r.toString(), text.length() >= 6);
                    boolean wide = r.get("Encoding").asText().equals("utf-16le");
                    byte[] expected = text.getBytes(wide ? StandardCharsets.UTF_16LE : StandardCharsets.US_ASCII);
                    long va = hex(r.get("Address"));
                    assertArrayEquals(r.toString(), expected, m.memory().readBytes(va, expected.length));
                    int offset = (int) hex(r.get("Source").get("offset"));
                    byte[] inFile = java.util.Arrays.copyOfRange(file, offset, offset + expected.length);
                    assertArrayEquals(r.toString(), expected, inFile);
                    m.moduleAt(va).ifPresent(mod -> assertEquals(r.toString(), mod.baseName(), r.get("Region")
                            .asText()));
                }
            }
            List<JsonNode> ascii = rows(path, "windows.strings", "--min-length", "6", "--encoding", "ascii");
            assertTrue(ascii.stream().allMatch(r -> r.get("Encoding").asText().equals("ascii")));
            assertEquals(rows.stream().filter(r -> r.get("Encoding").asText().equals("ascii")).count(), ascii.size());
            List<JsonNode> limited = rows(path, "windows.strings", "--min-length", "6", "--limit", "3");
            assertEquals(Math.min(3, rows.size()), limited.size());
        }
    }

    @Test
    public void kernelAnalysesSayAMinidumpHoldsNoKernel() throws Exception {
        SynthTruth.Process notepad = notepad();
        Path path = tmp.newFolder("nokernel").toPath().resolve("notepad.dmp");
        minidump(notepad, path, 0);
        for (String plugin : List.of("windows.modules", "windows.psscan", "windows.pagefile.info", "windows.vadinfo",
                "windows.handles")) {
            Cli.Invocation o = vestige(path, plugin);
            assertNotEquals(plugin, 0, o.exitCode());
            assertTrue(o.err(), o.err().contains(plugin + " needs a kernel memory image; notepad.dmp is a "
                    + "user-mode minidump of PID " + notepad.pid()));
        }
    }

    @Test
    public void theTimelineOfAMinidumpIsItsProcessesTimesAndNamesTheAnalysesThatCouldNotRun() throws Exception {
        SynthTruth.Process notepad = notepad();
        Path path = tmp.newFolder("timeline").toPath().resolve("notepad.dmp");
        minidump(notepad, path, 0);
        Cli.Invocation o = vestige(path, "windows.timeliner", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> all = JsonLines.parse(o.out());
        // each module's link time, as the dump's module list records it; a stamp of 0 is said to be none
        List<JsonNode> linked = all.stream().filter(r -> r.get("Meaning").asText().equals("linked")).toList();
        assertEquals(o.out(), notepad.modules().size(), linked.size());
        for (int i = 0; i < notepad.modules().size(); i++) {
            String object = "PID=" + notepad.pid() + " Process=notepad.exe Name=" + notepad.modules().get(i).name();
            JsonNode row = linked.stream().filter(r -> r.get("Object").asText().equals(object)).findFirst()
                    .orElseThrow(() -> new AssertionError(object + " not in " + o.out()));
            assertEquals("windows.dlllist", row.get("Source").asText());
            if (linkStamp(i) == 0) {
                assertEquals("the minidump's module list records no TimeDateStamp (0)", unavailable(row.get("Time")));
            } else {
                assertEquals(Integer.toUnsignedLong(linkStamp(i)), java.time.Instant.parse(row.get("Time").asText())
                        .getEpochSecond());
            }
        }
        List<JsonNode> rows = all.stream().filter(r -> !r.get("Meaning").asText().equals("linked")).toList();
        assertEquals(o.out(), 2, rows.size());
        JsonNode created = rows.get(0);
        // a minidump records the process's creation in whole seconds
        assertEquals(notepad.createTime().getEpochSecond(), java.time.Instant.parse(created.get("Time").asText())
                .getEpochSecond());
        assertEquals("created", created.get("Meaning").asText());
        assertEquals("windows.pslist", created.get("Source").asText());
        assertEquals("PID=" + notepad.pid() + " ImageFileName=notepad.exe", created.get("Object").asText());
        // the exit time a minidump cannot record comes last, with why
        JsonNode exited = rows.get(1);
        assertEquals("exited", exited.get("Meaning").asText());
        assertEquals("not recorded in a minidump, which is written while the process runs", unavailable(exited.get(
                "Time")));
        assertTrue(o.err(), o.err().contains("error: windows.psscan: its times are missing from the timeline: "
                + "windows.psscan needs a kernel memory image; notepad.dmp is a user-mode minidump"));
    }

    /**
     * The TimeDateStamp the test's minidumps record for the process's module {@code index}: distinct, and 0 for
     * none (a writer that could not read the module's PE header records 0, which is no time).
     */
    private static int linkStamp(int index) {
        return index == 1 ? 0 : 0x5f00_0000 + index * 86_400;
    }

    /** A notepad.exe of a synthesized Windows 10 image, and the image's truth. */
    private static ImageSynthesizer.Output image() {
        return SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", SynthOptions
                .builder().seed(33).windowsBuild(19041).build());
    }

    private static SynthTruth.Process notepad() throws IOException {
        return image().truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
    }

    /**
     * Writes a minidump of a synthesized process from its address space (read with the paging file, so
     * every page of its image is there), capturing its executable's image but the page at {@code skip}
     * (none when 0).
     */
    private static MinidumpWriter.Result minidump(SynthTruth.Process p, Path out, long skip) throws Exception {
        ImageSynthesizer.Output img = image();
        SynthTruth.Module exe = p.modules().stream().filter(m -> m.base() == p.imageBase()).findFirst().orElseThrow();
        Extensions ext = Extensions.fromPlatform();
        EvidenceCase c = EvidenceCase.open(img.image(), List.of(PagefileSpec.parse(img.pagefile().toString())), ext
                .formats(), false, new NullProgressMonitor());
        MinidumpWriter.Result[] written = new MinidumpWriter.Result[1];
        try (AnalysisSession session = new AnalysisSession(c, ext, SessionSettings.writingTo(out.getParent()))) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            WinProcess wp = kernel.processes().processes().stream().filter(x -> x.pid() == p.pid()).findFirst()
                    .orElseThrow();
            Layer layer = kernel.processLayers().layer(wp);
            MinidumpWriter w = new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041,
                    "", 1)).processId(p.pid()).processCreateTime(p.createTime());
            for (int i = 0; i < p.modules().size(); i++) {
                SynthTruth.Module m = p.modules().get(i);
                w.module(new MinidumpWriter.Module(m.path(), m.base(), m.size(), linkStamp(i), 0));
            }
            if (skip == 0) {
                w.memory(exe.base(), exe.size());
            } else {
                w.memory(exe.base(), skip - exe.base());
                w.memory(skip + 4096, exe.base() + exe.size() - skip - 4096);
            }
            try {
                written[0] = w.write(out, layer);
            } catch (IOException e) {
                throw new org.vestige.core.plugin.AnalysisException(e.getMessage(), e);
            }
        }
        return written[0];
    }

    @Test
    public void procdumpFromAMinidumpOfASynthesizedProcessIsTheOriginalImage() throws Exception {
        SynthTruth.Process notepad = notepad();
        Path dmp = tmp.newFolder("full").toPath().resolve("notepad.dmp");
        MinidumpWriter.Result w = minidump(notepad, dmp, 0);
        assertEquals("every page of the image was read (with the paging file)", 0, w.unavailableBytes());

        JsonNode ps = single(rows(dmp, "windows.pslist"));
        assertEquals(notepad.pid(), ps.get("PID").asLong());
        assertEquals("notepad.exe", ps.get("ImageFileName").asText());
        assertEquals(notepad.modules().size(), rows(dmp, "windows.dlllist").size());

        Path out = tmp.newFolder("procdump-full").toPath();
        Cli.Invocation o = vestige(dmp, "-o", out.toString(), "windows.procdump", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = single(JsonLines.parse(o.out()));
        assertEquals("0x" + Long.toHexString(notepad.imageBase()), row.get("Address").asText());
        assertFalse(row.toString(), row.has("__children") && row.get("__children").size() > 0);
        Path img = out.resolve(notepad.pid() + ".notepad.exe.0x" + Long.toHexString(notepad.imageBase()) + ".img");
        assertEquals(notepad.imageSha256(), sha256(Files.readAllBytes(img)));
        assertTrue(o.err(), o.err().contains("sha256 " + notepad.imageSha256()));
    }

    @Test
    public void procdumpNamesThePageTheMinidumpDidNotCapture() throws Exception {
        SynthTruth.Process notepad = notepad();
        long skip = notepad.imageBase() + 0x2000;
        Path dmp = tmp.newFolder("holed").toPath().resolve("notepad.dmp");
        minidump(notepad, dmp, skip);
        Path out = tmp.newFolder("procdump-holed").toPath();
        Cli.Invocation o = vestige(dmp, "-o", out.toString(), "windows.procdump", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = single(JsonLines.parse(o.out()));
        List<JsonNode> missing = new ArrayList<>();
        row.get("__children").forEach(missing::add);
        assertEquals(row.toString(), 1, missing.size());
        assertEquals("0x" + Long.toHexString(skip), missing.get(0).get("Address").asText());
        assertEquals("not captured in the minidump", missing.get(0).get("Detail").asText());
        assertTrue(o.err(), o.err().contains("1 page(s) of notepad.exe were not captured in the minidump"));
        assertFalse(o.err(), o.err().contains("sha256 " + notepad.imageSha256()));
        Path img = out.resolve(notepad.pid() + ".notepad.exe.0x" + Long.toHexString(notepad.imageBase()) + ".img");
        List<String> sidecar = Files.readAllLines(out.resolve(img.getFileName() + ".provenance.csv"));
        assertEquals(1, sidecar.stream().filter(l -> l.contains(",missing,")).count());

        // memmap lists the captured ranges either side of the hole, with nothing in between
        Map<Long, Long> ranges = new HashMap<>();
        rows(dmp, "windows.memmap").forEach(r -> ranges.put(hex(r.get("Virtual")), r.get("Size").asLong()));
        assertEquals(Map.of(notepad.imageBase(), skip - notepad.imageBase(), skip + 4096, notepad.imageBase()
                + notepad.modules().stream().filter(m -> m.base() == notepad.imageBase()).findFirst().orElseThrow()
                        .size() - skip - 4096), ranges);
    }

    @Test
    public void stringsOfAnImageProcessAndOfItsMinidumpAgree() throws Exception {
        SynthTruth.Process notepad = notepad();
        Path dmp = tmp.newFolder("strings").toPath().resolve("notepad.dmp");
        minidump(notepad, dmp, 0);
        long base = notepad.imageBase();
        long end = base + notepad.modules().stream().filter(m -> m.base() == base).findFirst().orElseThrow().size();
        List<String> fromDump = new ArrayList<>();
        for (JsonNode r : rows(dmp, "windows.strings")) {
            fromDump.add(r.get("Address").asText() + "/" + r.get("Encoding").asText() + "/" + r.get("String").asText());
            assertEquals(r.toString(), "notepad.exe", r.get("Region").asText());
        }
        assertFalse(fromDump.isEmpty());
        List<String> fromImage = new ArrayList<>();
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image().image().toString(), "--no-hash", "-q",
                "--pagefile", image().pagefile().toString(), "windows.strings", "--pid", Long.toString(notepad.pid()),
                "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        for (JsonNode r : JsonLines.parse(o.out())) {
            assertEquals(notepad.pid(), r.get("PID").asLong());
            long va = hex(r.get("Address"));
            if (Long.compareUnsigned(va, base) >= 0 && Long.compareUnsigned(va, end) < 0) {
                fromImage.add(r.get("Address").asText() + "/" + r.get("Encoding").asText() + "/" + r.get("String")
                        .asText());
            }
        }
        assertEquals(fromImage, fromDump);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
