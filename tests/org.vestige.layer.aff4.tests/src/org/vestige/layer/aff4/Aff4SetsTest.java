package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.NotMemoryException;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.aff4.internal.ZipWriter;
import org.vestige.testing.TestData;

/**
 * The volumes of one AFF4 set: given together, found beside the first, missing (named, and its ranges typed as
 * another volume's); and volumes of logical files, which are not memory.
 */
public class Aff4SetsTest {

    /** The striped pair's image read through its map: the same device as Base-Linear (aff4-cpp-lite's tests). */
    private static final String STRIPED_SHA1 = "7d3d27f667f95f7ec5b9d32121622c0f4b60b48d";
    private static final String STRIPED_1 = "aff4://7cbb47d0-b04c-42bc-8c04-87b7782739ad";
    private static final String STRIPED_2 = "aff4://51725cd9-3769-4be7-a8ab-94e3ea62bf9a";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A set written in {@code dir}: part-a holds the map, part-b the data; {@code named} records B in A's metadata. */
    private Path[] set(Path dir, boolean named) throws Exception {
        Path rawFile = Volumes.write(dir, "mem.raw", Volumes.memoryLike(41, WriterRoundTripTest.RAW_SIZE));
        Path volume = dir.resolve("whole.aff4.tmp");
        String data;
        try (Aff4Writer w = Aff4Writer.create(volume, WriterRoundTripTest.small(Aff4Codec.SNAPPY))) {
            w.writePhysicalMemory(rawFile, WriterRoundTripTest.RUNS);
            data = w.physicalMemoryUrn() + "/data";
        }
        String more = !named ? "" : "\n<" + Volumes.PART_B + "> a <http://aff4.org/Schema#ZipVolume> ;\n"
                + "    <http://aff4.org/Schema#stored> \"part-b.aff4\" ;\n"
                + "    <http://aff4.org/Schema#contains> <" + data + "> .\n";
        Path[] parts = Volumes.split(volume, dir, more);
        Files.delete(volume);
        return parts;
    }

    private static byte[] expected(Path dir) throws Exception {
        return WriterRoundTripTest.expectedPhysical(Files.readAllBytes(dir.resolve("mem.raw")));
    }

    @Test
    public void oneVolumeFindsTheOthersBesideItAndSaysWhichItAdded() throws Exception {
        Path dir = tmp.newFolder("set").toPath();
        Path[] parts = set(dir, true);
        // neither a stranger volume nor a broken file in the folder is taken for part of the set
        Path stranger = dir.resolve("stranger.aff4");
        try (Aff4Writer w = Aff4Writer.create(stranger, WriterRoundTripTest.small(Aff4Codec.LZ4))) {
            w.writePhysicalMemory(dir.resolve("mem.raw"), WriterRoundTripTest.RUNS);
        }
        Files.write(dir.resolve("broken.aff4"), "PK not really".getBytes(StandardCharsets.US_ASCII));
        // nor is a copy of the volume opened (same URN), which holds none of the streams it needs
        Files.copy(parts[0], dir.resolve("part-a-copy.aff4"));
        try (OpenedEvidence ev = new Aff4Format().open(parts[0])) {
            assertArrayEquals(expected(dir), Volumes.readAll(ev.physical()));
            assertEquals("part-b.aff4", ev.properties().get("volumes found beside the first"));
            assertNull(ev.properties().get("volumes missing"));
            assertFalse(ev.properties().get("volumes"), ev.properties().get("volumes").contains("stranger"));
            assertFalse(ev.properties().get("volumes"), ev.properties().get("volumes").contains("copy"));
        }
    }

    @Test
    public void volumesGivenTogetherReadTheSameAndNothingIsSearchedFor() throws Exception {
        Path dir = tmp.newFolder("given").toPath();
        Path[] parts = set(dir, false);
        try (OpenedEvidence ev = new Aff4Format().open(parts[0], List.of(parts[1]))) {
            assertArrayEquals(expected(dir), Volumes.readAll(ev.physical()));
            assertEquals("part-a.aff4, part-b.aff4", ev.properties().get("volumes given"));
            assertNull(ev.properties().get("volumes found beside the first"));
        }
    }

    @Test
    public void aMissingVolumeIsNamedAndItsRangesSayWhich() throws Exception {
        Path dir = tmp.newFolder("named").toPath();
        Path[] parts = set(dir, true);
        Path alone = Files.copy(parts[0], tmp.newFolder("alone").toPath().resolve("part-a.aff4"));
        try (OpenedEvidence ev = new Aff4Format().open(alone)) {
            String missing = ev.properties().get("volumes missing");
            assertTrue(missing, missing.startsWith(Volumes.PART_B + " (file part-b.aff4;"));
            PageProvenance.Missing m = missingAt(ev, WriterRoundTripTest.RUNS.get(0).physicalAddress());
            assertEquals(new MissingCause.OtherVolume(Volumes.PART_B, "part-b.aff4"), m.cause());
            assertTrue(m.cause().recoverable());
            assertTrue(m.reason(), m.reason().contains(Volumes.PART_B) && m.reason().contains("part-b.aff4"));
            // the gaps of the map are still gaps, not the missing volume's
            assertEquals(new MissingCause.OutsideImage(), missingAt(ev, 0).cause());
        }
    }

