package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.MarkerTruth;
import org.vestige.synth.ProcDumpWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.minidump} on a synthetic image: the minidump it writes of notepad.exe is read back by
 * Vestige's own minidump reader and by an independent one (LLVM's lldb, when installed) with the
 * process's modules and memory. Every byte written is the process's true byte (the synthesizer's
 * ProcDump-style dump of its true memory is the reference); the pages the image has only in
 * pagefile.sys are absent from the file without the pagefile, not zero, and present with it.
 */
public class MinidumpExportTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static ImageSynthesizer.Output image;
    static SynthTruth.Process notepad;
    static ProcDumpWriter.Dump truth;
    static String lldb;

    @BeforeClass
    public static void synthesize() throws IOException {
        ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(
                DumpDiffTest.PROFILE)).findFirst().orElseThrow();
        ImageSynthesizer synth = new ImageSynthesizer(d.load(), SynthOptions.builder().seed(58).windowsBuild(19041).build());
        Path dir = tmp.newFolder("img").toPath();
        image = synth.synthesize(dir);
        notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
        truth = synth.procDump(notepad.pid(), dir.resolve("truth.dmp"));
        for (String candidate : List.of("lldb", "lldb-14", "lldb-15", "lldb-16", "lldb-19")) {
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    lldb = candidate;
                    break;
                }
            } catch (IOException e) {
                // not installed under this name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    record Export(Cli.Invocation run, Path file, JsonNode row) {
    }

    static Export export(String folder, boolean pagefile) throws IOException {
        Path out = tmp.newFolder(folder).toPath();
        List<String> args = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q", "-o", out
                .toString()));
        if (pagefile) {
            args.addAll(List.of("--pagefile", image.pagefile().toString()));
        }
        args.addAll(List.of("windows.minidump", "--pid", Long.toString(notepad.pid()), "-r", "json"));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        Path file = out.resolve(notepad.pid() + ".notepad.exe.mdmp");
        assertTrue(o.err(), Files.exists(file));
        return new Export(o, file, JsonLines.parse(o.out()).get(0));
    }

    /** Compares the written dump with the process's true memory; returns the pages it lacks that the truth has. */
    static List<Long> compareWithTruth(Path file) throws Exception {
        List<Long> lacking = new ArrayList<>();
        try (Minidump ours = Minidump.open(file); Minidump reference = Minidump.open(truth.file())) {
            assertTrue(ours.problems().toString(), ours.problems().isEmpty());
            assertEquals(notepad.pid(), ours.miscInfo().orElseThrow().processId().orElseThrow());
            assertEquals(notepad.createTime().getEpochSecond(), ours.miscInfo().orElseThrow().processCreateTime()
                    .orElseThrow().getEpochSecond());
            assertEquals(19041, ours.systemInfo().orElseThrow().buildNumber());
            assertEquals(10, ours.systemInfo().orElseThrow().majorVersion());
            List<String> expected = notepad.modules().stream().map(m -> m.path() + " 0x" + Long.toHexString(m.base())
                    + " 0x" + Integer.toHexString(m.size())).toList();
            assertEquals(expected, ours.modules().stream().map(m -> m.name() + " 0x" + Long.toHexString(m
                    .baseOfImage()) + " 0x" + Long.toHexString(m.sizeOfImage())).toList());
            MinidumpModule exe = ours.modules().get(0);
            assertEquals("the executable's time stamp comes from its headers", reference.modules().get(0)
                    .timeDateStamp(), exe.timeDateStamp());
            long pages = 0;
            for (MemoryRange r : ours.memoryRanges()) {
                for (long va = r.base(); va < r.end(); va += 4096) {
                    assertArrayEquals("0x" + Long.toHexString(va), reference.memory().readBytes(va, 4096), ours.memory()
                            .readBytes(va, 4096));
                    pages++;
                }
            }
            assertTrue(pages > 100);
            for (ProcDumpWriter.Range r : truth.ranges()) {
                for (long va = r.base(); va < r.base() + r.size(); va += 4096) {
                    if (!ours.memory().provenance(va).isAvailable()) {
                        lacking.add(va);
                    }
                }
            }
        }
        return lacking;
    }

    @Test
    public void withoutThePagefileThePagedOutPagesAreAbsentAndEverythingWrittenIsTrue() throws Exception {
        Export e = export("no-pagefile", false);
        List<Long> lacking = compareWithTruth(e.file());
        List<Long> pagedOut = new ArrayList<>();
        image.pteSamples().stream().filter(s -> s.pid() == notepad.pid() && s.kind().equals("pagefile")).forEach(
                s -> pagedOut.add(s.va()));
        truth.imagePages().stream().filter(ProcDumpWriter.SectionPage::inPagefile).forEach(p -> pagedOut.add(p.va()));
        for (MarkerTruth.Copy c : image.truth().markers().copies()) {
            if (c.pid() == notepad.pid() && c.where().equals(MarkerTruth.PAGEFILE)) {
                pagedOut.add(c.va() & ~0xfffL);
                if (c.straddles()) {
                    pagedOut.add((c.va() & ~0xfffL) + 4096);
                }
            }
        }
        for (long va : pagedOut) {
            assertTrue("0x" + Long.toHexString(va) + " is in pagefile.sys only", lacking.contains(va));
        }
        // and the page of the environment block, also in pagefile.sys: nothing else is missing
        assertTrue(notepad.environmentPagefileOffset() >= 0);
        assertEquals(lacking.toString(), pagedOut.size() + 1, lacking.size());

        // every page left out is listed with the image's reason
        List<String> runs = new ArrayList<>();
        for (JsonNode r : e.row().get("__children")) {
            runs.add(r.get("Address").asText() + " " + r.get("Detail").asText());
        }
        for (ProcDumpWriter.SectionPage p : truth.imagePages()) {
            if (p.inPagefile()) {
                assertTrue(runs.toString(), runs.contains("0x" + Long.toHexString(p.va())
                        + " left out: paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(p
                                .fileOffset()) + "; supply it with --pagefile"));
            }
        }
        assertTrue(e.run().err(), e.run().err().contains("supply the paging file taken with the image"));
        assertTrue(e.run().err(), e.run().err().contains("wrote " + e.file()));
    }

    @Test
    public void withThePagefileEveryTruePageIsWritten() throws Exception {
        Export e = export("pagefile", true);
        List<Long> lacking = compareWithTruth(e.file());
        assertEquals("pages the process has that the image cannot supply", List.of(), lacking);
        String sha = e.run().err();
        assertTrue(sha, sha.contains("sha256 " + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(Files.readAllBytes(e.file())))));
    }

    private static final Pattern MODULE = Pattern.compile("^\\[\\s*\\d+\\]\\s+(?:(\\S+)\\s+)?0x([0-9a-fA-F]+)\\s+(.*?)\\s*$");

    @Test
    public void lldbReadsTheSameModulesAndMemory() throws Exception {
        assumeTrue("lldb is not installed (apt-get install lldb); skipping the independent minidump cross-check",
                lldb != null);
        Export e = export("lldb", false);
        ProcDumpWriter.SectionPage text = truth.imagePages().stream().filter(p -> p.section().equals(".text") && p
                .kind().equals("ram")).findFirst().orElseThrow();
        ProcDumpWriter.SectionPage paged = truth.imagePages().stream().filter(ProcDumpWriter.SectionPage::inPagefile)
                .findFirst().orElseThrow();
        Path output = tmp.newFile().toPath();
        Process p = new ProcessBuilder(lldb, "--no-lldbinit", "--batch", "-c", e.file().toString(), "-o", "image list",
                "-o", "memory read 0x%x -c 16".formatted(text.va() + 0x40), "-o", "memory read 0x%x -c 16".formatted(
                        paged.va())).redirectOutput(output.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lldb did not finish within 120 s");
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        List<String> modules = new ArrayList<>();
        for (String line : lines) {
            Matcher m = MODULE.matcher(line);
            if (m.matches()) {
                modules.add("0x%x %s".formatted(Long.parseUnsignedLong(m.group(2), 16), m.group(3)));
            }
        }
        assertEquals(lines.toString(), notepad.modules().stream().map(m -> "0x%x %s".formatted(m.base(), m.path()))
                .toList(), modules);
        byte[] expected;
        try (Minidump ours = Minidump.open(truth.file())) {
            expected = ours.memory().readBytes(text.va() + 0x40, 16);
        }
        StringBuilder hex = new StringBuilder("0x%x:".formatted(text.va() + 0x40));
        for (byte b : expected) {
            hex.append(" %02x".formatted(b & 0xff));
        }
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.strip().startsWith(hex.toString())));
        String pagedPrefix = "0x%x:".formatted(paged.va());
        assertFalse("lldb finds no bytes for a page left out: " + lines, lines.stream().anyMatch(l -> l.strip()
                .startsWith(pagedPrefix)));
        assertNotNull(lines.stream().filter(l -> l.contains("memory read failed") || l.contains("error"))
                .findFirst().orElse(null));
    }
}
