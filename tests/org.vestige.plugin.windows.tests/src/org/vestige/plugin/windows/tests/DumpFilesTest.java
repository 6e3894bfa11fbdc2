package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.synth.FileTruth;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.dumpfiles} through the vestige command on every synthesized build: every data and image
 * section the synthesizer laid out — pages resident, in transition, in pagefile.sys, in swapfile.sys, in the
 * compressed store and only in the file — and the views of cached files in the system cache, written
 * byte-exact (each page against its truth digest, the whole file where no page is only on disk), the
 * sidecar naming each page's source as the truth does, and the pages
 * only in the file listed with their cause; without the paging files and with the store switched off, the
 * same files with exactly the pages those hold listed with their causes and no other page missing; a file
 * object with wild pointers and an address holding no file object reported by address.
 */
@RunWith(Parameterized.class)
public class DumpFilesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final boolean store;

    public DumpFilesTest(int build, String profileId) {
        this.build = build;
        this.store = build >= 14393;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(41).windowsBuild(build)
                .swapfile(build >= 10240).compressedStore(store ? SynthOptions.CompressedStore.INTACT
                        : SynthOptions.CompressedStore.NONE).build());
    }

    private FileTruth files() {
        FileTruth f = image.truth().files();
        assumeTrue("build " + build + ": the image has no file objects of the file writer's own: " + f.skipped(), f
                .skipped() == null && !f.sections().isEmpty());
        return f;
    }

    private Cli.Invocation run(Path out, boolean stores, String... options) {
        List<String> args = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q", "-o", out
                .toString()));
        if (stores) {
            args.addAll(List.of("--pagefile", image.pagefile().toString()));
            if (image.swapfile() != null) {
                args.addAll(List.of("--pagefile", image.swapfile().toString()));
            }
        } else if (store) {
            args.add("--no-compressed-store");
        }
        args.add("windows.dumpfiles");
        args.addAll(List.of(options));
        args.addAll(List.of("-r", "json"));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String kind(FileTruth.Section s) {
        return s.image() ? "ImageSection" : "DataSection";
    }

    private static String text(JsonNode cell) {
        return cell == null || cell.isNull() ? "-" : cell.isObject() ? "unavailable" : cell.asText();
    }

    /** Each section's row, and the wild file object's, as the result gives them. */
    private static Set<String> expectedRows(FileTruth files, String device) {
        Set<String> out = new HashSet<>();
        for (FileTruth.Section s : files.sections()) {
            out.add(hex(s.file()) + "|" + kind(s) + "|" + hex(s.controlArea()) + "|" + device + s.name() + "|" + s
                    .size());
        }
        for (FileTruth.Cached c : files.cached()) {
            out.add(hex(c.file()) + "|SharedCacheMap|" + hex(c.sharedCacheMap()) + "|" + device + c.name() + "|" + c
                    .size());
        }
        files.files().stream().filter(f -> f.wild().contains("SectionObjectPointer")).forEach(f -> out.add(hex(f
                .address()) + "|unavailable|-|unavailable|-"));
        return out;
    }

    /**
     * @return the rows of the file writer's own files (its sections and the wild one); every other row must be
     *         the image section of a mapped file the truth says has one
     */
    private static List<JsonNode> own(FileTruth files, List<JsonNode> rows) {
        Set<String> own = new HashSet<>();
        files.sections().forEach(s -> own.add(hex(s.file())));
        files.cached().forEach(c -> own.add(hex(c.file())));
        files.files().stream().filter(f -> !f.wild().isEmpty()).forEach(f -> own.add(hex(f.address())));
        Set<String> mapped = new HashSet<>();
        files.files().stream().filter(f -> f.imageSection() && !f.dataSection()).forEach(f -> mapped.add(hex(f
                .address())));
        for (JsonNode r : rows) {
            String file = text(r.get("FileObject"));
            assertTrue(r.toString(), own.contains(file) || mapped.contains(file) && text(r.get("Section")).equals(
                    "ImageSection"));
        }
        assertTrue(rows.size() > own.size());
        return rows.stream().filter(r -> own.contains(text(r.get("FileObject")))).toList();
    }

    private static Set<String> actualRows(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            out.add(text(r.get("FileObject")) + "|" + text(r.get("Section")) + "|" + text(r.get("Structure")) + "|"
                    + text(r.get("FileName")) + "|" + text(r.get("Size")));
        }
        return out;
    }

    /** @return the cause a missing page's detail must give when {@code source} cannot be read */
    private static String cause(FileTruth.Section s, FileTruth.SectionPage p) {
        return switch (p.source()) {
            case "pagefile" -> "paged out to pagefile.sys (slot 0)";
            case "swapfile" -> "paged out to swapfile.sys (slot 1)";
            case "compressed" -> "compressed, store reading disabled";
            default -> "in the file " + s.name() + " at offset " + hex(p.offset());
        };
    }

    private static Set<String> missingRows(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            if (r.has("__children")) {
                for (JsonNode c : r.get("__children")) {
                    out.add(text(c.get("Structure")) + "|" + text(c.get("Offset")) + "|" + text(c.get("Size")));
                }
            }
        }
        return out;
    }

    private static Path dumped(Path out, FileTruth.Section s) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith("file." + hex(s.file()) + "."
                    + hex(s.controlArea()) + "." + kind(s) + ".") && !f.toString().endsWith(".csv")).toList();
            assertEquals(found.toString(), 1, found.size());
            return found.get(0);
        }
    }

    private static Path cachedDump(Path out, FileTruth.Cached c) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith("file." + hex(c.file()) + "."
                    + hex(c.sharedCacheMap()) + ".SharedCacheMap.") && f.toString().endsWith(".vacb")).toList();
            assertEquals(found.toString(), 1, found.size());
            return found.get(0);
        }
    }

    /** @return the sidecar's rows by file offset: {kind, source} */
    private static Map<Long, String[]> sidecar(Path dump) throws IOException {
        Map<Long, String[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(dump.resolveSibling(dump.getFileName() + ".provenance.csv"));
        assertEquals("FileOffset,VirtualAddress,Kind,Source", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 4);
            out.put(Long.decode(f[0]), new String[] {f[2], f[3]});
        }
        return out;
    }

    private static String sha256(byte[] b, int from, int to) throws NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(b, from, to - from);
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    public void everySectionIsWrittenByteExactWithEachPagesSourceInItsSidecar() throws Exception {
        FileTruth files = files();
        Path out = tmp.newFolder("all-" + build).toPath();
        Cli.Invocation o = run(out, true);
        List<JsonNode> rows = own(files, JsonLines.parse(o.out()));
        assertEquals(expectedRows(files, "\\Device\\HarddiskVolume3"), actualRows(rows));
        assertEquals(rows.size(), actualRows(rows).size());
        Set<String> sources = new HashSet<>();
        Set<String> onlyInFile = new HashSet<>();
        for (FileTruth.Section s : files.sections()) {
            Path dump = dumped(out, s);
            byte[] bytes = Files.readAllBytes(dump);
            assertEquals(s.size(), bytes.length);
            Map<Long, String[]> side = sidecar(dump);
            assertEquals(s.pages().size(), side.size());
            for (FileTruth.SectionPage p : s.pages()) {
                sources.add(p.source());
                String[] row = side.get(p.offset());
                String where = s.name() + " " + kind(s) + " page " + hex(p.offset()) + ": " + Arrays.toString(row);
                assertNotNull(where, row);
                switch (p.source()) {
                    case "file" -> {
                        assertEquals(where, "missing", row[0]);
                        assertTrue(where, row[1].contains(cause(s, p)));
                        assertArrayEquals(where, new byte[4096], Arrays.copyOfRange(bytes, (int) p.offset(), (int) p
                                .offset() + 4096));
                        onlyInFile.add(hex(s.controlArea()) + "|" + hex(p.offset()) + "|4096");
                    }
                    case "swapfile", "pagefile" -> {
                        assertEquals(where, "pagefile", row[0]);
                        assertTrue(where, row[1].contains("(" + p.source() + ".sys) @ " + hex(p.where())));
                    }
                    case "ram", "transition" -> assertEquals(where, "\"" + p.source() + " @ " + hex(p.where()) + "\"",
                            row[1]);
                    default -> assertEquals(where, p.source(), row[0]);
                }
                if (p.sha256() != null) {
                    assertEquals(where, p.sha256(), sha256(bytes, (int) p.offset(), (int) p.offset() + 4096));
                }
            }
            if (s.sha256() != null) {
                assertEquals(s.name(), s.sha256(), sha256(bytes, 0, bytes.length));
                assertTrue(o.err(), o.err().contains("sha256 " + s.sha256()));
            }
        }
        for (FileTruth.Cached c : files.cached()) {
            Path dump = cachedDump(out, c);
            assertEquals(c.name(), c.sha256(), sha256(Files.readAllBytes(dump), 0, (int) c.size()));
            Map<Long, String[]> side = sidecar(dump);
            for (FileTruth.SectionPage p : c.pages()) {
                String[] row = side.get(p.offset());
                assertEquals(c.name() + " view page " + hex(p.offset()), p.source().equals("pagefile")
                        ? "\"pagefile 0 (pagefile.sys) @ " + hex(p.where()) + "\"" : "\"" + p.source() + " @ " + hex(p
                                .where()) + "\"", row[1]);
            }
        }
        assertFalse(files.cached().isEmpty());
        Set<String> expected = new HashSet<>(Set.of("ram", "transition", "pagefile", "file"));
        if (image.swapfile() != null) {
            expected.add("swapfile");
        }
        if (store) {
            expected.add("compressed");
        }
        assertEquals(expected, sources);
        assertEquals(onlyInFile, missingRows(rows));
        assertTrue(files.sections().stream().anyMatch(s -> s.sha256() != null));
    }

    @Test
    public void withoutPagingFilesOrStoreExactlyThePagesTheyHoldAreListedWithTheirCauses() throws Exception {
        FileTruth files = files();
        Path out = tmp.newFolder("none-" + build).toPath();
        List<JsonNode> rows = own(files, JsonLines.parse(run(out, false).out()));
        assertEquals(expectedRows(files, "\\Device\\HarddiskVolume3"), actualRows(rows));
        Set<String> expected = new HashSet<>();
        Map<String, String> causes = new HashMap<>();
        for (FileTruth.Section s : files.sections()) {
            Path dump = dumped(out, s);
            byte[] bytes = Files.readAllBytes(dump);
            Map<Long, String[]> side = sidecar(dump);
            for (FileTruth.SectionPage p : s.pages()) {
                String[] row = side.get(p.offset());
                String where = s.name() + " " + kind(s) + " page " + hex(p.offset()) + ": " + Arrays.toString(row);
                boolean readable = p.source().equals("ram") || p.source().equals("transition");
                if (readable) {
                    assertEquals(where, p.sha256(), sha256(bytes, (int) p.offset(), (int) p.offset() + 4096));
                } else {
                    assertEquals(where, "missing", row[0]);
                    assertTrue(where, row[1].contains(cause(s, p)));
                    String key = hex(s.controlArea()) + "|" + hex(p.offset()) + "|4096";
                    expected.add(key);
                    causes.put(key, cause(s, p));
                }
            }
        }
        for (FileTruth.Cached c : files.cached()) {
            byte[] bytes = Files.readAllBytes(cachedDump(out, c));
            for (FileTruth.SectionPage p : c.pages()) {
                String key = hex(c.sharedCacheMap()) + "|" + hex(p.offset()) + "|4096";
                if (p.source().equals("pagefile")) {
                    expected.add(key);
                    causes.put(key, "paged out to pagefile.sys (slot 0) at offset " + hex(p.where()));
                } else {
                    assertEquals(key, p.sha256(), sha256(bytes, (int) p.offset(), (int) p.offset() + 4096));
                }
            }
        }
        assertEquals(expected, missingRows(rows));
        for (JsonNode r : rows) {
            for (JsonNode c : r.path("__children")) {
                String key = text(c.get("Structure")) + "|" + text(c.get("Offset")) + "|" + text(c.get("Size"));
                assertTrue(c.toString(), text(c.get("Detail")).contains(causes.get(key)));
            }
        }
    }

    @Test
    public void byPidTheImagesAProcessMapsAreDumpedThroughTheirPrototypePtes() throws Exception {
        files();
        SynthTruth.Process notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        Path out = tmp.newFolder("pid-" + build).toPath();
        Cli.Invocation o = run(out, true, "--pid", Long.toString(notepad.pid()));
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(notepad.vads().stream().filter(v -> v.fileName() != null).count(), rows.size());
        JsonNode exe = rows.stream().filter(r -> text(r.get("FileName")).endsWith("\\notepad.exe")).findFirst()
                .orElseThrow();
        assertEquals("ImageSection", text(exe.get("Section")));
        String detail = text(exe.get("Detail"));
        byte[] bytes = Files.readAllBytes(out.resolve(detail.substring(0, detail.indexOf(':'))));
        assertEquals(detail, notepad.imageSha256(), sha256(bytes, 0, bytes.length));
        assertTrue(detail, detail.contains("pagefile 0 (pagefile.sys)") && detail.contains("transition"));
        assertFalse(detail, detail.contains("missing"));
    }

    @Test
    public void selectionByAddressAndNameAndBadAddressesNamed() throws Exception {
        FileTruth files = files();
        FileTruth.Section one = files.sections().get(0);
        Path out = tmp.newFolder("select-" + build).toPath();
        List<JsonNode> byAddress = JsonLines.parse(run(out, true, "--address", hex(one.file())).out());
        Set<String> sections = new HashSet<>();
        files.sections().stream().filter(s -> s.file() == one.file()).forEach(s -> sections.add(hex(s
                .controlArea())));
        files.cached().stream().filter(c -> c.file() == one.file()).forEach(c -> sections.add(hex(c
                .sharedCacheMap())));
        assertEquals(sections.size(), byAddress.size());
        byAddress.forEach(r -> assertTrue(r.toString(), sections.contains(text(r.get("Structure")))));

        String base = one.name().substring(one.name().lastIndexOf('\\') + 1);
        List<JsonNode> byName = JsonLines.parse(run(tmp.newFolder("name-" + build).toPath(), true, "--name",
                "\\\\" + base.replace(".", "\\.").toUpperCase() + "$").out());
        assertFalse(byName.isEmpty());
        byName.forEach(r -> assertTrue(r.toString(), text(r.get("FileName")).endsWith("\\" + base)));

        FileTruth.File wild = files.files().stream().filter(f -> !f.wild().isEmpty()).findFirst().orElseThrow();
        long nowhere = 0xFFFF_F000_0000_0000L;
        Cli.Invocation bad = run(tmp.newFolder("bad-" + build).toPath(), true, "--address", hex(wild.address()),
                "--address", hex(nowhere));
        List<JsonNode> rows = JsonLines.parse(bad.out());
        assertEquals(bad.out(), 1, rows.size());
        assertEquals(hex(wild.address()), text(rows.get(0).get("FileObject")));
        assertTrue(rows.get(0).toString(), rows.get(0).get("Section").toString().contains(
                "SectionObjectPointer 0x41414140 is not a kernel address"));
        assertTrue(bad.err(), bad.err().lines().anyMatch(l -> l.contains("warning") && l.contains("_FILE_OBJECT "
                + hex(wild.address()) + " has wild pointers")));
        assertTrue(bad.err(), bad.err().lines().anyMatch(l -> l.contains("warning") && l.contains("file object "
                + hex(nowhere) + " cannot be read")));
    }
}
