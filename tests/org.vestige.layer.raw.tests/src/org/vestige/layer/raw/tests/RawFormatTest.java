package org.vestige.layer.raw.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.raw.RawFormat;

public class RawFormatTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void acceptsAnyFileAsAFallbackAndSaysWhy() throws IOException {
        Path f = tmp.newFile("mem.raw").toPath();
        Files.write(f, new byte[3 * 4096]);
        ProbeResult r = new RawFormat().probe(f);
        assertEquals(ProbeResult.FALLBACK, r.confidence());
        assertTrue(r.explanation(), r.explanation().contains("12288 bytes, a whole number of 4 KiB pages"));
        Files.write(f, new byte[5000]);
        assertTrue(new RawFormat().probe(f).explanation().contains("not a whole number of 4 KiB pages"));
    }

    @Test
    public void stepsAsideForOtherFormatsSignatures() throws IOException {
        Path f = tmp.newFile("volume.aff4").toPath();
        Files.write(f, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0});
        ProbeResult r = new RawFormat().probe(f);
        assertEquals(1, r.confidence());
        assertTrue(r.explanation(), r.explanation().contains("zip container"));
        Files.write(f, "PAGEDU64........".getBytes());
        assertTrue(new RawFormat().probe(f).explanation().contains("64-bit Windows crash dump"));
        Files.write(f, new byte[0]);
        assertFalse(new RawFormat().probe(f).accepts());
    }

    @Test
    public void opensAsPhysicalMemoryAcrossPages() throws Exception {
        Path f = tmp.newFile("mem.raw").toPath();
        byte[] data = new byte[64 * 4096];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        try (OpenedEvidence e = new RawFormat().open(f)) {
            assertEquals("raw", e.formatId());
            assertEquals(data.length, e.physical().size());
            byte[] buf = new byte[8192];
            e.physical().read(4096 * 10 + 100, buf, 0, buf.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 4096 * 10 + 100, 4096 * 10 + 100 + 8192), buf);
            assertEquals(new PageProvenance.Evidence("mem.raw", 0x5000), e.physical().provenance(0x5000));
            assertFalse(e.physical().provenance(data.length).isAvailable());
        }
        // evidence is never modified by opening it
        assertArrayEquals(data, Files.readAllBytes(f));
    }
}
