package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.store.BackingStore;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * The synthesized memory-compression store laid out as Windows lays it out, on 17763, 19041, 22000 and
 * 26100, checked the way a reader without symbols checks a real one (MemProcFS, vmm/mm/mm_win.c): every
 * {@code SMKM_STORE_METADATA.SmkmStore} a page-aligned pointer, each metadata array a pool block tagged
 * {@code smSa}, each chunk-pointer array that is not page aligned a pool block tagged {@code smBA}, each
 * chunk of page records on a page of its own with its header (the chunk's number first) at the page
 * start; Vestige still reads every page equal to the truth. A copy of the image whose SmkmStore pointers
 * carry flag bits still reads, and the store says what it met.
 */
@RunWith(Parameterized.class)
public class CompressedStoreLayoutTest {

    /** _SMKM_STORE's ST_DATA_MGR, its ChunkMetaData and the metadata's size (x64, every build with a store) */
    private static final int DATA_MANAGER = 0x50;
    private static final int CHUNK_METADATA = 0xC0;
    private static final int METADATA_SIZE = 0x28;
    /** the PoolTag of a 16-byte x64 _POOL_HEADER lies 12 bytes before the block's body */
    private static final int TAG_BEFORE_BODY = 12;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds().stream().filter(b -> (int) b[0] >= 14393).toList();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final SynthTruth.CompressedStoreInfo truth;

    public CompressedStoreLayoutTest(int build, String profileId) {
        this.build = build;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(57).windowsBuild(build)
                .compressedStore(SynthOptions.CompressedStore.INTACT).build());
        this.truth = image.truth().compressedStore();
    }

    private AnalysisSession open(Path evidence) throws Exception {
        EvidenceCase c = EvidenceCase.open(evidence, List.of(new PagefileSpec(-1, image.pagefile())), Extensions
                .fromPlatform().formats(), false, new NullProgressMonitor());
        return new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings.builder(tmp.getRoot().toPath())
                .disableStores(Set.of()).build());
    }

    private static long u64(X64Layer kernel, long va) {
        return ByteBuffer.wrap(kernel.readBytes(va, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String tagBefore(X64Layer kernel, long body) {
        return new String(kernel.readBytes(body - TAG_BEFORE_BODY, 4), StandardCharsets.ISO_8859_1);
    }

    @Test
    public void everyStoreAllocationIsPlacedAndTaggedAsOnWindows() throws Exception {
        try (AnalysisSession session = open(image.image())) {
            X64Layer kernel = WindowsKernel.require(session, "test").discovery().kernel();
            assertEquals("KeyToStoreTree root on a page", 0, truth.keyToStoreTree() & 0xFFF);
            int chunks = 0;
            for (SynthTruth.Store s : truth.stores()) {
                String what = "build " + build + " store " + s.index();
                long smkmStore = u64(kernel, s.metadata());
                assertEquals(what + " SmkmStore", s.address(), smkmStore);
                assertEquals(what + " SmkmStore page aligned", 0, smkmStore & 0xFFF);
                long array = s.metadata() - (s.index() & 0x1F) * (long) METADATA_SIZE;
                assertEquals(what + " metadata array tag", "smSa", tagBefore(kernel, array));
                long chunkMeta = s.address() + DATA_MANAGER + CHUNK_METADATA;
                for (int i = 0; i < 32; i++) {
                    long pointers = u64(kernel, chunkMeta + i * 8L);
                    if (pointers == 0) {
                        continue;
                    }
                    if ((pointers & 0xFFF) != 0) {
                        assertEquals(what + " chunk-pointer array " + i + " tag", "smBA", tagBefore(kernel,
                                pointers));
                    }
                    for (long j = 0; j < 1L << i; j++) {
                        long chunk = u64(kernel, pointers + j * 16);
                        if (chunk == 0) {
                            continue;
                        }
                        chunks++;
                        assertEquals(what + " chunk " + i + "/" + j + " at 0x" + Long.toHexString(chunk)
                                + " on a page", 0, chunk & 0xFFF);
                        long header = u64(kernel, chunk) & 0xFFFF_FFFFL;
                        assertEquals(what + " chunk header at the page start", (1L << i) | j, header);
                    }
                }
            }
            assertTrue("the stores have chunks of page records", chunks >= 2);
        }
    }

    @Test
    public void everyCompressedPageStillReadsEqualToTheTruth() throws Exception {
        List<CompressedStoreTest.Read> reads = CompressedStoreTest.readAll(image, true, Set.of(), tmp.getRoot()
                .toPath());
        assertEquals(truth.pages().size(), reads.size());
        for (CompressedStoreTest.Read r : reads) {
            assertEquals("pid " + r.page().pid() + " va 0x" + Long.toHexString(r.page().va()), r.page().sha256(),
                    r.sha256());
        }
        assertTrue("moved records are kept", reads.stream().anyMatch(r -> r.page().moved() > 0));
    }

    @Test
    public void flaggedSmkmStorePointersStillReadAndAreReported() throws Exception {
        Path copy = tmp.getRoot().toPath().resolve("flagged-" + build + ".raw");
        Files.copy(image.image(), copy);
        List<Long> physical = new ArrayList<>();
        try (AnalysisSession session = open(image.image())) {
            X64Layer kernel = WindowsKernel.require(session, "test").discovery().kernel();
            for (SynthTruth.Store s : truth.stores()) {
                long at = kernel.translate(s.metadata());
                assertNotEquals("metadata resident", -1, at);
                physical.add(at);
            }
        }
        try (FileChannel f = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int i = 0; i < physical.size(); i++) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                f.read(b, physical.get(i));
                long flagged = b.flip().getLong() | (0x5 + i * 0x10);
                f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(flagged).flip(), physical.get(
                        i));
            }
        }
        try (AnalysisSession session = open(copy)) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            for (SynthTruth.CompressedPage p : truth.pages()) {
                var process = kernel.processes().processes().stream().filter(x -> x.pid() == p.pid()).findFirst()
                        .orElseThrow();
                byte[] page = kernel.processLayers().layer(process).readBytes(p.va(), 4096);
                assertEquals("pid " + p.pid() + " va 0x" + Long.toHexString(p.va()), p.sha256(), CompressedStoreTest
                        .sha256(page));
            }
            BackingStore store = kernel.stores().stream().filter(s -> s.slot() == truth.virtualStoreSlot())
                    .findFirst().orElseThrow();
            for (SynthTruth.Store s : truth.stores()) {
                String expected = "store " + s.index() + " at 0x" + Long.toHexString(s.address())
                        + ": SMKM_STORE_METADATA.SmkmStore is 0x";
                assertTrue(store.problems().toString(), store.problems().stream().anyMatch(m -> m.startsWith(
                        expected) && m.contains("page-aligned")));
            }
        }
    }

    /** how far the test moves a chunk of page records into its page (its records still fit behind) */
    private static final int SHIFT = 0x100;

    @Test
    public void aChunkOffItsPageStillReadsAndIsReported() throws Exception {
        Path copy = tmp.getRoot().toPath().resolve("unaligned-" + build + ".raw");
        Files.copy(image.image(), copy);
        long chunk = 0;
        long entryAt = -1;
        long pageAt = -1;
        byte[] page = null;
        try (AnalysisSession session = open(image.image())) {
            X64Layer kernel = WindowsKernel.require(session, "test").discovery().kernel();
            search: for (SynthTruth.Store s : truth.stores()) {
                long chunkMeta = s.address() + DATA_MANAGER + CHUNK_METADATA;
                for (int i = 0; i < 32; i++) {
                    long pointers = u64(kernel, chunkMeta + i * 8L);
                    for (long j = 0; pointers != 0 && j < 1L << i; j++) {
                        long c = u64(kernel, pointers + j * 16);
                        if (c == 0) {
                            continue;
                        }
                        byte[] b = kernel.readBytes(c, 4096);
                        boolean room = true;
                        for (int k = 4096 - SHIFT; k < 4096; k++) {
                            room &= b[k] == 0;
                        }
                        if (room) {
                            chunk = c;
                            page = b;
                            entryAt = kernel.translate(pointers + j * 16);
                            pageAt = kernel.translate(c);
                            break search;
                        }
                    }
                }
            }
        }
        assertNotEquals("a chunk with room in its page", 0, chunk);
        long moved = chunk + SHIFT;
        try (FileChannel f = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            b.position(SHIFT).put(page, 0, 4096 - SHIFT).flip();
            f.write(b, pageAt);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(moved).flip(), entryAt);
        }
        String note = "its chunk of page records at 0x" + Long.toHexString(moved)
                + " does not start on a page boundary";
        try (AnalysisSession session = open(copy)) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            for (SynthTruth.CompressedPage p : truth.pages()) {
                var process = kernel.processes().processes().stream().filter(x -> x.pid() == p.pid()).findFirst()
                        .orElseThrow();
                byte[] read = kernel.processLayers().layer(process).readBytes(p.va(), 4096);
                assertEquals("pid " + p.pid() + " va 0x" + Long.toHexString(p.va()), p.sha256(), CompressedStoreTest
                        .sha256(read));
            }
            BackingStore store = kernel.stores().stream().filter(s -> s.slot() == truth.virtualStoreSlot())
                    .findFirst().orElseThrow();
            assertTrue(store.problems().toString(), store.problems().stream().anyMatch(m -> m.contains(note)));
        }
        Cli.Invocation info = WindowsAnalysesTest.vestige("-f", copy.toString(), "--no-hash", "-q", "--pagefile",
                image.pagefile().toString(), "windows.compressed.info", "-r", "json");
        assertEquals(info.err(), 0, info.exitCode());
        assertTrue(info.err(), info.err().contains(note));
    }
}
