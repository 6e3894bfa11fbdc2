package org.vestige.plugin.registry.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.synth.HiveMemoryWriter;
import org.vestige.synth.HiveMemoryWriter.HivePlacement;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The registry analyses on synthesized Windows 10 images whose SYSTEM, SAM and SECURITY hives are loaded
 * in memory: the hive list with where each hive's pages are, hashdump equal to MD4 of the known passwords
 * when the SAM is resident, and — the founding article's figures 9 and 10 — a SAM held in the compressed
 * store printed only when the store is read, its compressed pages named when it is not, and nothing wrong
 * printed either way.
 */
public class MemoryRegistryAnalysesTest {

    static final String WIN10 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final String SAM = "\\REGISTRY\\MACHINE\\SAM";

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path isf;
    static ImageSynthesizer.Output resident;
    static ImageSynthesizer.Output compressed;
    static ImageSynthesizer.Output scattered;

    @BeforeClass
    public static void synthesize() throws IOException {
        isf = TestData.requireProfile(WIN10);
        Profile profile = IsfReader.read(isf);
        resident = SynthesizedImages.get(profile, SynthOptions.builder().seed(31).windowsBuild(19041)
                .hives(HivePlacement.RESIDENT).build());
        compressed = SynthesizedImages.get(profile, SynthOptions.builder().seed(32).windowsBuild(19041)
                .compressedStore(SynthOptions.CompressedStore.INTACT).hives(HivePlacement.SAM_COMPRESSED).build());
        scattered = SynthesizedImages.get(profile, SynthOptions.builder().seed(33).windowsBuild(19041)
                .compressedStore(SynthOptions.CompressedStore.INTACT).hives(HivePlacement.SCATTERED).build());
    }

