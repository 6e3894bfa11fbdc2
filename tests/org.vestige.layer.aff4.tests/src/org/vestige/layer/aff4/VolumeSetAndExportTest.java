package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.ScanProgress;

/** A map whose data lies in another volume of the set, and export to raw files. */
public class VolumeSetAndExportTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path written(byte[] raw, byte[] pagefile) throws Exception {
        Path rawFile = Volumes.write(tmp.getRoot().toPath(), "mem.raw", raw);
        Path volume = tmp.getRoot().toPath().resolve("set.aff4");
        try (Aff4Writer w = Aff4Writer.create(volume, WriterRoundTripTest.small(Aff4Codec.LZ4))) {
            w.writePhysicalMemory(rawFile, WriterRoundTripTest.RUNS);
            if (pagefile != null) {
                w.writePagefile(Volumes.write(tmp.getRoot().toPath(), "pf.sys", pagefile), "C:\\pagefile.sys", 0);
            }
        }
        return volume;
    }

    private Path[] split(Path volume) throws Exception {
        return Volumes.split(volume, tmp.getRoot().toPath(), "");
    }

    @Test
    public void mapReadsDataFromAnotherVolumeOfTheSet() throws Exception {
        byte[] raw = Volumes.memoryLike(17, WriterRoundTripTest.RAW_SIZE);
        byte[] expected = WriterRoundTripTest.expectedPhysical(raw);
        Path[] parts = split(written(raw, null));
        for (List<Path> order : List.of(List.of(parts[0], parts[1]), List.of(parts[1], parts[0]))) {
            try (OpenedEvidence both = new Aff4Format().open(order)) {
                assertArrayEquals(expected, Volumes.readAll(both.physical()));
                assertTrue(both.properties().get("volumes"), both.properties().get("volumes").contains("part-b.aff4"));
            }
        }
    }

    @Test
    public void exportWritesSparseRawWithHashesAndMissingRuns() throws Exception {
        byte[] raw = Volumes.memoryLike(23, WriterRoundTripTest.RAW_SIZE);
        byte[] pagefile = Volumes.memoryLike(24, 0x41000);
        byte[] expected = WriterRoundTripTest.expectedPhysical(raw);
        Path volume = written(raw, pagefile);
        try (OpenedEvidence ev = new Aff4Format().open(volume)) {
            Path out = tmp.getRoot().toPath().resolve("physical.raw");
            Aff4Exporter.Result r = Aff4Exporter.export(ev.physical(), out, List.of("SHA1", "SHA256"));
            assertEquals(WriterRoundTripTest.RAW_SIZE, Files.size(out));
            assertArrayEquals(expected, Files.readAllBytes(out));
            assertEquals(Volumes.sha1(expected), r.hashes().get("SHA1"));
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(expected)), r.hashes().get("SHA256"));
            // Three gaps: below the first run, between the runs.
            assertEquals(3, r.missing().size());
            assertEquals(new Aff4Exporter.MissingRun(0, 0x1000, new MissingCause.OutsideImage(),
                    "gap in AFF4 map (aff4:Zero)"), r.missing().get(0));
            assertEquals(new Aff4Exporter.MissingRun(0xa0000, 0x60000, new MissingCause.OutsideImage(),
                    "gap in AFF4 map (aff4:Zero)"), r.missing().get(1));
            assertEquals(0x1000 + 0x60000 + 0x80000, r.missingBytes());
            assertEquals(WriterRoundTripTest.RAW_SIZE - r.missingBytes(), r.bytesWritten());
            Path pf = tmp.getRoot().toPath().resolve("pagefile.raw");
            Aff4Exporter.Result p = Aff4Exporter.export(ev.backing().get(0).layer(), pf, List.of("MD5"));
            assertArrayEquals(pagefile, Files.readAllBytes(pf));
            assertTrue(p.missing().isEmpty());
            assertEquals(pagefile.length, p.bytesWritten());
            Map<String, String> h = p.hashes();
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(pagefile)),
                    h.get("MD5"));
            try {
                Aff4Exporter.export(ev.physical(), out, List.of("SHA1"));
                throw new AssertionError("export overwrote a file");
            } catch (java.nio.file.FileAlreadyExistsException expectedException) {
                assertEquals(WriterRoundTripTest.RAW_SIZE, Files.size(out));
            }
        }
    }

    @Test
    public void aCancelledExportStopsAtTheNextBlockAndLeavesNoFile() throws Exception {
        byte[] raw = Volumes.memoryLike(26, WriterRoundTripTest.RAW_SIZE);
        Path volume = written(raw, null);
        List<Long> worked = new java.util.ArrayList<>();
        long[] total = {-1};
        ScanProgress cancelAfterOneBlock = new ScanProgress() {
            @Override
            public void begin(long units) {
                total[0] = units;
            }

            @Override
            public void worked(long units) {
                worked.add(units);
            }

            @Override
            public boolean isCanceled() {
                return !worked.isEmpty();
            }
        };
        try (OpenedEvidence ev = new Aff4Format().open(volume)) {
            Path out = tmp.getRoot().toPath().resolve("cancelled.raw");
            CancellationException e = assertThrows(CancellationException.class, () -> Aff4Exporter.export(ev
                    .physical(), out, List.of("SHA1"), cancelAfterOneBlock));
            assertEquals(WriterRoundTripTest.RAW_SIZE, total[0]);
            assertEquals(List.of(1L << 20), worked);
            assertTrue(e.getMessage(), e.getMessage().contains("after " + (1 << 20) + " of "
                    + WriterRoundTripTest.RAW_SIZE + " bytes"));
            assertFalse(out + " is left behind", Files.exists(out));
            // a file that was there before is never deleted, cancelled or not
            Path existing = Files.write(tmp.getRoot().toPath().resolve("existing.raw"), new byte[] {1});
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Aff4Exporter.export(ev.physical(),
                    existing, List.of(), cancelAfterOneBlock));
            assertArrayEquals(new byte[] {1}, Files.readAllBytes(existing));
        }
    }

    @Test
    public void verificationReportsEveryByteOfItsImageStreams() throws Exception {
        byte[] raw = Volumes.memoryLike(27, WriterRoundTripTest.RAW_SIZE);
        Path volume = written(raw, null);
        long[] seen = {-1, 0, 0};
        try (Aff4Resolver resolver = Aff4Resolver.open(List.of(volume), Aff4Options.defaults())) {
            Aff4Verifier.Report report = new Aff4Verifier(resolver).verify(new ScanProgress() {
                @Override
                public void begin(long units) {
                    seen[0] = units;
                }

                @Override
                public void worked(long units) {
                    seen[1] += units;
                }

                @Override
                public boolean isCanceled() {
                    return false;
                }

                @Override
                public void done() {
                    seen[2]++;
                }
            });
            assertTrue(report.checks().toString(), report.verified());
            assertTrue("total " + seen[0], seen[0] > 0);
            assertEquals(seen[0], seen[1]);
            assertEquals(1, seen[2]);
        }
    }

    @Test
    public void exportOfAGapAtTheEndKeepsTheLogicalSize() throws Exception {
        byte[] raw = Volumes.memoryLike(25, WriterRoundTripTest.RAW_SIZE);
        Path rawFile = Volumes.write(tmp.getRoot().toPath(), "tail.raw", raw);
        Path volume = tmp.getRoot().toPath().resolve("tail.aff4");
        try (Aff4Writer w = Aff4Writer.create(volume, WriterRoundTripTest.small(Aff4Codec.ZLIB))) {
            w.writePhysicalMemory(rawFile, List.of(new Aff4Writer.MemoryRun(0x1000, 0, 0xF000)));
        }
        // The map (65536 bytes; its data stream has 61440) is made to claim 1 MiB: the rest is a trailing gap.
        Path bigger = tmp.getRoot().toPath().resolve("tail-bigger.aff4");
        Volumes.rewriteTurtle(volume, bigger, t -> {
            assertTrue(t, t.contains("\"65536\"^^xsd:long"));
            return t.replace("\"65536\"^^xsd:long", "\"1048576\"^^xsd:long");
        });
        try (OpenedEvidence ev = new Aff4Format().open(bigger)) {
            assertEquals(1048576, ev.physical().size());
            Path out = tmp.getRoot().toPath().resolve("tail-out.raw");
            Aff4Exporter.Result r = Aff4Exporter.export(ev.physical(), out, List.of("SHA1"));
            assertEquals(1048576, Files.size(out));
            byte[] back = Files.readAllBytes(out);
            assertArrayEquals(java.util.Arrays.copyOf(raw, 0xF000), java.util.Arrays.copyOfRange(back, 0x1000, 0x10000));
            assertArrayEquals(new byte[1048576 - 0x10000], java.util.Arrays.copyOfRange(back, 0x10000, 1048576));
            assertEquals(0xF000 + 1, r.bytesWritten());
            assertEquals(1048576 - 0xF000, r.missingBytes());
        }
    }
}
