package org.vestige.layer.crashdump;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.vestige.layer.crashdump.KernelDumpBuilder.PAGE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * Builds complete, bitmap and RDMP kernel dumps from a known physical image and checks that every
 * page reads back identically, that absent pages are missing with the reason, and that the header
 * fields come through.
 */
public class KernelDumpTest {

    private static final int PAGES = 70;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final byte[] image = image(PAGES);

    private static byte[] image(int pages) {
        byte[] b = new byte[pages * PAGE];
        new Random(42).nextBytes(b);
        for (int p = 0; p < pages; p++) {
            // stamp each page with its number so a page read from the wrong place shows
            b[p * PAGE] = (byte) p;
            b[p * PAGE + 1] = (byte) (p >> 8);
        }
        return b;
    }

    private Path write(String name, byte[] content) throws Exception {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Reads every page of the image through {@code layer} and compares it with the image or zeros. */
    private void assertPages(Layer layer, boolean[] present, MissingCause cause, String reason) {
        for (int p = 0; p < present.length; p++) {
            List<PageProvenance> seen = new ArrayList<>();
            byte[] got = new byte[PAGE];
            int available = layer.read((long) p * PAGE, got, 0, PAGE, (a, l, prov) -> seen.add(prov));
            if (present[p]) {
                assertEquals("page " + p, PAGE, available);
                assertArrayEquals("page " + p, Arrays.copyOfRange(image, p * PAGE, (p + 1) * PAGE), got);
                assertTrue(seen.get(0) instanceof PageProvenance.Evidence);
            } else {
                assertEquals("page " + p, 0, available);
                assertArrayEquals(new byte[PAGE], got);
                assertEquals(List.of(new PageProvenance.Missing(cause, reason)), seen);
            }
        }
    }

    /** One read across the whole image must equal the page-by-page expectation. */
    private void assertWholeRead(Layer layer, boolean[] present) {
        byte[] expected = new byte[present.length * PAGE];
        int expectedAvailable = 0;
        for (int p = 0; p < present.length; p++) {
            if (present[p]) {
                System.arraycopy(image, p * PAGE, expected, p * PAGE, PAGE);
                expectedAvailable += PAGE;
            }
        }
        byte[] got = new byte[expected.length];
        assertEquals(expectedAvailable, layer.read(0, got, 0, got.length));
        assertArrayEquals(expected, got);
        // an unaligned read straddling pages
        byte[] part = new byte[3 * PAGE];
        layer.read(5 * PAGE + 123, part, 0, part.length);
        assertArrayEquals(Arrays.copyOfRange(expected, 5 * PAGE + 123, 8 * PAGE + 123), part);
    }

    private static boolean[] fromRuns(long[][] runs, int pages) {
        boolean[] present = new boolean[pages];
        for (long[] r : runs) {
            for (long p = r[0]; p < r[0] + r[1]; p++) {
                present[(int) p] = true;
            }
        }
        return present;
    }

    @Test
    public void fullDumpReadsBackIdentically() throws Exception {
        long[][] runs = {{1, 9}, {16, 24}, {48, 22}};
        Path path = write("full.dmp", KernelDumpBuilder.fullDump(image, runs));
        boolean[] present = fromRuns(runs, PAGES);
        try (CrashDump d = CrashDump.open(path)) {
            assertEquals(DumpType.FULL, d.dumpType());
            assertEquals(AddressSpace.PHYSICAL, d.addressSpace());
            PhysicalMemoryDescriptor pmb = d.header().physicalMemoryBlock().orElseThrow();
            assertEquals(3, pmb.numberOfRuns());
            assertEquals(55, pmb.numberOfPages());
            assertEquals(new PhysicalRun(16, 24, 0x2000 + 9 * PAGE), pmb.runs().get(1));
            assertEquals(70L * PAGE, d.memory().size());
            assertPages(d.memory(), present, new MissingCause.OutsideImage(),
                    "page not in dump (outside the PhysicalMemoryBlock runs)");
            assertWholeRead(d.memory(), present);
            // provenance: page 16 is the first page of the second run, stored after the 9 pages of the first
            assertEquals(new PageProvenance.Evidence(path.toString(), 0x2000 + 9L * PAGE + 0x10),
                    d.memory().provenance(16L * PAGE + 0x10));
            assertTrue(d.warnings().toString(), d.warnings().isEmpty());
        }
    }

    @Test
    public void headerFieldsOfASyntheticDump() throws Exception {
        Path path = write("full.dmp", KernelDumpBuilder.fullDump(image, new long[][] {{0, 4}}));
        try (CrashDump d = CrashDump.open(path)) {
            DumpHeader h = d.header();
            assertEquals(22621, h.buildNumber());
            assertEquals(KernelDumpBuilder.DTB, h.directoryTableBase());
            assertEquals(KernelDumpBuilder.PFN_DATABASE, h.pfnDatabase());
            assertEquals(KernelDumpBuilder.PS_LOADED_MODULE_LIST, h.psLoadedModuleList());
            assertEquals(KernelDumpBuilder.PS_ACTIVE_PROCESS_HEAD, h.psActiveProcessHead());
            assertEquals(KernelDumpBuilder.KD_DEBUGGER_DATA_BLOCK, h.kdDebuggerDataBlock());
            assertEquals(4, h.numberProcessors());
            assertEquals(new BugCheck(0xe2, List.of(1L, 2L, 3L, 4L)), h.bugCheck());
            assertEquals(0x80000003, h.exception().code());
            assertEquals(KernelDumpBuilder.RIP, h.exception().address());
            assertEquals(0x2000 + 4L * PAGE, h.requiredDumpSpace());
            assertEquals(1, h.productType());
            assertEquals(0x110, h.suiteMask());
            assertEquals(java.time.Duration.ofHours(1), h.systemUpTime().orElseThrow());
            // FILETIME counts 100 ns ticks from 1601: 1.33e17 ticks are 13.3e9 seconds after it
            assertEquals(java.time.Instant.parse("1601-01-01T00:00:00Z").plusSeconds(13_300_000_000L), h.systemTime().orElseThrow());
            assertEquals("", h.comment());
            CpuContext c = d.context().orElseThrow();
            assertEquals(KernelDumpBuilder.RIP, c.instructionPointer());
            assertEquals(KernelDumpBuilder.RSP, c.stackPointer());
            assertEquals(0xe2L, c.register("rcx"));
            assertTrue(d.triage().isEmpty());
            KernelHints k = d.hints();
            assertEquals(new KernelHints(KernelDumpBuilder.DTB, KernelDumpBuilder.PFN_DATABASE,
                    KernelDumpBuilder.PS_LOADED_MODULE_LIST, KernelDumpBuilder.PS_ACTIVE_PROCESS_HEAD,
                    KernelDumpBuilder.KD_DEBUGGER_DATA_BLOCK, 0x8664, 0xf, 22621, false), k);
        }
    }

    @Test
    public void bitmapDumpReadsBackIdentically() throws Exception {
        boolean[] present = new boolean[PAGES];
        Random r = new Random(7);
        for (int i = 0; i < PAGES; i++) {
            present[i] = r.nextInt(3) != 0;
        }
        present[0] = false;
        present[63] = true;
        present[64] = true;
        present[PAGES - 1] = true;
        for (String signature : List.of("SDMP", "FDMP")) {
            int type = signature.equals("SDMP") ? 6 : 5;
            Path path = write(signature + ".dmp", KernelDumpBuilder.bitmapDump(image, present, signature, type));
            try (CrashDump d = CrashDump.open(path)) {
                BitmapHeader b = d.bitmap().orElseThrow();
                assertEquals(signature, b.signature());
                assertEquals(PAGES, b.pages());
                long count = 0;
                for (boolean p : present) {
                    count += p ? 1 : 0;
                }
                assertEquals(count, b.totalPresentPages());
                assertEquals(count, b.countedPages());
                assertEquals(AddressSpace.PHYSICAL, d.addressSpace());
                assertEquals((long) PAGES * PAGE, d.memory().size());
                assertPages(d.memory(), present, new MissingCause.NotCaptured(), "page not in dump (bitmap)");
                assertWholeRead(d.memory(), present);
                assertTrue(d.warnings().toString(), d.warnings().isEmpty());
                // beyond the pages the bitmap describes
                PageProvenance beyond = d.memory().provenance((long) PAGES * PAGE);
                assertTrue(beyond instanceof PageProvenance.Missing m && m.reason().contains("beyond"));
            }
        }
    }

    @Test
    public void fullDumpWhoseFirstPageLooksLikeABitmapHeaderStaysRunBased() throws Exception {
        byte[] tricky = image.clone();
        System.arraycopy("SDMPDUMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, tricky, 0, 8);
        Path path = write("tricky.dmp", KernelDumpBuilder.fullDump(tricky, new long[][] {{0, 4}}));
        try (CrashDump d = CrashDump.open(path)) {
            assertTrue(d.bitmap().isEmpty());
            assertArrayEquals(Arrays.copyOf(tricky, 4 * PAGE), d.memory().readBytes(0, 4 * PAGE));
        }
    }

    @Test
    public void kernelSummaryDumpWithBitmapHeaderUsesTheBitmap() throws Exception {
        boolean[] present = new boolean[PAGES];
        for (int i = 10; i < 30; i++) {
            present[i] = true;
        }
        Path path = write("summary.dmp", KernelDumpBuilder.bitmapDump(image, present, "SDMP", 2));
        try (CrashDump d = CrashDump.open(path)) {
            assertEquals(DumpType.SUMMARY, d.dumpType());
            assertTrue(d.bitmap().isPresent());
            assertPages(d.memory(), present, new MissingCause.NotCaptured(), "page not in dump (bitmap)");
        }
    }

    @Test
    public void rdmpDumpsReadBackIdentically() throws Exception {
        List<long[]> ranges = List.of(new long[] {2, 5}, new long[] {12, 30}, new long[] {60, 10});
        boolean[] present = fromRuns(ranges.toArray(new long[0][]), PAGES);
        for (int type : new int[] {8, 9, 10}) {
            Path path = write("rdmp" + type + ".dmp", KernelDumpBuilder.rdmpDump(image, ranges, type));
            try (CrashDump d = CrashDump.open(path)) {
                assertEquals(DumpType.fromCode(type), d.dumpType());
                // a complete dump leaves out only what is not RAM; kernel dumps leave out pages the machine had
                assertPages(d.memory(), present, type == 10 ? new MissingCause.OutsideImage()
                        : new MissingCause.NotCaptured(), "page not in dump (outside the RDMP PFN ranges)");
                assertWholeRead(d.memory(), present);
                assertTrue(d.warnings().toString(), d.warnings().isEmpty());
            }
        }
    }

    @Test
    public void x86FullDumpReadsBackIdentically() throws Exception {
        long[][] runs = {{0, 20}, {30, 40}};
        Path path = write("full32.dmp", KernelDumpBuilder.fullDump32(image, runs));
        try (CrashDump d = CrashDump.open(path)) {
            DumpHeader h = d.header();
            assertEquals("PAGEDUMP", h.signature());
            assertFalse(h.is64Bit());
            assertEquals(7601, h.buildNumber());
            assertEquals(0x185000L, h.directoryTableBase());
            assertEquals(0x8297c850L, h.psLoadedModuleList());
            assertEquals(0x82970be8L, h.kdDebuggerDataBlock());
            assertTrue(h.paeEnabled());
            assertEquals(new BugCheck(0xa, List.of(0x11L, 0x22L, 0x33L, 0x44L)), h.bugCheck());
            assertEquals(0x828d6a6cL, d.context().orElseThrow().instructionPointer());
            assertEquals("x86", d.context().orElseThrow().architecture());
            assertPages(d.memory(), fromRuns(runs, PAGES), new MissingCause.OutsideImage(),
                    "page not in dump (outside the PhysicalMemoryBlock runs)");
        }
    }

    @Test
    public void truncatedFullDumpReportsTheMissingTail() throws Exception {
        long[][] runs = {{0, 40}};
        byte[] whole = KernelDumpBuilder.fullDump(image, runs);
        int cut = 0x2000 + 30 * PAGE + 100;
        Path path = write("cut.dmp", Arrays.copyOf(whole, cut));
        try (CrashDump d = CrashDump.open(path)) {
            assertTrue(d.warnings().toString(), d.warnings().get(0).contains("truncated"));
            byte[] page = new byte[PAGE];
            List<PageProvenance> seen = new ArrayList<>();
            int available = d.memory().read(30L * PAGE, page, 0, PAGE, (a, l, p) -> seen.add(p));
            assertEquals(100, available);
            assertArrayEquals(Arrays.copyOfRange(image, 30 * PAGE, 30 * PAGE + 100), Arrays.copyOf(page, 100));
            PageProvenance.Missing m = (PageProvenance.Missing) seen.get(1);
            assertTrue(m.reason(), m.reason().contains("truncated") && m.reason().contains("0x20064"));
            assertEquals(0, d.memory().read(35L * PAGE, page, 0, PAGE));
        }
    }

    @Test
    public void formatOpensThePhysicalLayerWithTheHeaderInTheProperties() throws Exception {
        Path path = write("full.dmp", KernelDumpBuilder.fullDump(image, new long[][] {{0, 8}}));
        CrashDumpFormat format = new CrashDumpFormat();
        ProbeResult r = format.probe(path);
        assertEquals(ProbeResult.CERTAIN, r.confidence());
        assertTrue(r.explanation(), r.explanation().contains("build 22621"));
        try (OpenedEvidence e = format.open(path)) {
            assertEquals("crashdump", e.formatId());
            assertEquals("full (runs) (1)", e.properties().get("dump type"));
            assertEquals("0x1ad000", e.properties().get("DirectoryTableBase"));
            assertEquals("1 runs, 8 pages", e.properties().get("physical memory block"));
            assertArrayEquals(Arrays.copyOf(image, 8 * PAGE), e.physical().readBytes(0, 8 * PAGE));
            assertEquals(KernelDumpBuilder.PS_ACTIVE_PROCESS_HEAD, CrashDumpFormat.hints(e).psActiveProcessHead());
            assertEquals(AddressSpace.PHYSICAL, ((DumpLayer) e.physical()).addressSpace());
        }
    }

    @Test
    public void concurrentReadsAgree() throws Exception {
        boolean[] present = new boolean[PAGES];
        Arrays.fill(present, true);
        present[3] = false;
        Path path = write("bmp.dmp", KernelDumpBuilder.bitmapDump(image, present, "FDMP", 5));
        try (CrashDump d = CrashDump.open(path)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    results.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        for (int i = 0; i < 500; i++) {
                            int p = 4 + r.nextInt(PAGES - 5);
                            int off = r.nextInt(PAGE);
                            byte[] got = d.memory().readBytes((long) p * PAGE + off, 200);
                            if (!Arrays.equals(Arrays.copyOfRange(image, p * PAGE + off, p * PAGE + off + 200), got)) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertTrue(f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