    static Cli.Invocation vestige(ImageSynthesizer.Output image, String... args) {
        List<String> all = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q", "--symbols",
                isf.toString()));
        all.addAll(List.of(args));
        return Cli.capture(Extensions.fromPlatform(), all.toArray(String[]::new));
    }

    static HiveMemoryWriter.Truth hives(ImageSynthesizer.Output image) {
        return image.truth().hives();
    }

    static List<String> hashdump(Cli.Invocation o) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode row : JsonLines.parse(o.out())) {
            if (row.get("Hashdump").isTextual()) {
                lines.add(row.get("Hashdump").asText());
            }
        }
        return lines;
    }

    @Test
    public void hivelistShowsEveryLoadedHiveAndWhereItsPagesAre() throws IOException {
        Cli.Invocation o = vestige(resident, "windows.registry.hivelist", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        List<HiveMemoryWriter.LoadedHive> placed = hives(resident).hives();
        assertEquals(placed.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            HiveMemoryWriter.LoadedHive h = placed.get(i);
            assertEquals("0x" + Long.toHexString(h.cmhive()), r.get("Offset(V)").asText());
            assertEquals(h.fileFullPath(), r.get("FileFullPath").asText());
            assertEquals(org.vestige.registry.Filetime.toInstant(h.lastWritten()).toString(), r.get("LastWritten")
                    .asText());
            assertEquals(h.stableLength(), r.get("Stable").asLong());
            assertEquals(h.stableLength() / 4096, r.get("Blocks").asLong());
            assertEquals(r.get("Blocks").asLong(), r.get("Resident").asLong());
            assertEquals(0, r.get("Unreadable").asLong());
        }
    }

    @Test
    public void hashdumpOfAResidentSamIsMd4OfTheKnownPasswords() throws IOException {
        Cli.Invocation o = vestige(resident, "windows.hashdump", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertEquals(hives(resident).expectedHashdump(), hashdump(o));
        assertTrue(o.err(), o.err().contains("boot key " + hives(resident).bootKey()));
    }

    @Test
    public void aCompressedSamIsPrintedWithTheStoreAndItsPagesNamedWithoutIt() throws IOException {
        Cli.Invocation with = vestige(compressed, "windows.hashdump", "-r", "json");
        assertEquals(with.err(), 0, with.exitCode());
        assertEquals(hives(compressed).expectedHashdump(), hashdump(with));

        Cli.Invocation without = vestige(compressed, "--no-compressed-store", "windows.hashdump", "-r", "json");
        assertEquals(without.err(), 0, without.exitCode());
        assertTrue(without.out(), hashdump(without).isEmpty());
        assertTrue(without.err(), without.err().contains("compressed, store reading disabled"));
        HiveMemoryWriter.LoadedHive sam = hives(compressed).hive(SAM);
        for (HiveMemoryWriter.DisplacedBlock b : sam.displaced().subList(0, Math.min(4, sam.displaced().size()))) {
            assertTrue(without.err(), without.err().contains("hive offset 0x" + Long.toHexString(b.hiveOffset())
                    + " (virtual 0x" + Long.toHexString(b.va()) + ")"));
        }

        Cli.Invocation list = vestige(compressed, "--no-compressed-store", "windows.registry.hivelist", "-r", "json");
        JsonNode row = JsonLines.parse(list.out()).stream().filter(r -> r.get("HiveRootPath").asText().equals(SAM))
                .findFirst().orElseThrow();
        assertEquals(sam.displaced().size(), row.get("Compressed").asLong());
        assertEquals(sam.displaced().size(), row.get("Unreadable").asLong());
        Cli.Invocation readable = vestige(compressed, "windows.registry.hivelist", "-r", "json");
        JsonNode read = JsonLines.parse(readable.out()).stream().filter(r -> r.get("HiveRootPath").asText().equals(
                SAM)).findFirst().orElseThrow();
        assertEquals(sam.displaced().size(), read.get("Compressed").asLong());
        assertEquals(0, read.get("Unreadable").asLong());
    }

    @Test
    public void scatteredPagesHideOnlyTheAccountsWhoseCellsTheyHold() throws IOException {
        HiveMemoryWriter.Truth truth = hives(scattered);
        Cli.Invocation all = vestige(scattered, "--pagefile", scattered.pagefile().toString(), "windows.hashdump", "-r",
                "json");
        assertEquals(all.err(), 0, all.exitCode());
        assertEquals(truth.expectedHashdump(), hashdump(all));

        Cli.Invocation dark = vestige(scattered, "--no-compressed-store", "windows.hashdump", "-r", "json");
        assertEquals(dark.err(), 0, dark.exitCode());
        List<String> printed = hashdump(dark);
        HiveMemoryWriter.LoadedHive sam = truth.hive(SAM);
        for (HiveMemoryWriter.AccountTruth a : truth.accounts()) {
            boolean readable = a.cells().stream().noneMatch(c -> sam.displacedBlock(c).isPresent());
            assertEquals(a.account().name(), readable, printed.contains(a.hashdump()));
        }
        HiveMemoryWriter.DisplacedBlock paged = sam.displaced().get(0);
        assertTrue(dark.err(), dark.err().contains("virtual 0x" + Long.toHexString(paged.va())));
        assertTrue(dark.err(), dark.err().contains("0x" + Long.toHexString(paged.placement().offset())));
        assertTrue(dark.err(), dark.err().contains("compressed, store reading disabled"));
    }

    @Test
    public void printkeyAndLsadumpReadTheLoadedHives() throws IOException {
        Cli.Invocation o = vestige(resident, "windows.registry.printkey", "--key", "ControlSet001\\Control\\Lsa", "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode lsa = JsonLines.parse(o.out()).get(0);
        assertEquals("\\REGISTRY\\MACHINE\\SYSTEM", lsa.get("Hive").asText());
        assertEquals("ControlSet001\\Control\\Lsa", lsa.get("Key").asText());

        Cli.Invocation secrets = vestige(resident, "windows.lsadump", "-r", "json");
        assertEquals(secrets.err(), 0, secrets.exitCode());
        JsonNode row = JsonLines.parse(secrets.out()).stream().filter(r -> r.get("Secret").asText().equals(
                "DefaultPassword")).findFirst().orElseThrow();
        assertTrue(row.toString(), row.get("Current").asText().contains(hives(resident).secrets().get(
                "DefaultPassword")));
    }

    @Test
    public void hiveFilesStillWinOverTheImage() throws IOException {
        // with --hive the files are read, not the image's hives
        Path notAHive = tmp.newFile("empty.hive").toPath();
        java.nio.file.Files.write(notAHive, new byte[8192]);
        Cli.Invocation o = vestige(resident, "windows.hashdump", "--hive", notAHive.toString());
        assertEquals("a hive file that is not a hive is an evidence error", 3, o.exitCode());
        assertFalse(o.err(), o.err().contains("\\REGISTRY\\MACHINE"));
    }
}
