package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.aff4.internal.ZipMember;

/**
 * Volumes damaged on purpose (from volumes the writer made): a truncated file, a corrupt chunk, a missing bevy
 * index, an unknown compression URI. Each gives a clear message; what is undamaged stays readable and damaged pages
 * read as {@link PageProvenance.Missing} with the reason.
 */
public class DamagedVolumeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private byte[] raw;
    private byte[] expected;
    private Path volume;

    @Before
    public void writeVolume() throws Exception {
        raw = Volumes.memoryLike(3, WriterRoundTripTest.RAW_SIZE);
        // Incompressible bytes at physical 0x100000..0x120000 (data-stream offsets 0x9f000..0xbf000) make chunks
        // 20..22 (stream 0xa0000..0xb8000, physical 0x101000..0x119000) raw.
        byte[] noise = new byte[0x20000];
        new java.util.Random(1).nextBytes(noise);
        System.arraycopy(noise, 0, raw, 0x100000, noise.length);
        expected = WriterRoundTripTest.expectedPhysical(raw);
        Path rawFile = Volumes.write(tmp.getRoot().toPath(), "mem.raw", raw);
        volume = tmp.getRoot().toPath().resolve("good.aff4");
        try (Aff4Writer w = Aff4Writer.create(volume, WriterRoundTripTest.small(Aff4Codec.SNAPPY))) {
            w.writePhysicalMemory(rawFile, WriterRoundTripTest.RUNS);
            w.writePagefile(Volumes.write(tmp.getRoot().toPath(), "pagefile.sys", Volumes.memoryLike(8, 0x30000)),
                    "C:\\pagefile.sys", 0);
        }
    }

    /** Physical address of data-stream offset {@code o} (the single data stream holds the runs back to back). */
    private static long physicalOf(long streamOffset) {
        long o = streamOffset;
        for (Aff4Writer.MemoryRun r : WriterRoundTripTest.RUNS) {
            if (o < r.length()) {
                return r.physicalAddress() + o;
            }
            o -= r.length();
        }
        throw new IllegalArgumentException();
    }

    /** Data-stream offset of physical address {@code p}, or -1 in a gap. */
    private static long streamOffsetOf(long p) {
        long base = 0;
        for (Aff4Writer.MemoryRun r : WriterRoundTripTest.RUNS) {
            if (p >= r.physicalAddress() && p < r.physicalAddress() + r.length()) {
                return base + p - r.physicalAddress();
            }
            base += r.length();
        }
        return -1;
    }

    private static List<PageProvenance.Missing> missingIn(Layer l, long address, int length) {
        List<PageProvenance.Missing> out = new ArrayList<>();
        l.read(address, new byte[length], 0, length, (a, n, p) -> {
            if (p instanceof PageProvenance.Missing m) {
                out.add(m);
            }
        });
        return out;
    }

    @Test
    public void truncatedZipGivesAClearMessage() throws Exception {
        for (long keep : new long[] {Files.size(volume) - 10, Files.size(volume) / 2, 100}) {
            Path cut = tmp.getRoot().toPath().resolve("cut-" + keep + ".aff4");
            Files.copy(volume, cut);
            try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
                f.setLength(keep);
            }
            try {
                new Aff4Format().open(cut).close();
                fail("opened a volume truncated to " + keep + " bytes");
            } catch (EvidenceException e) {
                assertEquals(cut, e.file());
                assertTrue(e.getMessage(), e.getMessage().contains("truncated"));
                assertTrue(e.getMessage(), e.getMessage().contains(cut.toString()));
            }
            ProbeResult p = new Aff4Format().probe(cut);
            assertTrue(p.explanation(), p.confidence() < ProbeResult.CERTAIN);
            assertTrue(p.explanation(), p.explanation().contains("truncated"));
        }
    }

    @Test
    public void corruptChunkReadsMissingAndTheRestStaysReadable() throws Exception {
        Path bad = tmp.getRoot().toPath().resolve("corrupt.aff4");
        String bevy = "PhysicalMemory/data/00000001";
        int[] damagedChunk = {-1};
        Volumes.rewrite(volume, bad, (name, data) -> {
            if (!name.equals(bevy)) {
                return data;
            }
            byte[] index = readMember(volume, bevy + ".index");
            ByteBuffer b = ByteBuffer.wrap(index).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < index.length / 12; i++) {
                int len = b.getInt(i * 12 + 8);
                if (len < 32768 && len > 64) {
                    long off = b.getLong(i * 12);
                    // Garbage into the middle of a compressed chunk.
                    for (int k = 0; k < 48; k++) {
                        data[(int) off + len / 2 + k] = (byte) 0xF3;
                    }
                    data[(int) off] = (byte) 0xFF;
                    damagedChunk[0] = i;
                    break;
                }
            }
            return data;
        });
        assertTrue(damagedChunk[0] >= 0);
        long streamOffset = (16L + damagedChunk[0]) * 32768;
        long physical = physicalOf(streamOffset);
        try (OpenedEvidence ev = new Aff4Format().open(bad)) {
            List<PageProvenance.Missing> m = missingIn(ev.physical(), physical, 4096);
            assertEquals(1, m.size());
            String reason = m.get(0).reason();
            assertTrue(reason, reason.contains("corrupt") && reason.contains("chunk " + (16 + damagedChunk[0])));
            assertTrue(reason, reason.contains("/PhysicalMemory/data"));
            byte[] page = ev.physical().readBytes(physical, 4096);
            assertArrayEquals(new byte[4096], page);
            // Everything outside the damaged chunk reads as written.
            byte[] all = Volumes.readAll(ev.physical());
            for (int i = 0; i < all.length; i++) {
                long so = streamOffsetOf(i);
                if (so >= streamOffset && so < streamOffset + 32768) {
                    continue;
                }
                if (all[i] != expected[i]) {
                    fail("byte at 0x" + Integer.toHexString(i) + " differs");
                }
            }
            assertTrue(Arrays.equals(ev.backing().get(0).layer().readBytes(0, 16), Arrays.copyOf(
                    Volumes.memoryLike(8, 0x30000), 16)));
        }
        try (Aff4Resolver r = Aff4Resolver.open(bad)) {
            Aff4Verifier.Report report = new Aff4Verifier(r).verify();
            assertFalse(report.verified());
            assertTrue(report.checks().toString(), report.checks().stream().anyMatch(c ->
                    c.status() == Aff4Verifier.Status.ERROR && c.detail().contains("unreadable")));
        }
    }

    @Test
    public void missingBevyIndexLosesOnlyThatBevy() throws Exception {
        Path bad = tmp.getRoot().toPath().resolve("noindex.aff4");
        Volumes.rewrite(volume, bad, (name, data) -> name.equals("PhysicalMemory/data/00000002.index") ? null : data);
        try (OpenedEvidence ev = new Aff4Format().open(bad)) {
            long inBevy2 = physicalOf(2L * 16 * 32768 + 5000);
            List<PageProvenance.Missing> m = missingIn(ev.physical(), inBevy2, 100);
            assertEquals(1, m.size());
            assertTrue(m.get(0).reason(), m.get(0).reason().contains("bevy 2") && m.get(0).reason().contains("no index"));
            long inBevy1 = physicalOf(1L * 16 * 32768 + 5000);
            assertTrue(missingIn(ev.physical(), inBevy1, 4096).isEmpty());
            assertArrayEquals(Arrays.copyOfRange(expected, (int) inBevy1, (int) inBevy1 + 4096),
                    ev.physical().readBytes(inBevy1, 4096));
            long inBevy3 = physicalOf(3L * 16 * 32768 + 5000);
            assertArrayEquals(Arrays.copyOfRange(expected, (int) inBevy3, (int) inBevy3 + 4096),
                    ev.physical().readBytes(inBevy3, 4096));
        }
    }

    @Test
    public void unknownCompressionUriIsNamedAndRawChunksStayReadable() throws Exception {
        Path bad = tmp.getRoot().toPath().resolve("codec.aff4");
        String unknown = "https://example.org/no-such-codec";
        Volumes.rewriteTurtle(volume, bad, t -> t.replace("<http://code.google.com/p/snappy/>", "<" + unknown + ">"));
        try (OpenedEvidence ev = new Aff4Format().open(bad)) {
            assertTrue(ev.properties().get("problems"), ev.properties().get("problems").contains(unknown));
            List<PageProvenance.Missing> m = missingIn(ev.physical(), 0x1000, 4096);
            assertEquals(1, m.size());
            assertTrue(m.get(0).reason(), m.get(0).reason().contains(unknown));
            // The incompressible chunks were stored raw, which needs no codec.
            assertTrue(missingIn(ev.physical(), 0x101000, 0x18000).isEmpty());
            assertArrayEquals(Arrays.copyOfRange(expected, 0x101000, 0x119000), ev.physical().readBytes(0x101000, 0x18000));
        }
    }

    @Test
    public void missingTurtleAndCorruptTurtleAreClearErrors() throws Exception {
        Path noTurtle = tmp.getRoot().toPath().resolve("noturtle.aff4");
        Volumes.rewrite(volume, noTurtle, (name, data) -> name.equals("information.turtle") ? null : data);
        try {
            new Aff4Format().open(noTurtle).close();
            fail();
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("information.turtle"));
        }
        assertEquals(0, new Aff4Format().probe(noTurtle).confidence());
        Path badTurtle = tmp.getRoot().toPath().resolve("badturtle.aff4");
        Volumes.rewriteTurtle(volume, badTurtle, t -> t + "\n<aff4://x> aff4:size \"unterminated .\n");
        try {
            new Aff4Format().open(badTurtle).close();
            fail();
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not valid Turtle at line"));
        }
    }

    @Test
    public void missingBevyAndShortIndexAreReported() throws Exception {
        Path bad = tmp.getRoot().toPath().resolve("nobevy.aff4");
        Volumes.rewrite(volume, bad, (name, data) -> {
            if (name.equals("PhysicalMemory/data/00000001")) {
                return null;
            }
            if (name.equals("PhysicalMemory/data/00000003.index")) {
                return Arrays.copyOf(data, 12 * 4);
            }
            return data;
        });
        try (OpenedEvidence ev = new Aff4Format().open(bad)) {
            List<PageProvenance.Missing> m = missingIn(ev.physical(), physicalOf(16L * 32768), 10);
            assertTrue(m.toString(), m.get(0).reason().contains("bevy 1") && m.get(0).reason().contains("missing"));
            m = missingIn(ev.physical(), physicalOf((3L * 16 + 7) * 32768), 10);
            assertTrue(m.toString(), m.get(0).reason().contains("not in the index of bevy 3"));
            assertTrue(missingIn(ev.physical(), physicalOf((3L * 16 + 2) * 32768), 4096).isEmpty());
        }
    }

    private static byte[] readMember(Path volume, String name) throws java.io.IOException {
        try (org.vestige.layer.aff4.internal.ZipContainer z = org.vestige.layer.aff4.internal.ZipContainer.open(volume)) {
            ZipMember m = z.member(name);
            return z.readMember(m, Long.MAX_VALUE);
        }
    }

    @Test
    public void missingFileIsAClearError() throws Exception {
        Path none = tmp.getRoot().toPath().resolve("no-such-volume.aff4");
        try {
            new Aff4Format().open(none).close();
            fail("opened a missing file");
        } catch (EvidenceException e) {
            assertEquals(none + ": no such file", e.getMessage());
        }
    }

    @Test
    public void probeRejectsNonZipAndExplains() throws Exception {
        Path text = tmp.getRoot().toPath().resolve("README.txt");
        Files.writeString(text, "AFF4 Standard v1.0 reference images; see the ground truth below.\n");
        ProbeResult p = new Aff4Format().probe(text);
        assertEquals(0, p.confidence());
        assertTrue(p.explanation(), p.explanation().contains("zip"));
    }
}
