package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;
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
 * {@code windows.filescan} through the vestige command on every synthesized build, each image analysed
 * with its installed profile and no hints: every file object the synthesizer placed — behind handles,
 * behind mapped files, with data and image sections and shared cache maps, freed — as one row with every
 * column against the truth, in JSON, text and CSV; the file object with wild pointers listed with its
 * name and sections unavailable and a warning naming it; the block tagged 'File' that holds no file
 * object named by its physical address.
 */
@RunWith(Parameterized.class)
public class FileScanTest {

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public FileScanTest(int build, String profileId) {
        this.build = build;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    private Cli.Invocation run(String... pluginAndOptions) {
        String[] args = new String[4 + pluginAndOptions.length];
        String[] head = {"-f", image.image().toString(), "--no-hash", "-q"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(args);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Every file object of the truth as its row shows it; a wild pointer's cells are unavailable. */
    private static Set<String> expected(FileTruth files) {
        Set<String> out = new HashSet<>();
        for (FileTruth.File f : files.files()) {
            boolean wildSections = f.wild().contains("SectionObjectPointer");
            out.add(hex(f.physical()) + "|" + hex(f.address()) + "|" + f.device() + "|" + (f.wild().contains(
                    "FileName") ? "unavailable" : f.name()) + "|" + f.access() + "|" + (wildSections ? "unavailable"
                            : f.dataSection()) + "|" + (wildSections ? "unavailable" : f.imageSection()) + "|"
                    + (wildSections ? "unavailable" : f.sharedCacheMap()));
        }
        return out;
    }

    private static Set<String> actual(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            out.add(text(r.get("Offset(P)")) + "|" + text(r.get("Offset(V)")) + "|" + text(r.get("Device")) + "|"
                    + text(r.get("FileName")) + "|" + text(r.get("Access")) + "|" + text(r.get("DataSection")) + "|"
                    + text(r.get("ImageSection")) + "|" + text(r.get("SharedCacheMap")));
        }
        return out;
    }

    private static String text(JsonNode cell) {
        return cell.isObject() ? "unavailable" : cell.asText();
    }

    private FileTruth files() {
        FileTruth f = truth.files();
        assumeTrue("build " + build + ": the image has no file objects of the file writer's own: " + f.skipped(), f
                .skipped() == null);
        return f;
    }

    @Test
    public void everyFileObjectWithEveryColumnInJsonTextAndCsv() {
        FileTruth files = files();
        List<JsonNode> rows = JsonLines.parse(run("windows.filescan", "-r", "json").out());
        Set<String> expected = expected(files);
        assertTrue("file objects: " + expected.size(), expected.size() > 20);
        assertTrue(files.files().stream().anyMatch(FileTruth.File::freed));
        assertTrue(files.files().stream().anyMatch(f -> f.dataSection() && f.imageSection() && f.sharedCacheMap()));
        assertEquals(expected.size(), rows.size());
        assertEquals(expected, actual(rows));
        String text = run("windows.filescan").out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        String[] csv = run("windows.filescan", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth,Offset(P),Offset(V),Device,FileName,Access,DataSection,ImageSection,SharedCacheMap",
                csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void wildPointersAndABlockWithoutAFileObjectAreWarningsNamingTheirAddresses() {
        FileTruth files = files();
        Cli.Invocation o = run("windows.filescan", "-r", "json");
        FileTruth.File wild = files.files().stream().filter(f -> !f.wild().isEmpty()).findFirst().orElseThrow();
        List<String> warnings = o.err().lines().filter(l -> l.contains("warning")).toList();
        assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("_FILE_OBJECT " + hex(wild.address()))
                && l.contains("FileName") && l.contains("SectionObjectPointer 0x41414140 is not a kernel address")));
        for (long junk : files.junkBlocks()) {
            assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("pool block at physical " + hex(junk)
                    + " tagged 'File' holds no plausible _FILE_OBJECT")));
        }
        assertEquals(o.err(), 1 + files.junkBlocks().size(), warnings.size());
        JsonNode row = JsonLines.parse(o.out()).stream().filter(r -> r.get("Offset(V)").asText().equals(hex(wild
                .address()))).findFirst().orElseThrow();
        assertTrue(row.toString(), row.get("FileName").get("unavailable").asText().contains("not a canonical address"));
    }
}
