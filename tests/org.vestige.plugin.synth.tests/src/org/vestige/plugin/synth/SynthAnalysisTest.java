package org.vestige.plugin.synth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.Row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code synth} analysis as the product runs it: the installed profile of a build chosen by the
 * engine's profile matcher, every written file listed with the SHA-256 of its bytes, one row per process
 * of the truth it wrote, progress through its monitor, and a cancel honoured between writers.
 */
public class SynthAnalysisTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static final Extensions EXTENSIONS = Extensions.fromPlatform();

    private AnalysisResult synth(Path out, Map<String, List<String>> given, org.eclipse.core.runtime.IProgressMonitor
            monitor) throws Exception {
        PluginDescriptor d = EXTENSIONS.plugin("synth").orElseThrow();
        try (AnalysisSession session = new AnalysisSession(null, EXTENSIONS, SessionSettings.writingTo(out))) {
            return session.run(d.info(), d.create(), Options.parse(d.info(), given), monitor);
        }
    }

    @Test
    public void writesACollectionWhoseManifestHashesEveryFileItNames() throws Exception {
        Path out = temp.newFolder("collection").toPath();
        AnalysisResult r = synth(out, Map.of("profile", List.of("19041"), "seed", List.of("5"), "size-mib", List.of(
                "256"), "svchosts", List.of("2"), "collection", List.of("true")), new NullProgressMonitor());
        JsonNode truth = new ObjectMapper().readTree(out.resolve("collection.truth.json").toFile());
        List<String> lines = Files.readAllLines(out.resolve("manifest.jsonl"));
        assertEquals(truth.get("processes").size() + 2 - 1, lines.size()); // image, pagefile; the missing dump has none
        for (String line : lines) {
            JsonNode e = new ObjectMapper().readTree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (e.has("path")) {
                Path f = out.resolve(e.get("path").asText());
                assertEquals(line, Files.size(f), e.get("size").asLong());
                assertEquals(line, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files
                        .readAllBytes(f))), e.get("sha256").asText());
            } else {
                assertTrue(line, e.has("refused"));
            }
        }
        assertTrue(r.files().stream().anyMatch(f -> f.path().getFileName().toString().equals("manifest.jsonl")));
        assertTrue("no uncompressed dump is left", Files.notExists(out.resolve("work")));
    }

    @Test
    public void writesTheImageItsTruthAndTheirDigestsForAnInstalledBuild() throws Exception {
        Path out = temp.newFolder("out").toPath();
        List<Integer> worked = new ArrayList<>();
        AnalysisResult r = synth(out, Map.of("profile", List.of("7601"), "seed", List.of("3"), "size-mib", List.of(
                "128")), new NullProgressMonitor() {
                    @Override
                    public void worked(int work) {
                        worked.add(work);
                    }
                });
        assertTrue("progress reported: " + worked, worked.size() >= 5);
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        assertEquals(7601, truth.get("build").asInt());
        List<Row> rows = r.table().rows();
        assertEquals(truth.get("processes").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(truth.get("processes").get(i).get("pid").asLong(), rows.get(i).cell(Synth.PID));
            assertEquals(truth.get("processes").get(i).get("name").asText(), rows.get(i).cell(Synth.NAME));
        }
        assertTrue(r.files().stream().anyMatch(f -> f.path().getFileName().toString().equals("image.raw")));
        for (OutputFile f : r.files()) {
            assertEquals(f.path().toString(), Files.size(f.path()), f.size());
            assertEquals(f.path().toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Files.readAllBytes(f.path()))), f.sha256());
        }
    }

    @Test
    public void writesAHibernationFileWithItsTruthWhenAsked() throws Exception {
        Path out = temp.newFolder("hiber").toPath();
        AnalysisResult r = synth(out, Map.of("profile", List.of("19041"), "seed", List.of("3"), "size-mib", List.of(
                "128"), "hiberfil", List.of("xpress-huffman")), new NullProgressMonitor());
        Path hiberfil = out.resolve("hiberfil.sys");
        assertTrue(r.files().stream().anyMatch(f -> f.path().equals(hiberfil)));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(Files.readAllBytes(hiberfil), 0, 4096).order(
                java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x52424948, header.getInt(0));
        assertEquals(0x3e0, header.getInt(0xc));
        JsonNode truth = new ObjectMapper().readTree(out.resolve("hiberfil.sys.truth.json").toFile());
        assertEquals(0x3e0, truth.get("lengthSelf").asInt());
        assertTrue(truth.get("sets").size() > 0);
        for (JsonNode set : truth.get("sets")) {
            assertTrue(set.toString(), set.get("codec").asText().equals("xpress-huffman")
                    || set.get("codec").asText().equals("stored"));
        }
    }

    @Test
    public void aProcessToDumpIsNamedByItsImageName() throws Exception {
        Path out = temp.newFolder("byname").toPath();
        AnalysisResult r = synth(out, Map.of("profile", List.of("19041"), "size-mib", List.of("128"), "procdump", List
                .of("NOTEPAD.EXE")), new NullProgressMonitor());
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        long pid = -1;
        for (JsonNode p : truth.get("processes")) {
            if (pid < 0 && p.get("name").asText().equals("notepad.exe")) {
                pid = p.get("pid").asLong();
            }
        }
        Path dump = out.resolve("notepad.exe_" + pid + ".dmp");
        assertTrue(dump + " written", Files.size(dump) > 0);
        assertTrue(r.files().stream().anyMatch(f -> f.path().equals(dump)));
        try {
            synth(temp.newFolder("noname").toPath(), Map.of("profile", List.of("19041"), "size-mib", List.of("128"),
                    "procdump", List.of("nosuch.exe")), new NullProgressMonitor());
            fail("a dump of a process the image lacks");
        } catch (AnalysisException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("--procdump nosuch.exe: no such process"));
        }
    }

    @Test
    public void aProfileIsNamedByItsInstalledIdAndAnythingElseIsRefusedNamingWhatItTakes() throws Exception {
        Path out = temp.newFolder("byid").toPath();
        String id = "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1";
        synth(out, Map.of("profile", List.of(id), "size-mib", List.of("128"), "svchosts", List.of("2")),
                new NullProgressMonitor());
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        assertEquals(17763, truth.get("build").asInt());
        assertEquals("8CFB49428DC86A330CE257778E0C2F93", truth.get("pdb").get("guid").asText());
        try {
            synth(temp.newFolder("noid").toPath(), Map.of("profile", List.of("windows.x64.17763.nosuch")),
                    new NullProgressMonitor());
            fail("a profile that is neither installed nor a file");
        } catch (AnalysisException e) {
            assertEquals("--profile windows.x64.17763.nosuch is neither a build number, an installed profile (see "
                    + "profiles.list) nor an ISF file", e.getMessage());
        }
    }

    @Test
    public void samPagesCompressedLeavesEverySamPageTableEntryPointingIntoTheStore() throws Exception {
        assertSamPages("compressed", 2); // the compressed store's virtual paging file
    }

    @Test
    public void samPagesPagefileLeavesEverySamPageTableEntryPointingIntoPagefileSys() throws Exception {
        assertSamPages("pagefile", 0);
    }

    @Test
    public void samPagesCompressedWithoutAStoreIsRefused() throws Exception {
        try {
            synth(temp.newFolder("nostore").toPath(), Map.of("profile", List.of("19041"), "size-mib", List.of("128"),
                    "sam-pages", List.of("compressed")), new NullProgressMonitor());
            fail("SAM pages compressed into no store");
        } catch (AnalysisException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("give --compressed-store intact"));
        }
    }

    /**
     * Synthesizes with {@code --sam-pages placement} and walks the Registry process's page tables in the written
     * image to every page of the SAM's stable storage: each PTE is a software PTE (not valid, not in transition, no
     * prototype) naming paging file {@code pageFile}, and every such page is listed as displaced.
     */
    private void assertSamPages(String placement, int pageFile) throws Exception {
        Path out = temp.newFolder("sam-" + placement).toPath();
        synth(out, Map.of("profile", List.of("19041"), "seed", List.of("2"), "size-mib", List.of("256"), "sam-pages",
                List.of(placement), "compressed-store", List.of("intact")), new NullProgressMonitor());
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        JsonNode sam = null;
        for (JsonNode h : truth.get("hives").get("hives")) {
            if (h.get("name").asText().toUpperCase(java.util.Locale.ROOT).endsWith("\\SAM")) {
                sam = h;
            }
        }
        assertTrue("the SAM is loaded: " + truth.get("hives"), sam != null);
        JsonNode displaced = sam.get("displaced");
        assertEquals("every block of the SAM's stable storage is moved", hex(sam.get("stableLength")) / 4096,
                displaced.size());
        // from build 17134 hive bins live in the Registry process's user space
        // where the build keeps PageFileLow (it moved between builds; bits 12-15 on 19041), from its profile
        org.vestige.core.types.Field pageFileLow = new org.vestige.windows.ProfileMatcher(EXTENSIONS.profiles())
                .forBuild(19041).orElseThrow().load().resolve("_MMPTE_SOFTWARE", "PageFileLow");
        org.vestige.core.types.TypeRef.Bitfield bits = (org.vestige.core.types.TypeRef.Bitfield) pageFileLow.type();
        int low = (int) pageFileLow.offset() * 8 + bits.position();
        long lowMask = (1L << bits.length()) - 1;
        long dtb = hex(truth.get("dtb"));
        for (JsonNode p : truth.get("processes")) {
            if (p.get("name").asText().equals("Registry")) {
                dtb = hex(p.get("dtb"));
            }
        }
        try (java.nio.channels.FileChannel image = java.nio.channels.FileChannel.open(out.resolve("image.raw"))) {
            for (JsonNode block : displaced) {
                long va = hex(block.get("va"));
                long pte = pte(image, dtb, va);
                assertEquals("PTE 0x" + Long.toHexString(pte) + " of 0x" + Long.toHexString(va) + " is valid", 0, pte
                        & 1);
                assertEquals("PTE 0x" + Long.toHexString(pte) + " of 0x" + Long.toHexString(va)
                        + " is in transition or a prototype", 0, pte & 0xC00);
                assertEquals("paging file of the PTE of 0x" + Long.toHexString(va), pageFile, (pte >>> low) & lowMask);
                assertEquals(pageFile, block.get("pageFile").asInt());
            }
        }
    }

    /** The last-level PTE of {@code va} under the 4-level tables at {@code dtb}, read from the raw image. */
    private static long pte(java.nio.channels.FileChannel image, long dtb, long va) throws java.io.IOException {
        long table = dtb & ~0xFFFL;
        long entry = 0;
        for (int shift = 39; shift >= 12; shift -= 9) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            image.read(b, table + ((va >>> shift) & 0x1FF) * 8);
            entry = b.getLong(0);
            if (shift > 12) {
                assertTrue("table entry 0x" + Long.toHexString(entry) + " on the way to 0x" + Long.toHexString(va)
                        + " is valid and not a large page", (entry & 1) == 1 && (entry & 0x80) == 0);
                table = entry & 0xFFFFFFFFFF000L;
            }
        }
        return entry;
    }

    private static long hex(JsonNode n) {
        String v = n.asText();
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : n.asLong();
    }

    @Test
    public void aBuildWithNoInstalledProfileIsRefusedByName() throws Exception {
        try {
            synth(temp.newFolder("none").toPath(), Map.of("profile", List.of("1234")), new NullProgressMonitor());
            fail("build 1234 synthesized");
        } catch (AnalysisException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no installed x64 profile for build 1234"));
        }
    }

    @Test
    public void aCancelStopsItBetweenWriters() throws Exception {
        Path out = temp.newFolder("cancelled").toPath();
        NullProgressMonitor monitor = new NullProgressMonitor() {
            @Override
            public void worked(int work) {
                setCanceled(true);
            }
        };
        try {
            synth(out, Map.of("profile", List.of("7601"), "size-mib", List.of("128")), monitor);
            fail("a cancelled synthesis finished");
        } catch (OperationCanceledException e) {
            assertTrue("no truth is written for an image left unfinished", !Files.exists(out.resolve("truth.json")));
        }
    }
}
