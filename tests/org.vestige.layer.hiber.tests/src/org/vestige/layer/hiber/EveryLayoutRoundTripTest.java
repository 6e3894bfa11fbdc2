package org.vestige.layer.hiber;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.synth.HiberfilTruth;
import org.vestige.synth.HiberfilWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * Every header layout of the table, Windows 8's included, written around one machine's memory and read
 * back: the header's fields sit where the row says (read here with the row's offsets, independently of the
 * reader), each codec alone gives the same pages, and the reader picks the row by the header's size.
 */
public class EveryLayoutRoundTripTest {

    private static final int PAGE = 4096;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path raw;

    @BeforeClass
    public static void synthesize() {
        raw = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(27).windowsBuild(19041).sizeMib(128).build()).image();
    }

    @Test(timeout = 300_000)
    public void everyRowRoundTripsWithEachCodec() throws Exception {
        for (HiberLayout row : HiberLayout.all()) {
            int build = row.builds().get(0);
            for (HiberfilWriter.Codecs codecs : HiberfilWriter.Codecs.values()) {
                Path file = tmp.newFolder().toPath().resolve("hiberfil.sys");
                HiberfilTruth truth = HiberfilWriter.write(raw, file,
                        HiberfilWriter.Settings.of(build).withCodecs(codecs));
                ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file), 0, PAGE).order(ByteOrder.LITTLE_ENDIAN);
                String what = "build " + build + " " + codecs;
                assertEquals(what, HiberHeader.HIBR, h.getInt(0));
                assertEquals(what, row.lengthSelf(), h.getInt(0xc));
                assertEquals(what, PAGE, h.getInt(row.pageSize()));
                assertEquals(what, truth.loaderPages(), h.getLong(row.numPagesForLoader()));
                assertEquals(what, truth.kernelPages(), h.getLong(row.kernelPages()));
                assertEquals(what, truth.firstKernelPage(), h.getLong(row.firstKernelRestore()));
                assertEquals(what, truth.highestPage(), h.getLong(row.highestPage()));
                if (codecs != HiberfilWriter.Codecs.BOTH) {
                    String id = codecs == HiberfilWriter.Codecs.XPRESS ? "xpress" : "xpress-huffman";
                    assertTrue(what, truth.sets().stream()
                            .allMatch(s -> s.codec().equals(id) || s.codec().equals("stored")));
                }
                try (OpenedEvidence e = new HiberFormat().open(file); FileChannel in = FileChannel.open(raw,
                        StandardOpenOption.READ)) {
                    HiberFile f = HiberFormat.hiberFile(e);
                    assertEquals(what, row, f.header().layout());
                    byte[] expected = new byte[PAGE];
                    byte[] actual = new byte[PAGE];
                    for (long pfn = 0; pfn <= truth.highestPage(); pfn++) {
                        if (!truth.holds(pfn)) {
                            continue;
                        }
                        ByteBuffer b = ByteBuffer.wrap(expected);
                        while (b.hasRemaining()) {
                            in.read(b, pfn * PAGE + b.position());
                        }
                        assertEquals(what, PAGE, e.physical().read(pfn * PAGE, actual, 0, PAGE));
                        assertArrayEquals(what + " page 0x" + Long.toHexString(pfn), expected, actual);
                    }
                }
            }
        }
    }
}
