package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.windows.WindowsKernel;
import org.vestige.testing.JsonLines;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.WinProcess;
import org.vestige.windows.X64Layer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The memory-compression store on every synthesized build from 14393 to 26100: pages whose PTEs
 * name the virtual store read back byte-identical through the processes' own address spaces, with
 * the store's key, index and region as provenance; a region paged out with no pagefile, a damaged
 * B+tree node and a store switched off make exactly the affected pages missing, with the reason.
 * The installed profiles are used as they are, so SmGlobals is found by symbol where the profile
 * has one and by the CACHEALI scan or the code signature where it does not.
 */
@RunWith(Parameterized.class)
public class CompressedStoreTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return List.of(new Object[] {14393, "windows.x64.14393.03A098BC85D047028437D88E4C8BBC6B-1"},
                new Object[] {17763, "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1"},
                new Object[] {19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1"},
                new Object[] {22621, "windows.x64.22621.win11_x64_22621_partial"},
                new Object[] {26100, "windows.x64.26100.win11_x64_26100_partial"});
    }

    private final int build;
    private final String profileId;

    public CompressedStoreTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
    }

    private ImageSynthesizer.Output image(SynthOptions.CompressedStore kind) {
        return SynthesizedImages.installed(profileId, SynthOptions.builder().seed(57).windowsBuild(build)
                .compressedStore(kind).build());
    }

    record Read(SynthTruth.CompressedPage page, PageProvenance provenance, String sha256) {
    }

    /** @return the SHA-256 of {@code bytes} in hex, as the truth records a page's */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads every compressed page of the truth through its process's address space. */
    private static List<Read> readAll(ImageSynthesizer.Output image, boolean withPagefile, Set<String> disabled)
            throws Exception {
        return readAll(image, withPagefile, disabled, tmp.getRoot().toPath());
    }

    /** @param sessions the folder the sessions keep their files in (a test class's own temporary folder) */
    static List<Read> readAll(ImageSynthesizer.Output image, boolean withPagefile, Set<String> disabled,
            Path sessions) throws Exception {
        List<Read> reads = new ArrayList<>();
        List<PagefileSpec> pagefiles = withPagefile ? List.of(new PagefileSpec(-1, image.pagefile())) : List.of();
        EvidenceCase c = EvidenceCase.open(image.image(), pagefiles, Extensions.fromPlatform().formats(), false,
                new NullProgressMonitor());
        try (AnalysisSession session = new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings.builder(sessions)
                .disableStores(disabled).build())) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            for (SynthTruth.CompressedPage p : image.truth().compressedStore().pages()) {
                WinProcess process = kernel.processes().processes().stream().filter(x -> x.pid() == p.pid())
                        .findFirst().orElseThrow();
                X64Layer layer = kernel.processLayers().layer(process);
                byte[] page = new byte[4096];
                PageProvenance[] seen = new PageProvenance[1];
                layer.read(p.va(), page, 0, page.length, (a, l, prov) -> seen[0] = prov);
                reads.add(new Read(p, seen[0], sha256(page)));
            }
        }
        return reads;
    }

    @Test
    public void everyCompressedPageReadsBackByteIdentical() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.INTACT);
        SynthTruth.CompressedStoreInfo store = image.truth().compressedStore();
        assertTrue(store.pages().size() >= 8);
        List<Read> reads = readAll(image, true, Set.of());
        for (Read r : reads) {
            SynthTruth.CompressedPage p = r.page();
            String what = "pid " + p.pid() + " va 0x" + Long.toHexString(p.va()) + " (" + p.storedAs() + ")";
            assertEquals(what, new PageProvenance.Compressed(p.key(), p.store(), p.region() < 0 ? -1 : p.region()),
                    r.provenance());
            assertEquals(what, p.sha256(), r.sha256());
        }
        assertTrue("some page lies in a region page that is itself paged out", reads.stream().anyMatch(r -> r.page()
                .regionPagedOut()));
        assertTrue(reads.stream().anyMatch(r -> r.page().moved() > 0));
        assertTrue(reads.stream().anyMatch(r -> r.page().storedAs().equals("raw")));
        assertTrue(reads.stream().anyMatch(r -> r.page().storedAs().equals("zero")));
    }

    @Test
    public void aRegionPagedOutWithNoPagefileMakesOnlyItsPagesMissing() throws Exception {
        List<Read> reads = readAll(image(SynthOptions.CompressedStore.INTACT), false, Set.of());
        for (Read r : reads) {
            if (r.page().regionPagedOut()) {
                PageProvenance.Missing m = (PageProvenance.Missing) r.provenance();
                assertTrue(m.reason(), m.reason().contains("compressed in the memory-compression store (key 0x"
                        + Long.toHexString(r.page().key()) + ")") && m.reason().contains("paged out to pagefile.sys"));
                // supplying pagefile.sys would fill it: the region page's cause, not the store's
                assertTrue(m.cause().toString(), m.cause() instanceof MissingCause.PagedOut p && p.slot() == 0);
            } else {
                assertEquals(r.page().sha256(), r.sha256());
            }
        }
    }

    @Test
    public void withTheStoreSwitchedOffEveryCompressedPageSaysSo() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.INTACT);
        int virtualStore = image.truth().compressedStore().virtualStoreSlot();
        for (Read r : readAll(image, true, Set.of("compressed"))) {
            PageProvenance.Missing m = (PageProvenance.Missing) r.provenance();
            assertTrue(m.reason(), m.reason().startsWith("compressed, store reading disabled"));
            MissingCause.StoreUnavailable off = (MissingCause.StoreUnavailable) m.cause();
            assertTrue("switched off, not failed", off.disabled());
            assertEquals("compressed", off.store());
            assertEquals(virtualStore, off.slot());
        }
    }

    @Test
    public void aBrokenNodeLosesOnlyTheKeysBelowIt() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.BROKEN_NODE);
        List<Read> reads = readAll(image, true, Set.of());
        long damaged = reads.stream().filter(r -> r.page().damaged()).count();
        assertTrue(damaged > 0);
        assertTrue(damaged < reads.size());
        SynthTruth.Store broken = image.truth().compressedStore().stores().stream().filter(s -> s.damagedNode() != 0)
                .findFirst().orElseThrow();
        for (Read r : reads) {
            if (r.page().damaged()) {
                PageProvenance.Missing m = (PageProvenance.Missing) r.provenance();
                assertTrue(m.reason(), m.reason().contains("0x" + Long.toHexString(broken.damagedNode())));
            } else {
                assertEquals(r.page().sha256(), r.sha256());
            }
        }
    }

    @Test
    public void procdumpOfAPartlyCompressedImageMatchesTheOriginal() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.INTACT);
        SynthTruth.Process notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        assertTrue(notepad.imagePages().stream().anyMatch(p -> p.kind().equals("compressed")));
        Path out = tmp.newFolder("procdump-" + build).toPath();
        Cli.Invocation with = vestige(image, "--pagefile", image.pagefile().toString(), "-o", out.toString(),
                "windows.procdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(with.err(), 0, with.exitCode());
        assertTrue(with.err(), with.err().contains("sha256 " + notepad.imageSha256()));
        assertTrue(with.err(), with.err().contains("compressed store"));

        Path off = tmp.newFolder("procdump-off-" + build).toPath();
        Cli.Invocation without = vestige(image, "--pagefile", image.pagefile().toString(), "--no-compressed-store",
                "-o", off.toString(), "windows.procdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertEquals(without.err(), 0, without.exitCode());
        assertFalse(without.err(), without.err().contains("sha256 " + notepad.imageSha256()));
        assertTrue(without.out(), without.out().contains("compressed, store reading disabled"));
    }

    @Test
    public void memmapSaysWhichStoreAndRegionHoldEachPage() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.INTACT);
        SynthTruth.CompressedPage lsass = image.truth().compressedStore().pages().stream().filter(p -> !p.storedAs()
                .equals("zero") && !p.regionPagedOut()).findFirst().orElseThrow();
        Cli.Invocation o = vestige(image, "windows.memmap", "--pid", Long.toString(lsass.pid()), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out()).stream().filter(r -> r.path("Kind").asText().equals(
                "compressed")).toList();
        long expectedReadable = image.truth().compressedStore().pages().stream().filter(p -> p.pid() == lsass.pid()
                && !p.regionPagedOut()).count();
        assertEquals(o.out(), expectedReadable, rows.size());
        JsonNode row = rows.stream().filter(r -> r.get("Virtual").asText().equals("0x" + Long.toHexString(lsass
                .va()))).findFirst().orElseThrow(() -> new AssertionError(o.out()));
        assertEquals(row.toString(), "0x" + Long.toHexString(lsass.key()), row.get("Source").get("key").asText());
        assertEquals(row.toString(), lsass.store(), row.get("Source").get("store").asInt());
    }

    @Test
    public void compressedInfoDescribesTheStoresAsPlaced() throws Exception {
        ImageSynthesizer.Output image = image(SynthOptions.CompressedStore.INTACT);
        SynthTruth.CompressedStoreInfo truth = image.truth().compressedStore();
        Cli.Invocation o = vestige(image, "--pagefile", image.pagefile().toString(), "windows.compressed.info", "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().contains("store manager at 0x" + Long.toHexString(truth.manager())));
        // the installed profile's symbol when it has one, else the scan the synthesizer prepared for
        String method = profileHasSmGlobals() ? "symbol" : truth.discovery().equals("CACHEALI") ? "CACHEALI"
                : "code signature";
        assertTrue(method + " in " + o.err(), o.err().contains("found by " + method));
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(o.out(), truth.stores().size(), rows.size());
        for (SynthTruth.Store s : truth.stores()) {
            JsonNode r = rows.stream().filter(x -> x.get("Store").asLong() == s.index()).findFirst().orElseThrow();
            long pages = truth.pages().stream().filter(p -> p.store() == s.index()).count();
            assertEquals(r.toString(), pages, r.get("Pages").asLong());
            assertEquals(r.toString(), 0, r.get("Unresolved").asLong());
            assertTrue(r.get("Owner").asText().startsWith("MemCompression"));
        }
    }

    private boolean profileHasSmGlobals() {
        ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                .findFirst().orElseThrow();
        try {
            var p = d.load();
            return p.symbol("SmGlobals").isPresent() || p.symbol("?SmGlobals@@3U_SM_GLOBALS@@A").isPresent();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Cli.Invocation vestige(ImageSynthesizer.Output image, String... rest) {
        List<String> args = new ArrayList<>(List.of("-f", image.image().toString(), "--no-hash", "-q"));
        args.addAll(List.of(rest));
        return WindowsAnalysesTest.vestige(args.toArray(String[]::new));
    }
}