    @Test
    public void aVolumeTheMetadataDoesNotNameIsStillReportedMissing() throws Exception {
        Path dir = tmp.newFolder("unnamed").toPath();
        Path[] parts = set(dir, false);
        Path alone = Files.copy(parts[0], tmp.newFolder("alone2").toPath().resolve("part-a.aff4"));
        try (OpenedEvidence ev = new Aff4Format().open(alone)) {
            PageProvenance.Missing m = missingAt(ev, WriterRoundTripTest.RUNS.get(0).physicalAddress());
            assertEquals(new MissingCause.OtherVolume("", ""), m.cause());
            String missing = ev.properties().get("volumes missing");
            assertTrue(missing, missing.startsWith("a volume the metadata does not name (file name not recorded;")
                    && missing.contains("/PhysicalMemory/data"));
        }
    }

    private static PageProvenance.Missing missingAt(OpenedEvidence ev, long address) {
        List<PageProvenance> seen = new ArrayList<>();
        ev.physical().read(address, new byte[4096], 0, 4096, (a, l, p) -> seen.add(p));
        assertTrue(seen.toString(), seen.get(0) instanceof PageProvenance.Missing);
        return (PageProvenance.Missing) seen.get(0);
    }

    @Test
    public void aVolumeOfLogicalFilesIsNotMemoryAndListsWhatItHolds() throws Exception {
        Path volume = logicalVolume(tmp.getRoot().toPath().resolve("files.aff4"));
        NotMemoryException e = assertThrows(NotMemoryException.class, () -> new Aff4Format().open(volume));
        String m = e.getMessage();
        assertTrue(m, m.contains("2 logical file(s)"));
        assertTrue(m, m.contains("C:\\Users\\ann\\notes.txt (24 bytes, aff4:FileImage"));
        assertTrue(m, m.contains("C:\\Users\\ann\\big.bin (70000 bytes, aff4:FileImage"));
        assertTrue(m, m.contains("aff4.export --volume " + volume + " --stream NAME"));
        // the logical files read back as streams of the volume
        try (Aff4Resolver r = Aff4Resolver.open(volume)) {
            assertEquals("meeting at noon, room 4\n", new String(Volumes.readAll(r.stream(LOGICAL + "/notes.txt")),
                    StandardCharsets.UTF_8));
            assertArrayEquals(bigFile(), Volumes.readAll(r.stream(LOGICAL + "/big.bin")));
        }
    }

    static final String LOGICAL = "aff4://5e1f5e1f-0000-4000-8000-00000000001f";

    private static byte[] bigFile() {
        return Volumes.memoryLike(5, 70000);
    }

    /** An AFF4-L volume of two logical files, one stored and one deflated, and no image. */
    static Path logicalVolume(Path file) throws Exception {
        String turtle = "@prefix aff4: <http://aff4.org/Schema#> .\n"
                + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                + "<" + LOGICAL + "> a aff4:ZipVolume ; aff4:contains <" + LOGICAL + "/notes.txt> , <" + LOGICAL
                + "/big.bin> .\n"
                + "<" + LOGICAL + "/notes.txt> a aff4:FileImage ; aff4:originalFileName \"C:\\\\Users\\\\ann\\\\notes.txt\" ;"
                + " aff4:size \"24\"^^xsd:long ; aff4:stored <" + LOGICAL + "> .\n"
                + "<" + LOGICAL + "/big.bin> a aff4:FileImage ; aff4:originalFileName \"C:\\\\Users\\\\ann\\\\big.bin\" ;"
                + " aff4:size \"70000\"^^xsd:long ; aff4:stored <" + LOGICAL + "> .\n";
        try (ZipWriter w = new ZipWriter(file, false)) {
            w.addStored("container.description", LOGICAL.getBytes(StandardCharsets.UTF_8));
            w.addDeflated("information.turtle", turtle.getBytes(StandardCharsets.UTF_8));
            w.addStored("notes.txt", "meeting at noon, room 4\n".getBytes(StandardCharsets.UTF_8));
            w.addDeflated("big.bin", bigFile());
            w.finish(LOGICAL);
        }
        return file;
    }

    // ------------------------------------------------------------ the reference striped pair (aff4/ReferenceImages)

    private static Path striped(String name) {
        Optional<Path> p = TestData.find("aff4/Striped/" + name).or(() -> TestData.find("aff4/SpannedImages/"
                + name));
        assumeTrue("the AFF4 reference striped pair (ReferenceImages AFF4Std/Striped/" + name + ") is not in the "
                + "shared test data (aff4/Striped or aff4/SpannedImages); skipping", p.isPresent());
        return p.get();
    }

    @Test
    public void theReferenceStripedPairReadsWithBothGivenOrTheFirstAlone() throws Exception {
        Path first = striped("Base-Linear_1.aff4");
        Path second = striped("Base-Linear_2.aff4");
        try (OpenedEvidence both = new Aff4Format().open(first, List.of(second));
                OpenedEvidence alone = new Aff4Format().open(first)) {
            assertEquals(STRIPED_SHA1, Volumes.sha1(both.physical()));
            assertEquals(STRIPED_SHA1, Volumes.sha1(alone.physical()));
            assertEquals("Base-Linear_2.aff4", alone.properties().get("volumes found beside the first"));
        }
    }

    @Test
    public void eachVolumeOfTheReferenceStripedPairAloneNamesTheOther() throws Exception {
        Path first = striped("Base-Linear_1.aff4");
        Path second = striped("Base-Linear_2.aff4");
        for (Path[] pair : List.of(new Path[] {first, second}, new Path[] {second, first})) {
            Path alone = Files.copy(pair[0], tmp.newFolder().toPath().resolve(pair[0].getFileName()));
            String other = pair[1] == second ? STRIPED_2 : STRIPED_1;
            try (OpenedEvidence ev = new Aff4Format().open(alone)) {
                String missing = ev.properties().get("volumes missing");
                assertTrue(alone + ": " + missing, missing != null && missing.contains(other));
            }
        }
    }
}
