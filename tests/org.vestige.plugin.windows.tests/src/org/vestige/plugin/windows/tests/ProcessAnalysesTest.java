package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.testing.JsonLines;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Windows analyses (pslist, pstree, psscan, dlllist, cmdline, envars, vadinfo, modules, memmap)
 * through the vestige command on every synthesized build, each image laid out from the installed
 * profile of its kernel and analysed with no hints and no --symbols; whole result sets are compared
 * with the synthesizer's truth.
 */
@RunWith(Parameterized.class)
public class ProcessAnalysesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return List.of(new Object[] {7601, "windows.x64.7601.339E74133576439CBCDF7E0229DA3773-1"},
                new Object[] {17763, "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1"},
                new Object[] {19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1"},
                new Object[] {22000, "windows.x64.22000.32C1A669D5FFEFD41091F636CFDB6E99-1"},
                new Object[] {26100, "windows.x64.26100.win11_x64_26100_partial"});
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public ProcessAnalysesTest(int build, String profileId) {
        this.build = build;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build).build());
        this.truth = image.truth();
    }

    org.vestige.cli.Cli.Invocation run(String... pluginAndOptions) {
        String[] args = new String[4 + pluginAndOptions.length];
        String[] head = {"-f", image.image().toString(), "--no-hash", "-q"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        org.vestige.cli.Cli.Invocation o = WindowsAnalysesTest.vestige(args);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    @Test
    public void pslistAndPstreeReturnTheTruth() throws IOException {
        assertEquals(WindowsAnalysesTest.truthSet(truth), WindowsAnalysesTest.resultSet(JsonLines.parse(run("windows.pslist", "-r",
                "json").out())));
        assertEquals(WindowsAnalysesTest.truthSet(truth), WindowsAnalysesTest.resultSet(JsonLines.parse(run("windows.pstree", "-r",
                "json").out())));
        String text = run("windows.pslist").out();
        assertEquals(truth.processes().size() + 1, text.split("\n").length);
    }

    @Test
    public void infoNamesTheKernelAndTheInstalledProfile() throws IOException {
        List<JsonNode> rows = JsonLines.parse(run("windows.info", "-r", "json").out());
        JsonNode base = rows.stream().filter(r -> r.get("Property").asText().equals("Kernel base")).findFirst()
                .orElseThrow();
        assertEquals("0x" + Long.toHexString(truth.kernelBase()), base.get("Value").asText());
        JsonNode profile = rows.stream().filter(r -> r.get("Property").asText().equals("Profile")).findFirst()
                .orElseThrow();
        assertTrue(profile.toString(), profile.get("Value").asText().startsWith("org.vestige.profile.windows.x64."
                + build + "/"));
    }

    @Test
    public void dlllistReturnsEveryProcessesModules() throws IOException {
        Set<String> expected = new HashSet<>();
        for (SynthTruth.Process p : truth.processes()) {
            for (SynthTruth.Module m : p.modules()) {
                expected.add(p.pid() + "/0x" + Long.toHexString(m.base()) + "/" + m.size() + "/" + m.name() + "/"
                        + m.path());
            }
        }
        Set<String> actual = new HashSet<>();
        for (JsonNode r : JsonLines.parse(run("windows.dlllist", "-r", "json").out())) {
            actual.add(r.get("PID").asLong() + "/" + r.get("Base").asText() + "/" + r.get("Size").asLong() + "/" + r
                    .get("Name").asText() + "/" + r.get("Path").asText());
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @Test
    public void cmdlineAndPidFilter() throws IOException {
        Map<Long, String> expected = new HashMap<>();
        truth.processes().stream().filter(p -> p.peb() != 0).forEach(p -> expected.put(p.pid(), p.commandLine()));
        Map<Long, String> actual = new HashMap<>();
        for (JsonNode r : JsonLines.parse(run("windows.cmdline", "-r", "json").out())) {
            if (!r.get("Args").isObject()) {
                actual.put(r.get("PID").asLong(), r.get("Args").asText());
            }
        }
        assertEquals(expected, actual);
        long notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst().orElseThrow()
                .pid();
        List<JsonNode> one = JsonLines.parse(run("windows.cmdline", "--pid", Long.toString(notepad), "-r", "json").out());
        assertEquals(1, one.size());
        assertEquals(expected.get(notepad), one.get(0).get("Args").asText());
    }

    @Test
    public void envarsSayWhereAPagedOutBlockIsAndReadItWithThePagefile() throws IOException {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        List<JsonNode> without = JsonLines.parse(run("windows.envars", "--pid", Long.toString(notepad.pid()), "-r", "json").out());
        assertEquals(1, without.size());
        String reason = without.get(0).get("Variable").get("unavailable").asText();
        // the engine's reason, and the command line's own hint added from its cause
        assertTrue(reason, reason.endsWith("paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(notepad
                .environmentPagefileOffset()) + "; supply it with --pagefile"));
        org.vestige.cli.Cli.Invocation with = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--pagefile", image.pagefile().toString(), "windows.envars", "--pid", Long.toString(notepad
                        .pid()), "-r", "json");
        assertEquals(with.err(), 0, with.exitCode());
        assertEquals(notepad.environment(), block(JsonLines.parse(with.out()), notepad.pid()));
        org.vestige.cli.Cli.Invocation all = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--pagefile", image.pagefile().toString(), "windows.envars", "-r", "json");
        List<JsonNode> rows = JsonLines.parse(all.out());
        for (SynthTruth.Process p : truth.processes()) {
            if (p.peb() != 0) {
                assertEquals(p.name(), p.environment(), block(rows, p.pid()));
            }
        }
    }

    /** The environment block of one process as the synthesizer writes it: name=value\0...\0. */
    private static String block(List<JsonNode> rows, long pid) {
        StringBuilder b = new StringBuilder();
        for (JsonNode r : rows) {
            if (r.get("PID").asLong() == pid) {
                b.append(r.get("Variable").asText()).append('=').append(r.get("Value").asText()).append('\0');
            }
        }
        return b.append('\0').toString();
    }

    @Test
    public void vadinfoReturnsEveryVadWithItsFile() throws IOException {
        Set<String> expected = new HashSet<>();
        for (SynthTruth.Process p : truth.processes()) {
            for (SynthTruth.Vad v : p.vads()) {
                expected.add(p.pid() + "/0x" + Long.toHexString(v.start()) + "/0x" + Long.toHexString(v.end()) + "/"
                        + (v.privateMemory() ? "Private" : "Mapped") + "/" + (v.fileName() == null ? "-" : v
                                .fileName()));
            }
        }
        Set<String> actual = new HashSet<>();
        boolean namesKnown = build != 26100; // the partial 24H2 layouts lack _CONTROL_AREA and _FILE_OBJECT
        for (JsonNode r : JsonLines.parse(run("windows.vadinfo", "-r", "json").out())) {
            String file;
            if (!r.get("File").isObject()) {
                file = r.get("File").asText();
            } else if (r.get("File").get("unavailable").asText().equals("private memory") || namesKnown) {
                file = "-";
            } else {
                assertTrue(r.toString(), r.get("File").get("unavailable").asText().contains("profile"));
                file = "(name not in profile)";
            }
            actual.add(r.get("PID").asLong() + "/" + r.get("Start VPN").asText() + "/" + r.get("End VPN").asText() + "/"
                    + r.get("Type").asText() + "/" + file);
        }
        if (!namesKnown) {
            // neither the synthesizer nor the engine can place or read names without those layouts
            expected = withoutMappedNames(expected);
            actual = withoutMappedNames(actual);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    private static Set<String> withoutMappedNames(Set<String> entries) {
        Set<String> out = new HashSet<>();
        for (String e : entries) {
            out.add(e.contains("/Mapped/") ? e.substring(0, e.lastIndexOf('/') + 1) + "?" : e);
        }
        return out;
    }

    @Test
    public void modulesReturnsTheKernelModules() throws IOException {
        Set<String> expected = new HashSet<>();
        truth.kernelModules().forEach(m -> expected.add("0x" + Long.toHexString(m.base()) + "/" + m.size() + "/" + m
                .name()));
        Set<String> actual = new HashSet<>();
        JsonLines.parse(run("windows.modules", "-r", "json").out()).forEach(r -> actual.add(r.get("Base").asText() + "/" + r.get(
                "Size").asLong() + "/" + r.get("Name").asText()));
        assertEquals(expected, actual);
    }

    @Test
    public void psscanFindsTheListedTheExitedAndTheHiddenProcesses() throws IOException {
        List<JsonNode> rows = JsonLines.parse(run("windows.psscan", "-r", "json").out());
        Set<String> listed = new HashSet<>();
        Set<String> unlisted = new HashSet<>();
        for (JsonNode r : rows) {
            (r.get("InActiveList").asBoolean() ? listed : unlisted).add(r.get("PID").asLong() + "/" + r.get(
                    "ImageFileName").asText());
        }
        Set<String> expectedListed = new HashSet<>();
        truth.processes().forEach(p -> expectedListed.add(p.pid() + "/" + p.name()));
        Set<String> expectedUnlisted = new HashSet<>();
        truth.terminated().forEach(p -> expectedUnlisted.add(p.pid() + "/" + p.name()));
        assertFalse(expectedUnlisted.isEmpty());
        truth.hidden().forEach(p -> expectedUnlisted.add(p.pid() + "/" + p.name()));
        assertEquals(expectedListed, listed);
        assertEquals(expectedUnlisted, unlisted);
    }

    @Test
    public void memmapSaysWhereEveryPageLives() throws IOException {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        {
            List<JsonNode> rows = JsonLines.parse(run("windows.memmap", "--pid", Long.toString(notepad.pid()), "-r",
                    "json").out());
            Set<String> pages = new HashSet<>();
            rows.forEach(r -> pages.add(r.get("Virtual").asText()));
            Set<String> expected = new HashSet<>();
            image.userPtes().get(notepad.dtb()).keySet().forEach(va -> expected.add("0x" + Long.toHexString(va)));
            assertEquals(expected, pages);
            Set<String> kinds = new HashSet<>();
            rows.forEach(r -> kinds.add(r.get("Kind").asText()));
            assertTrue(kinds.toString(), kinds.contains("ram"));
            assertTrue(kinds.toString(), kinds.contains("missing"));
            boolean environmentPage = rows.stream().anyMatch(r -> r.get("Source").has("reason") && r.get("Source")
                    .get("reason").asText().contains("0x" + Long.toHexString(notepad.environmentPagefileOffset())));
            assertTrue("the paged-out environment page is listed with its pagefile offset", environmentPage);
        }
    }

    @Test
    public void memdumpWritesCommittedMemoryAndAccountsForEveryPage() throws Exception {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        java.nio.file.Path out = tmp.newFolder("memdump-" + build).toPath();
        org.vestige.cli.Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "-o", out.toString(), "windows.memdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode process = JsonLines.parse(o.out()).get(0);
        long regions = 0;
        long unavailable = 0;
        for (JsonNode region : process.get("__children")) {
            regions++;
            unavailable += Long.parseLong(region.get("Detail").asText().split(" ")[0]);
        }
        assertEquals(notepad.vads().size(), regions);
        java.nio.file.Path dump = out.resolve(notepad.pid() + ".notepad.exe.dmp");
        assertEquals(process.get("Size").asLong(), java.nio.file.Files.size(dump));
        List<String> sidecar = java.nio.file.Files.readAllLines(out.resolve(dump.getFileName() + ".provenance.csv"));
        assertEquals(process.get("Size").asLong() / 4096 + 1, sidecar.size());
        assertEquals(unavailable, sidecar.stream().filter(l -> l.contains(",missing,")).count());

        java.nio.file.Path withPagefile = tmp.newFolder("memdump-pf-" + build).toPath();
        org.vestige.cli.Cli.Invocation w = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--pagefile", image.pagefile().toString(), "-o", withPagefile.toString(), "windows.memdump",
                "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(w.err(), 0, w.exitCode());
        List<String> withSidecar = java.nio.file.Files.readAllLines(withPagefile.resolve(dump.getFileName()
                + ".provenance.csv"));
        long pagefilePages = withSidecar.stream().filter(l -> l.contains(",pagefile,")).count();
        long stillMissing = withSidecar.stream().filter(l -> l.contains(",missing,")).count();
        assertEquals("every page missing for want of the pagefile is read from it", unavailable, stillMissing
                + pagefilePages);
    }

    @Test
    public void procdumpWritesTheImageWithItsProvenance() throws Exception {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        java.nio.file.Path out = tmp.newFolder("procdump-" + build).toPath();
        org.vestige.cli.Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "-o", out.toString(), "windows.procdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = JsonLines.parse(o.out()).get(0);
        assertEquals("0x" + Long.toHexString(notepad.imageBase()), row.get("Address").asText());
        java.nio.file.Path img = out.resolve(notepad.pid() + ".notepad.exe.0x" + Long.toHexString(notepad
                .imageBase()) + ".img");
        byte[] bytes = java.nio.file.Files.readAllBytes(img);
        assertEquals(row.get("Size").asLong(), bytes.length);
        assertEquals('M', bytes[0]);
        assertEquals('Z', bytes[1]);
        assertTrue(o.err(), o.err().contains("wrote " + img));
        assertTrue(o.err(), o.err().contains(img.getFileName() + ".provenance.csv"));
    }

    @Test
    public void procdumpRebuildsNotepadExactlyWithThePagefileAndSaysWhatIsMissingWithout() throws Exception {
        SynthTruth.Process notepad = truth.processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        org.junit.Assume.assumeTrue("no image hash in this build's truth", notepad.imageSha256() != null);
        java.nio.file.Path without = tmp.newFolder("procdump-missing-" + build).toPath();
        org.vestige.cli.Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "-o", without.toString(), "windows.procdump", "--pid", Long.toString(notepad.pid()), "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = JsonLines.parse(o.out()).get(0);
        long pagedOut = notepad.imagePages().stream().filter(p -> p.kind().equals("pagefile") && p.slot() == 0)
                .count();
        assertTrue(pagedOut > 0);
        long listed = 0;
        for (JsonNode missing : row.get("__children")) {
            if (missing.get("Detail").asText().contains("paged out to pagefile.sys (slot 0) at offset 0x")) {
                listed++;
            }
        }
        assertEquals(pagedOut, listed);
        assertTrue(o.err(), o.err().contains("supply the paging file taken with the image (--pagefile"));

        java.nio.file.Path with = tmp.newFolder("procdump-" + build + "-pagefile").toPath();
        org.vestige.cli.Cli.Invocation w = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--pagefile", image.pagefile().toString(), "-o", with.toString(), "windows.procdump", "--pid",
                Long.toString(notepad.pid()), "-r", "json");
        assertEquals(w.err(), 0, w.exitCode());
        assertTrue(w.err(), w.err().contains("sha256 " + notepad.imageSha256()));
    }

    @Test
    public void pagefileInfoListsTheKernelsPagingFilesBesideTheSuppliedOnes() throws Exception {
        org.vestige.cli.Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash",
                "-q", "--pagefile", image.pagefile().toString(), "windows.pagefile.info", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(o.err(), truth.pagingFiles().size(), rows.size());
        for (SynthTruth.PagingFile f : truth.pagingFiles()) {
            JsonNode r = rows.stream().filter(x -> x.get("Slot").asLong() == f.slot()).findFirst().orElseThrow();
            assertEquals(f.sizePages() * 4096, r.get("KernelSize").asLong());
            if (f.slot() == 0) {
                assertEquals("pagefile.sys", r.get("Supplied").asText());
            }
        }
    }
}
