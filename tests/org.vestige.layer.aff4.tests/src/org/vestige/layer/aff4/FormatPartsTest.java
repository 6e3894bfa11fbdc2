package org.vestige.layer.aff4;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.aff4.internal.Aff4Graph;
import org.vestige.layer.aff4.internal.ChunkCache;
import org.vestige.layer.aff4.internal.ChunkCodec;
import org.vestige.layer.aff4.internal.Digester;
import org.vestige.layer.aff4.internal.SymbolicStream;
import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.aff4.internal.ZipFormatException;
import org.vestige.layer.aff4.internal.ZipMember;
import org.vestige.layer.aff4.internal.ZipWriter;

/** The parts: zip container, Turtle metadata, codecs, symbolic streams, Blake2b, the chunk cache. */
public class FormatPartsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void zip64DirectoryAndPrependedBytesAreRead() throws Exception {
        Path z = tmp.getRoot().toPath().resolve("z64.zip");
        byte[] big = new byte[100_000];
        new Random(3).nextBytes(big);
        try (ZipWriter w = new ZipWriter(z, true)) {
            w.addStored("aff4%3A%2F%2Fabc/00000000", big);
            w.addDeflated("information.turtle", "hello turtle".getBytes(StandardCharsets.UTF_8));
            w.finish("aff4://abc");
        }
        try (ZipContainer c = ZipContainer.open(z)) {
            assertEquals("aff4://abc", c.comment());
            ZipMember m = c.member("aff4%3A%2F%2Fabc/00000000");
            assertEquals(100_000, m.size());
            assertArrayEquals(big, c.readMember(m, Long.MAX_VALUE));
            assertEquals("hello turtle", new String(c.readMember(c.member("information.turtle"), 100), StandardCharsets.UTF_8));
            byte[] part = new byte[10];
            c.readFully(m.dataOffset() + 500, part, 0, 10);
            assertArrayEquals(java.util.Arrays.copyOfRange(big, 500, 510), part);
            try {
                c.readMember(m, 1000);
                fail("read a member past the limit");
            } catch (ZipFormatException expected) {
                assertTrue(expected.getMessage().contains("100000 bytes"));
            }
        }
        // Something prepended to the zip (as when a volume is embedded in another file) shifts every offset.
        Path shifted = tmp.getRoot().toPath().resolve("shifted.zip");
        byte[] orig = Files.readAllBytes(z);
        byte[] withPrefix = new byte[orig.length + 777];
        System.arraycopy(orig, 0, withPrefix, 777, orig.length);
        Files.write(shifted, withPrefix);
        try (ZipContainer c = ZipContainer.open(shifted)) {
            assertArrayEquals(big, c.readMember(c.member("aff4%3A%2F%2Fabc/00000000"), Long.MAX_VALUE));
        }
    }

    @Test
    public void notAZipIsRejectedWithTheReason() throws Exception {
        Path p = tmp.newFile("notzip.bin").toPath();
        Files.write(p, new byte[4096]);
        try {
            ZipContainer.open(p).close();
            fail();
        } catch (ZipFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("end-of-central-directory"));
        }
        assertEquals(0, new Aff4Format().probe(p).confidence());
        assertFalse(new Aff4Format().probe(tmp.getRoot().toPath()).accepts());
    }

    @Test
    public void memberNamesMapToUrns() {
        assertEquals("aff4://fcbf/map", Aff4Resolver.urnOfMember("aff4%3A%2F%2Ffcbf/map", "aff4://vol"));
        assertEquals("aff4://vol/PhysicalMemory/data/00000000",
                Aff4Resolver.urnOfMember("PhysicalMemory/data/00000000", "aff4://vol"));
        assertEquals("aff4://vol/C:/pagefile.sys/00000000.index",
                Aff4Resolver.urnOfMember("C%3A/pagefile.sys/00000000.index", "aff4://vol"));
        assertEquals("aff4://vol/a+b", Aff4Resolver.urnOfMember("a+b", "aff4://vol"));
    }

    @Test
    public void turtleWithBaseAndRelativeIrisResolves() throws Exception {
        String ttl = """
                @base <aff4://c7a9c5b8-0000-4000-8000-000000000001> .
                @prefix aff4: <http://aff4.org/Schema#> .
                @prefix memory: <http://aff4.org/Schema#memory/> .
                @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                </PhysicalMemory> a aff4:Map ;
                    aff4:category memory:physical ;
                    aff4:size "4096"^^xsd:long ;
                    aff4:stored <> .
                <PhysicalMemory/data> a aff4:ImageStream ;
                    aff4:chunk_size 32768 ;
                    aff4:compression <https://github.com/google/snappy> .
                </C:/pagefile.sys> aff4:category memory:pagefile ;
                    memory:pagefile_number "1"^^xsd:int .
                """;
        Aff4Graph g = new Aff4Graph();
        g.addTurtle(ttl.getBytes(StandardCharsets.UTF_8), "aff4://ignored-when-base-given");
        String vol = "aff4://c7a9c5b8-0000-4000-8000-000000000001";
        assertTrue(g.types(vol + "/PhysicalMemory").contains("http://aff4.org/Schema#Map"));
        assertEquals(4096L, (long) g.firstLong(vol + "/PhysicalMemory", List.of("http://aff4.org/Schema#size")).orElseThrow());
        assertEquals(vol, g.objects(vol + "/PhysicalMemory", "http://aff4.org/Schema#stored").get(0).value());
        assertEquals("long", g.objects(vol + "/PhysicalMemory", "http://aff4.org/Schema#size").get(0).datatypeName());
        assertEquals(32768L, (long) g.firstLong(vol + "/PhysicalMemory/data",
                org.vestige.layer.aff4.internal.Aff4Lexicon.CHUNK_SIZE).orElseThrow());
        assertEquals(List.of(vol + "/C:/pagefile.sys"),
                g.subjectsWith("http://aff4.org/Schema#category", "http://aff4.org/Schema#memory/pagefile"));
        try {
            new Aff4Graph().addTurtle("<a:a> <b:b> <c:c> .\n<a:a> <b:b> ;; .\n".getBytes(StandardCharsets.UTF_8), "aff4://x");
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("at line 2"));
        }
        try {
            new Aff4Graph().addTurtle("<a:a> <b:b> \"open".getBytes(StandardCharsets.UTF_8), "aff4://x");
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not valid Turtle"));
        }
    }

    /**
     * Found by fuzzing: RDF4J's Turtle parser, at an unterminated collection followed by another directive,
     * reports empty integer literals forever without advancing; the graph stops it once the statements
     * outnumber what the text could hold.
     */
    @Test(timeout = 30_000)
    public void turtleThatMakesTheParserLoopIsRefused() {
        byte[] ttl = "<a:a> <b:b> ( <c:c> .\n@prefix a: <b:> .".getBytes(StandardCharsets.UTF_8);
        try {
            new Aff4Graph().addTurtle(ttl, "aff4://x");
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("information.turtle yields more than")
                    && e.getMessage().contains("from " + ttl.length + " bytes"));
        }
    }

    @Test
    public void everyCodecRoundTripsAChunk() throws Exception {
        byte[] chunk = Volumes.memoryLike(4, 32768);
        for (Aff4Codec c : Aff4Codec.values()) {
            byte[] packed = ChunkCodec.compress(c, chunk, 0, chunk.length);
            byte[] out = new byte[32768];
            assertEquals(c.name(), 32768, ChunkCodec.decompress(c, packed, 0, packed.length, out));
            assertArrayEquals(c.name(), chunk, out);
            if (c != Aff4Codec.STORED) {
                assertTrue(c.name(), packed.length < chunk.length);
                byte[] broken = packed.clone();
                for (int i = 0; i < Math.min(64, broken.length); i++) {
                    broken[i] ^= (byte) 0x5A;
                }
                try {
                    int n = ChunkCodec.decompress(c, broken, 0, broken.length, new byte[32768]);
                    assertTrue(c.name() + " decoded garbage to " + n, n != 32768);
                } catch (ChunkCodec.CorruptChunkException expected) {
                    assertTrue(expected.getMessage().contains(c.name().toLowerCase()));
                }
            }
        }
    }

    @Test
    public void codecUrisAreRecognised() {
        assertEquals(Aff4Codec.SNAPPY, Aff4Codec.fromUri("http://code.google.com/p/snappy/").orElseThrow());
        assertEquals(Aff4Codec.SNAPPY, Aff4Codec.fromUri("https://code.google.com/p/snappy/").orElseThrow());
        assertEquals(Aff4Codec.SNAPPY, Aff4Codec.fromUri("https://github.com/google/snappy").orElseThrow());
        assertEquals(Aff4Codec.LZ4, Aff4Codec.fromUri("https://code.google.com/p/lz4/").orElseThrow());
        assertEquals(Aff4Codec.DEFLATE, Aff4Codec.fromUri("https://tools.ietf.org/html/rfc1951").orElseThrow());
        assertEquals(Aff4Codec.ZLIB, Aff4Codec.fromUri("https://tools.ietf.org/html/rfc1950").orElseThrow());
        assertEquals(Aff4Codec.ZLIB, Aff4Codec.fromUri("https://www.ietf.org/rfc/rfc1950.txt").orElseThrow());
        assertEquals(Aff4Codec.STORED, Aff4Codec.fromUri("http://aff4.org/Schema#NullCompressor").orElseThrow());
        assertEquals(Aff4Codec.STORED, Aff4Codec.fromUri("http://aff4.org/Schema#compression/stored").orElseThrow());
        assertFalse(Aff4Codec.fromUri("https://example.org/zstd").isPresent());
        assertTrue(Aff4Codec.alwaysCompressed("https://github.com/google/snappy"));
        assertFalse(Aff4Codec.alwaysCompressed("http://code.google.com/p/snappy/"));
    }

    @Test
    public void symbolicPatternsRestartEveryMebibyte() {
        SymbolicStream unknown = SymbolicStream.forUrn("http://aff4.org/Schema#UnknownData").orElseThrow();
        byte[] b = new byte[16];
        unknown.fill(0, b, 0, 14);
        assertEquals("UNKNOWNUNKNOWN", new String(b, 0, 14, StandardCharsets.US_ASCII));
        // 2^20 = 7 * 149796 + 4, so the tile ends with "UNKN" and the next mebibyte starts over.
        unknown.fill((1 << 20) - 4, b, 0, 11);
        assertEquals("UNKNUNKNOWN", new String(b, 0, 11, StandardCharsets.US_ASCII));
        SymbolicStream unreadable = SymbolicStream.forUrn("http://aff4.org/Schema#UnreadableData").orElseThrow();
        unreadable.fill(3L << 20, b, 0, 14);
        assertEquals("UNREADABLEDATA", new String(b, 0, 14, StandardCharsets.US_ASCII));
        assertFalse(unreadable.isContent());
        assertEquals(new PageProvenance.Missing(new MissingCause.NotCaptured(),
                "unreadable when acquired (aff4:UnreadableData)"), unreadable.provenance(5));
        SymbolicStream ff = SymbolicStream.forUrn("http://aff4.org/Schema#SymbolicStreamFF").orElseThrow();
        ff.fill(12345, b, 0, 4);
        assertEquals(-1, b[0]);
        assertEquals(new PageProvenance.Evidence("aff4:SymbolicStreamFF", 12345), ff.provenance(12345));
        SymbolicStream a = SymbolicStream.forUrn("http://aff4.org/Schema#SymbolicStream61").orElseThrow();
        assertEquals(4, a.read(0, b, 0, 4, (x, y, z) -> {
        }));
        assertEquals('a', b[0]);
        assertFalse(SymbolicStream.forUrn("http://aff4.org/Schema#SymbolicStreamZZ").isPresent());
        assertTrue(SymbolicStream.forUrn("http://aff4.org/Schema#Zero").orElseThrow().isContent());
    }

    @Test
    public void blake2bMatchesRfc7693() {
        // RFC 7693 Appendix A: BLAKE2b-512("abc").
        assertEquals("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
                HexFormat.of().formatHex(Digester.of("Blake2b", "abc".getBytes(StandardCharsets.US_ASCII))));
        // Incremental updates across block boundaries give the same digest as one update.
        byte[] data = new byte[1000];
        new Random(9).nextBytes(data);
        Digester d = Digester.create("blake2b");
        d.update(data, 0, 127);
        d.update(data, 127, 1);
        d.update(data, 128, 872);
        assertArrayEquals(Digester.of("Blake2b", data), d.digest());
        assertEquals(64, Digester.length("BLAKE2B"));
    }

    @Test
    public void chunkCacheStaysWithinItsBudget() {
        ChunkCache c = new ChunkCache(16 * 32768);
        for (int i = 0; i < 1000; i++) {
            c.put(ChunkCache.key(1, i), new byte[32768]);
            assertTrue(c.size() <= c.capacity());
        }
        assertTrue(c.contains(ChunkCache.key(1, 999)));
        assertFalse(c.contains(ChunkCache.key(1, 0)));
        assertTrue(c.size() > 0);
        ChunkCache off = new ChunkCache(0);
        off.put(1, new byte[10]);
        assertEquals(0, off.size());
    }
}
