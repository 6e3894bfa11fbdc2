package org.vestige.layer.hiber;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.synth.HiberfilTruth;
import org.vestige.synth.HiberfilWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * Damaged hibernation files: truncated, bit-flipped, cleared. Each gives an {@link EvidenceException} that
 * names the structure and its file offset, or opens and reads every page with a typed provenance, always in
 * bounded time; a cleared file says it holds nothing.
 */
public class CorruptHiberfilTest {

    private static final int PAGE = 4096;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] good;
    private static HiberfilTruth truth;

    @BeforeClass
    public static void write() throws IOException {
        Path raw = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(27).windowsBuild(19041).sizeMib(128).build()).image();
        Path file = tmp.newFolder("good").toPath().resolve("hiberfil.sys");
        truth = HiberfilWriter.write(raw, file, HiberfilWriter.Settings.of(19041));
        good = Files.readAllBytes(file);
    }

    private static Path save(String name, byte[] bytes) throws IOException {
        Path dir = tmp.newFolder().toPath();
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static EvidenceException openFails(Path p) {
        try (OpenedEvidence e = new HiberFormat().open(p)) {
            fail("opened " + p + ": " + e.properties());
            return null;
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()));
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test(timeout = 60_000)
    public void aFileCutInsideTheKernelRestoreSetNamesTheSetAndItsOffset() throws IOException {
        HiberfilTruth.Set victim = truth.sets().get(truth.sets().size() / 2);
        int cut = (int) victim.dataOffset() + victim.compressedSize() / 2;
        EvidenceException e = openFails(save("hiberfil.sys", Arrays.copyOf(good, cut)));
        assertTrue(e.getMessage(), e.getMessage().contains("compression set " + victim.index()
                + " (kernel restore set) at file offset 0x" + Long.toHexString(victim.headerOffset())));
        assertTrue(e.getMessage(), e.getMessage().contains("truncated"));
    }

    @Test(timeout = 60_000)
    public void aFileShorterThanItsHeaderSaysSo() throws IOException {
        EvidenceException e = openFails(save("hiberfil.sys", Arrays.copyOf(good, 1000)));
        assertTrue(e.getMessage(), e.getMessage().contains("1000 bytes"));
        assertTrue(e.getMessage(), e.getMessage().contains("PO_MEMORY_IMAGE"));
    }

    @Test(timeout = 60_000)
    public void aSetWithNoDescriptorsIsNamed() throws IOException {
        HiberfilTruth.Set victim = truth.sets().get(3);
        byte[] b = good.clone();
        b[(int) victim.headerOffset()] = 0;
        EvidenceException e = openFails(save("hiberfil.sys", b));
        assertTrue(e.getMessage(), e.getMessage().contains("compression set 3 ")
                && e.getMessage().contains("at file offset 0x" + Long.toHexString(victim.headerOffset())));
        assertTrue(e.getMessage(), e.getMessage().contains("0 page descriptors"));
    }

    @Test(timeout = 60_000)
    public void aDescriptorAboveTheMachinesMemoryIsNamed() throws IOException {
        HiberfilTruth.Set victim = truth.sets().get(5);
        byte[] b = good.clone();
        b[(int) victim.headerOffset() + 4 + 7] = 0x10;
        EvidenceException e = openFails(save("hiberfil.sys", b));
        assertTrue(e.getMessage(), e.getMessage().contains("compression set 5 ") && e.getMessage().contains(
                "page descriptor 0") && e.getMessage().contains("above HighestPhysicalPage"));
    }

    @Test(timeout = 60_000)
    public void anUnknownHeaderSizeIsNamedWithTheKnownBuilds() throws IOException {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0xc, 0x3e4);
        EvidenceException e = openFails(save("hiberfil.sys", b));
        assertTrue(e.getMessage(), e.getMessage().contains("LengthSelf 0x3e4 at offset 0xc"));
        assertTrue(e.getMessage(), e.getMessage().contains("26100"));
        assertEquals(50, new HiberFormat().probe(save("hiberfil.sys", b)).confidence());
    }

    @Test(timeout = 60_000)
    public void flippedCompressedDataIsAnUnreadablePageNamingItsSet() throws Exception {
        HiberfilTruth.Set victim = truth.sets().stream().filter(s -> s.codec().equals("xpress-huffman")).skip(4)
                .findFirst().orElseThrow();
        byte[] b = good.clone();
        // the Huffman table (256 bytes of 4-bit code lengths) opens the data: zero lengths cannot form a code
        Arrays.fill(b, (int) victim.dataOffset(), (int) victim.dataOffset() + 256, (byte) 0);
        try (OpenedEvidence e = new HiberFormat().open(save("hiberfil.sys", b))) {
            long pfn = victim.pages()[0];
            PageProvenance[] seen = new PageProvenance[1];
            int got = e.physical().read(pfn * PAGE, new byte[PAGE], 0, PAGE, (a, l, p) -> seen[0] = p);
            assertEquals(0, got);
            PageProvenance.Missing m = (PageProvenance.Missing) seen[0];
            assertTrue(m.cause() instanceof MissingCause.Unreadable);
            assertTrue(m.reason(), m.reason().contains("compression set " + victim.index() + " of hiberfil.sys at file "
                    + "offset 0x" + Long.toHexString(victim.headerOffset())));
            long other = truth.sets().get(victim.index() + 1).pages()[0];
            assertEquals(PAGE, e.physical().read(other * PAGE, new byte[PAGE], 0, PAGE));
        }
    }

    @Test(timeout = 180_000)
    public void randomBitFlipsGiveATypedErrorOrTypedPagesInBoundedTime() throws IOException {
        Random r = new Random(26);
        int errors = 0;
        for (int round = 0; round < 24; round++) {
            byte[] b = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at;
                if (round % 2 == 0) {
                    // a set's header or descriptors: the structures the index walks
                    HiberfilTruth.Set s = truth.sets().get(r.nextInt(truth.sets().size()));
                    at = (int) s.headerOffset() + r.nextInt((int) (s.dataOffset() - s.headerOffset()));
                } else {
                    at = r.nextInt(b.length);
                }
                b[at] ^= (byte) (1 << r.nextInt(8));
            }
            Path p = save("hiberfil.sys", b);
            try (OpenedEvidence e = new HiberFormat().open(p)) {
                Layer layer = e.physical();
                byte[] chunk = new byte[64 * PAGE];
                for (long a = 0; a < layer.size(); a += chunk.length) {
                    layer.read(a, chunk, 0, (int) Math.min(chunk.length, layer.size() - a), (x, l, prov) -> {
                        if (prov instanceof PageProvenance.Missing m) {
                            assertTrue(m.reason(), m.cause() instanceof MissingCause.NotCaptured
                                    || m.cause() instanceof MissingCause.Unreadable
                                    || m.cause() instanceof MissingCause.OutsideImage);
                        } else {
                            assertTrue(prov.toString(), prov instanceof PageProvenance.Evidence);
                        }
                    });
                }
            } catch (EvidenceException e) {
                errors++;
                assertTrue(e.getMessage(), e.getMessage().contains("offset"));
            }
        }
        assertTrue("no flip was caught at open", errors > 0);
    }

    @Test(timeout = 60_000)
    public void aClearedRstrFileHoldsNothing() throws IOException {
        byte[] b = new byte[good.length];
        System.arraycopy(good, 0, b, 0, PAGE);
        b[0] = 'R';
        b[1] = 'S';
        b[2] = 'T';
        b[3] = 'R';
        Path p = save("hiberfil.sys", b);
        assertEquals(ProbeResult.CERTAIN, new HiberFormat().probe(p).confidence());
        EvidenceException e = openFails(p);
        assertTrue(e.getMessage(), e.getMessage().contains("holds nothing"));
        assertTrue(e.getMessage(), e.getMessage().contains("RSTR"));
    }

    @Test(timeout = 60_000)
    public void aZeroedFileNamedHiberfilHoldsNothing() throws IOException {
        Path p = save("hiberfil.sys", new byte[16 * PAGE]);
        assertEquals(60, new HiberFormat().probe(p).confidence());
        EvidenceException e = openFails(p);
        assertTrue(e.getMessage(), e.getMessage().contains("holds nothing"));
        assertEquals(0, new HiberFormat().probe(save("memory.raw", new byte[16 * PAGE])).confidence());
    }
}
