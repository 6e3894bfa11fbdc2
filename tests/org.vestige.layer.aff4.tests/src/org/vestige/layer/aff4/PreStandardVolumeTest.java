package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.layer.aff4.internal.ChunkCodec;
import org.vestige.layer.aff4.internal.ImageStream;
import org.vestige.layer.aff4.internal.ZipWriter;

/**
 * Pre-standard volumes built by hand from their documented layouts (no such files are in the test data): WinPmem
 * 2.x / Rekall names in the aff4 namespace with u32 bevy indexes of chunk starts and always-compressed snappy
 * chunks, and Evimetry 1.x-2.1 names in the afflib namespace with u32 indexes of chunk ends.
 */
public class PreStandardVolumeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final int CHUNK = 32768;
    private static final int PER_BEVY = 4;

    /** 10.5 chunks of data; chunk 5 is random so Evimetry's writer would store it raw. */
    private static byte[] data() {
        byte[] d = Volumes.memoryLike(77, CHUNK * 10 + CHUNK / 2);
        byte[] noise = new byte[CHUNK];
        new java.util.Random(5).nextBytes(noise);
        System.arraycopy(noise, 0, d, 5 * CHUNK, CHUNK);
        return d;
    }

    private interface IndexStyle {
        byte[] index(int[] lengths, boolean[] raw);
    }

    private static void writeBevies(ZipWriter z, String prefix, byte[] data, boolean storeRawWhenLarger,
            IndexStyle style, String indexSuffix) throws Exception {
        int chunks = (data.length + CHUNK - 1) / CHUNK;
        for (int b = 0; b * PER_BEVY < chunks; b++) {
            ByteArrayOutputStream bevy = new ByteArrayOutputStream();
            int n = Math.min(PER_BEVY, chunks - b * PER_BEVY);
            int[] lengths = new int[n];
            boolean[] raw = new boolean[n];
            for (int i = 0; i < n; i++) {
                int start = (b * PER_BEVY + i) * CHUNK;
                int len = Math.min(CHUNK, data.length - start);
                byte[] c = ChunkCodec.compress(Aff4Codec.SNAPPY, data, start, len);
                if (storeRawWhenLarger && c.length >= CHUNK - 16 && len == CHUNK) {
                    c = Arrays.copyOfRange(data, start, start + len);
                    raw[i] = true;
                }
                lengths[i] = c.length;
                bevy.writeBytes(c);
            }
            String name = prefix + "/" + String.format("%08d", b);
            z.addStored(name, bevy.toByteArray());
            z.addStored(name + indexSuffix, style.index(lengths, raw));
        }
    }

    private static byte[] mapOf(long size) {
        ByteBuffer m = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        m.putLong(0x2000).putLong(size).putLong(0).putInt(0);
        return m.array();
    }

    @Test
    public void rekallStyleVolumeReads() throws Exception {
        byte[] data = data();
        Path p = tmp.getRoot().toPath().resolve("rekall.aff4");
        String vol = "aff4://5e4f0a84-1111-4111-8111-000000000001";
        try (ZipWriter z = new ZipWriter(p, false)) {
            z.addStored("container.description", vol.getBytes(StandardCharsets.UTF_8));
            // Index: u32 start offsets of each chunk; the last chunk runs to the bevy's end.
            writeBevies(z, "PhysicalMemory/data", data, false, (lengths, raw) -> {
                ByteBuffer b = ByteBuffer.allocate(lengths.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                int off = 0;
                for (int l : lengths) {
                    b.putInt(off);
                    off += l;
                }
                return b.array();
            }, "/index");
            z.addStored("PhysicalMemory/map", mapOf(data.length));
            z.addStored("PhysicalMemory/idx", (vol + "/PhysicalMemory/data\n").getBytes(StandardCharsets.UTF_8));
            String ttl = """
                    @prefix aff4: <http://aff4.org/Schema#> .
                    @prefix memory: <http://aff4.org/Schema#memory/> .
                    <VOL> a aff4:zip_volume .
                    <VOL/PhysicalMemory> a aff4:map ; aff4:category memory:physical ; aff4:stored <VOL> .
                    <VOL/PhysicalMemory/data> a aff4:image ; aff4:chunk_size 32768 ; aff4:chunks_per_segment 4 ;
                        aff4:compression <https://github.com/google/snappy> ; aff4:size SIZE ; aff4:stored <VOL> .
                    """.replace("VOL", vol).replace("SIZE", Integer.toString(data.length));
            z.addDeflated("information.turtle", ttl.getBytes(StandardCharsets.UTF_8));
            z.finish("");
        }
        try (OpenedEvidence ev = new Aff4Format().open(p)) {
            assertEquals("memory image", ev.properties().get("kind"));
            // No aff4:size on the map: it ends with its last entry.
            assertEquals(0x2000 + data.length, ev.physical().size());
            byte[] expected = new byte[0x2000 + data.length];
            System.arraycopy(data, 0, expected, 0x2000, data.length);
            assertArrayEquals(expected, Volumes.readAll(ev.physical()));
        }
    }

    @Test
    public void evimetryPreStandardVolumeReads() throws Exception {
        byte[] data = data();
        Path p = tmp.getRoot().toPath().resolve("evimetry-prestd.af4");
        String vol = "aff4://5e4f0a84-2222-4222-8222-000000000002";
        String stream = "aff4://5e4f0a84-2222-4222-8222-0000000000aa";
        String map = "aff4://5e4f0a84-2222-4222-8222-0000000000bb";
        String image = "aff4://5e4f0a84-2222-4222-8222-0000000000cc";
        boolean[] sawRaw = {false};
        try (ZipWriter z = new ZipWriter(p, false)) {
            String prefix = stream.replace("aff4://", "aff4%3A%2F%2F");
            // Index: u32 end offsets of each chunk (the first chunk is assumed to start at 0).
            writeBevies(z, prefix, data, true, (lengths, raw) -> {
                ByteBuffer b = ByteBuffer.allocate(lengths.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                int off = 0;
                for (int i = 0; i < lengths.length; i++) {
                    off += lengths[i];
                    b.putInt(off);
                    sawRaw[0] |= raw[i];
                }
                return b.array();
            }, "/index");
            String mapPrefix = map.replace("aff4://", "aff4%3A%2F%2F");
            z.addStored(mapPrefix + "/map", mapOf(data.length));
            z.addStored(mapPrefix + "/idx", (stream + "\n").getBytes(StandardCharsets.UTF_8));
            String ttl = """
                    @prefix afflib: <http://afflib.org/2009/aff4#> .
                    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                    <{VOL}> a afflib:zip_volume .
                    <{IMG}> a afflib:Image ; afflib:dataStream <{MAP}> ; afflib:stored <{VOL}> .
                    <{MAP}> a afflib:map ; afflib:size "{MSZ}"^^xsd:long ; afflib:stored <{VOL}> .
                    <{STR}> a afflib:stream ; afflib:chunk_size "32768"^^xsd:int ; afflib:chunks_in_segment "4"^^xsd:int ;
                        afflib:CompressionMethod <http://code.google.com/p/snappy/> ; afflib:size "{SZ}"^^xsd:long ;
                        afflib:stored <{VOL}> .
                    """.replace("{VOL}", vol).replace("{IMG}", image).replace("{MAP}", map).replace("{STR}", stream)
                    .replace("{SZ}", Integer.toString(data.length))
                    .replace("{MSZ}", Integer.toString(0x2000 + data.length));
            z.addStored("information.turtle", ttl.getBytes(StandardCharsets.UTF_8));
            z.finish(vol);
        }
        assertTrue("the test data should contain a raw chunk", sawRaw[0]);
        try (Aff4Resolver r = Aff4Resolver.open(p)) {
            assertEquals(image, r.primaryImage().orElseThrow());
            ImageStream s = (ImageStream) r.stream(stream);
            assertEquals(32768, s.chunkSize());
            assertEquals(4, s.chunksPerSegment());
            assertArrayEquals(data, Volumes.readAll(s));
            byte[] expected = new byte[0x2000 + data.length];
            System.arraycopy(data, 0, expected, 0x2000, data.length);
            assertArrayEquals(expected, Volumes.readAll(r.stream(image)));
            assertTrue(r.problems().toString(), r.problems().isEmpty());
        }
    }
}
