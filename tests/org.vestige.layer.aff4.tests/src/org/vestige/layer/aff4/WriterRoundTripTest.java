package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.aff4.internal.ImageStream;
import org.vestige.layer.aff4.internal.MapStream;
import org.vestige.layer.aff4.internal.ZipMember;

/** Volumes written by {@link Aff4Writer} read back byte for byte, for every codec and layout. */
public class WriterRoundTripTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Three runs with holes between them, the last not chunk-aligned. */
    static final List<Aff4Writer.MemoryRun> RUNS = List.of(
            new Aff4Writer.MemoryRun(0x1000, 0x1000, 0x9f000),
            new Aff4Writer.MemoryRun(0x100000, 0x100000, 0x180000),
            new Aff4Writer.MemoryRun(0x300000, 0x300000, 0x23456));

    static final int RAW_SIZE = 0x323456;

    /** The physical address space the runs describe: raw bytes inside runs, zeros outside. */
    static byte[] expectedPhysical(byte[] raw) {
        byte[] out = new byte[RAW_SIZE];
        for (Aff4Writer.MemoryRun r : RUNS) {
            System.arraycopy(raw, (int) r.fileOffset(), out, (int) r.physicalAddress(), (int) r.length());
        }
        return out;
    }

    static Aff4Writer.Settings small(Aff4Codec codec) {
        // 16 chunks a bevy so the test volumes have several bevies.
        return Aff4Writer.Settings.defaults(codec).withChunksPerSegment(16);
    }

    private Path writeVolume(Aff4Codec codec, Aff4Writer.Layout layout, byte[] raw, byte[] pagefile, boolean zip64,
            List<String> blockHashes) throws Exception {
        Path rawFile = Volumes.write(tmp.getRoot().toPath(), "mem-" + codec + layout + zip64 + ".raw", raw);
        Path out = tmp.getRoot().toPath().resolve("mem-" + codec + "-" + layout + "-" + (pagefile != null) + zip64
                + blockHashes.size() + ".aff4");
        try (Aff4Writer w = Aff4Writer.create(out, small(codec).withLayout(layout).withBlockHashes(blockHashes), zip64)) {
            w.writePhysicalMemory(rawFile, RUNS);
            if (pagefile != null) {
                w.writePagefile(Volumes.write(tmp.getRoot().toPath(), "pagefile-" + codec + layout + zip64 + ".sys",
                        pagefile), "C:\\pagefile.sys", 0);
            }
        }
        return out;
    }

    private void roundTrip(Aff4Codec codec, Aff4Writer.Layout layout, boolean withPagefile, boolean zip64,
            List<String> blockHashes) throws Exception {
        byte[] raw = Volumes.memoryLike(codec.ordinal() * 31 + layout.ordinal(), RAW_SIZE);
        byte[] pagefile = withPagefile ? Volumes.memoryLike(99 + codec.ordinal(), 0x58000 + 123) : null;
        Path volume = writeVolume(codec, layout, raw, pagefile, zip64, blockHashes);
        String what = codec + " " + layout + (withPagefile ? " with pagefile" : "") + (zip64 ? " zip64" : "");
        try (OpenedEvidence ev = new Aff4Format().open(volume)) {
            assertEquals(what, "memory image", ev.properties().get("kind"));
            assertEquals(what, RAW_SIZE, ev.physical().size());
            assertArrayEquals(what, expectedPhysical(raw), Volumes.readAll(ev.physical()));
            if (withPagefile) {
                assertEquals(what, 1, ev.backing().size());
                OpenedEvidence.BackingFile b = ev.backing().get(0);
                assertEquals(what, 0, b.slot());
                assertEquals(what, "C:\\pagefile.sys", b.name());
                assertArrayEquals(what, pagefile, Volumes.readAll(b.layer()));
            } else {
                assertTrue(what, ev.backing().isEmpty());
            }
            // Holes between runs are gaps, reported missing; run bytes are evidence from the data stream.
            assertFalse(what, ev.physical().provenance(0x500).isAvailable());
            assertEquals(what, new PageProvenance.Missing(new MissingCause.OutsideImage(), "gap in AFF4 map (aff4:Zero)"), ev.physical().provenance(0xa0000));
            PageProvenance p = ev.physical().provenance(0x100010);
            assertTrue(what + " " + p, p instanceof PageProvenance.Evidence);
        }
        try (Aff4Resolver r = Aff4Resolver.open(List.of(volume), Aff4Options.defaults())) {
            assertTrue(what + r.problems(), r.problems().isEmpty());
            Aff4Verifier.Report report = new Aff4Verifier(r).verify();
            assertTrue(what + report.checks(), report.verified());
            for (String s : r.imageStreams()) {
                ImageStream is = (ImageStream) r.stream(s);
                assertEquals(what, codec, is.codec());
            }
        }
    }

    @Test
    public void everyCodecRoundTripsWithoutPagefile() throws Exception {
        for (Aff4Codec c : Aff4Codec.values()) {
            roundTrip(c, Aff4Writer.Layout.SINGLE_DATA_STREAM, false, false, List.of());
        }
    }

    @Test
    public void everyCodecRoundTripsWithPagefileWiredAsSlotZero() throws Exception {
        for (Aff4Codec c : Aff4Codec.values()) {
            roundTrip(c, Aff4Writer.Layout.SINGLE_DATA_STREAM, true, false, List.of());
        }
    }

    @Test
    public void streamPerRunLayoutRoundTrips() throws Exception {
        roundTrip(Aff4Codec.LZ4, Aff4Writer.Layout.STREAM_PER_RUN, true, false, List.of());
        roundTrip(Aff4Codec.DEFLATE, Aff4Writer.Layout.STREAM_PER_RUN, false, false, List.of());
    }

    @Test
    public void zip64RecordsAndBlockHashesRoundTripAndVerify() throws Exception {
        roundTrip(Aff4Codec.SNAPPY, Aff4Writer.Layout.SINGLE_DATA_STREAM, true, true,
                List.of("MD5", "SHA1", "SHA256", "SHA512", "Blake2b"));
    }

    @Test
    public void writtenVolumeHasTheWinPmemLayout() throws Exception {
        byte[] raw = Volumes.memoryLike(5, RAW_SIZE);
        Path volume = writeVolume(Aff4Codec.SNAPPY, Aff4Writer.Layout.SINGLE_DATA_STREAM, raw, new byte[8192], false,
                List.of("SHA1"));
        Map<String, ZipMember> members = Volumes.members(volume);
        assertTrue(members.keySet().toString(), members.containsKey("information.turtle"));
        assertTrue(members.containsKey("version.txt"));
        assertTrue(members.containsKey("container.description"));
        assertTrue(members.containsKey("PhysicalMemory/map"));
        assertTrue(members.containsKey("PhysicalMemory/idx"));
        assertTrue(members.containsKey("PhysicalMemory/data/00000000"));
        assertTrue(members.containsKey("PhysicalMemory/data/00000000.index"));
        assertTrue(members.containsKey("PhysicalMemory/data/00000000.blockHash.sha1"));
        assertTrue(members.containsKey("C%3A/pagefile.sys/00000000"));
        assertEquals(ZipMember.DEFLATED, members.get("information.turtle").method());
        assertEquals(ZipMember.STORED, members.get("PhysicalMemory/data/00000000").method());
        try (Aff4Resolver r = Aff4Resolver.open(volume)) {
            String vol = r.volumes().get(0).urn();
            assertTrue(vol.startsWith("aff4://"));
            assertEquals(vol + "/PhysicalMemory", r.primaryImage().orElseThrow());
            assertEquals(List.of(new Aff4Resolver.Pagefile(0, "C:\\pagefile.sys", vol + "/C:/pagefile.sys")), r.pagefiles());
            Map<String, List<String>> props = r.properties(vol + "/PhysicalMemory");
            assertEquals(List.of("http://aff4.org/Schema#memory/physical"), props.get("http://aff4.org/Schema#category"));
            assertEquals(List.of("http://code.google.com/p/snappy/"),
                    r.properties(vol + "/PhysicalMemory/data").get("http://aff4.org/Schema#compressionMethod"));
            MapStream map = (MapStream) r.stream(vol + "/PhysicalMemory");
            List<MapStream.Region> regions = new ArrayList<>();
            for (MapStream.Region region : map.regions()) {
                if (!region.isGap()) {
                    regions.add(region);
                }
            }
            assertEquals(3, regions.size());
            assertEquals(0x1000, regions.get(0).start());
            assertEquals(0, regions.get(0).targetOffset());
            assertEquals(0x9f000, regions.get(1).targetOffset());
            ImageStream data = (ImageStream) r.stream(vol + "/PhysicalMemory/data");
            assertEquals(0x9f000 + 0x180000 + 0x23456, data.size());
            assertTrue(data.bevyCount() > 1);
        }
    }

    @Test
    public void incompressibleChunksAreStoredRawAtChunkSize() throws Exception {
        byte[] raw = new byte[RAW_SIZE];
        new java.util.Random(7).nextBytes(raw);
        Path volume = writeVolume(Aff4Codec.LZ4, Aff4Writer.Layout.SINGLE_DATA_STREAM, raw, null, false, List.of());
        try (Aff4Resolver r = Aff4Resolver.open(volume)) {
            String vol = r.volumes().get(0).urn();
            byte[] index = r.segment(vol + "/PhysicalMemory/data/00000000.index").readAll(1 << 20);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(index).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < index.length / 12; i++) {
                assertEquals("chunk " + i, 32768, b.getInt(i * 12 + 8));
            }
            assertArrayEquals(expectedPhysical(raw), Volumes.readAll(r.stream(r.primaryImage().orElseThrow())));
        }
    }

    @Test
    public void compressibleDataIsSmallerThanRaw() throws Exception {
        byte[] raw = Volumes.memoryLike(11, RAW_SIZE);
        Path snappy = writeVolume(Aff4Codec.SNAPPY, Aff4Writer.Layout.SINGLE_DATA_STREAM, raw, null, false, List.of());
        Path stored = writeVolume(Aff4Codec.STORED, Aff4Writer.Layout.SINGLE_DATA_STREAM, raw, null, false, List.of());
        assertTrue(Files.size(snappy) < Files.size(stored) * 3 / 4);
        assertNotEquals(Files.size(snappy), Files.size(stored));
    }

    @Test
    public void writerRefusesToOverwriteAndCleansUpOnAbort() throws Exception {
        Path existing = tmp.newFile("exists.aff4").toPath();
        try {
            Aff4Writer.create(existing, Aff4Writer.Settings.defaults(Aff4Codec.SNAPPY)).close();
            throw new AssertionError("overwrote an existing file");
        } catch (java.nio.file.FileAlreadyExistsException expected) {
            assertEquals(0, Files.size(existing));
        }
        Path partial = tmp.getRoot().toPath().resolve("partial.aff4");
        Aff4Writer w = Aff4Writer.create(partial, Aff4Writer.Settings.defaults(Aff4Codec.SNAPPY));
        w.abort();
        assertFalse(Files.exists(partial));
    }

    @Test
    public void sequentialAndRandomReadsAgreeUnderConcurrency() throws Exception {
        byte[] raw = Volumes.memoryLike(21, RAW_SIZE);
        Path volume = writeVolume(Aff4Codec.SNAPPY, Aff4Writer.Layout.SINGLE_DATA_STREAM, raw, null, false, List.of());
        byte[] expected = expectedPhysical(raw);
        // A cache smaller than one bevy forces eviction and re-decoding while threads race.
        Aff4Options tight = new Aff4Options(6 * 32768, 2, 4);
        try (OpenedEvidence ev = new Aff4Format(tight).open(volume)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Thread th = new Thread(() -> {
                    try {
                        java.util.Random rnd = new java.util.Random(seed);
                        byte[] page = new byte[4096];
                        for (int i = 0; i < 3000; i++) {
                            long a = (rnd.nextInt(RAW_SIZE / 4096)) * 4096L + (seed == 0 ? i % 7 : 0);
                            int n = (int) Math.min(4096, RAW_SIZE - a);
                            ev.physical().read(a, page, 0, n);
                            if (!Arrays.equals(page, 0, n, expected, (int) a, (int) a + n)) {
                                throw new AssertionError("thread " + seed + " read wrong bytes at 0x" + Long.toHexString(a));
                            }
                        }
                        if (seed == 1) {
                            assertArrayEquals(expected, Volumes.readAll(ev.physical()));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertTrue(failures.toString(), failures.isEmpty());
        }
    }
}
