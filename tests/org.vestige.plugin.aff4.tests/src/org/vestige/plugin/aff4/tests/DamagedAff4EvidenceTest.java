package org.vestige.plugin.aff4.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;

/**
 * Damaged AFF4 volumes are evidence errors, never raw memory; a stored hash that does not match fails the
 * command; files written stay under {@code -o}.
 */
public class DamagedAff4EvidenceTest {

    private static final byte[] MARKER = "VESTIGE-MARKER-PAGE-0123456789ab".getBytes(StandardCharsets.US_ASCII);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path volume;
    private byte[] pristine;

    /** A volume with stored (uncompressed) chunks, so the test can find the bytes of one page in the file. */
    @Before
    public void writeVolume() throws Exception {
        byte[] memory = new byte[2 << 20];
        new Random(18).nextBytes(memory);
        System.arraycopy(MARKER, 0, memory, 0x123000, MARKER.length);
        Path raw = tmp.newFile("memory.raw").toPath();
        Files.write(raw, memory);
        Path out = tmp.newFolder("volume").toPath();
        Cli.Invocation c = Aff4AnalysesTest.vestige("-f", raw.toString(), "-o", out.toString(), "-q", "aff4.convert",
                "--codec", "stored", "--name", "memory.aff4");
        assertEquals(c.err(), 0, c.exitCode());
        volume = out.resolve("memory.aff4");
        pristine = Files.readAllBytes(volume);
    }

    private Path damaged(String name, byte[] content) throws Exception {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.write(p, content);
        return p;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    public void aFlippedDataByteFailsVerificationWithTheIntegrityExitCode() throws Exception {
        Cli.Invocation ok = Aff4AnalysesTest.vestige("-f", volume.toString(), "--no-hash", "-q", "evidence.verify");
        assertEquals(ok.err(), 0, ok.exitCode());
        assertTrue(ok.out(), ok.out().contains("match"));
        byte[] bytes = pristine.clone();
        int at = indexOf(bytes, MARKER);
        assertTrue("the stored chunk holds the marker", at > 0);
        bytes[at + 3] ^= 0x20;
        Path p = damaged("flipped.aff4", bytes);
        Cli.Invocation o = Aff4AnalysesTest.vestige("-f", p.toString(), "--no-hash", "-q", "evidence.verify");
        assertEquals(o.err(), 5, o.exitCode());
        assertTrue(o.out(), o.out().contains("mismatch"));
        assertTrue(o.err(), o.err().contains("evidence.verify: the evidence failed its integrity check"));
        assertArrayEquals("the evidence is never modified", bytes, Files.readAllBytes(p));
    }

    @Test
    public void aVolumeWithAZeroedHeadIsAnEvidenceErrorNotRawMemory() throws Exception {
        byte[] bytes = pristine.clone();
        Arrays.fill(bytes, 0, 30, (byte) 0);
        Path p = damaged("zeroed.aff4", bytes);
        for (String plugin : new String[] {"evidence.info", "evidence.verify"}) {
            Cli.Invocation o = Aff4AnalysesTest.vestige("-f", p.toString(), "--no-hash", "-q", plugin);
            assertEquals(plugin + ": " + o.err(), 3, o.exitCode());
            assertTrue(o.err(), o.err().contains("recognised but damaged: aff4 (probe: no zip local-file signature"));
            assertTrue(o.err(), o.err().contains("give --format raw"));
            assertFalse(o.out(), o.out().contains("raw"));
        }
        // knowingly, the analyst may still read its bytes as raw
        Cli.Invocation raw = Aff4AnalysesTest.vestige("-f", p.toString(), "--no-hash", "-q", "--format", "raw",
                "evidence.info", "-r", "json");
        assertEquals(raw.err(), 0, raw.exitCode());
        assertTrue(raw.out(), raw.out().contains("\"raw\""));
    }

    @Test
    public void aTruncatedVolumeIsAnEvidenceError() throws Exception {
        Path p = damaged("cut.aff4", Arrays.copyOf(pristine, pristine.length / 2));
        Cli.Invocation o = Aff4AnalysesTest.vestige("-f", p.toString(), "--no-hash", "-q", "aff4.export", "-o",
                tmp.newFolder("cut-out").toString());
        assertEquals(o.err(), 3, o.exitCode());
        assertTrue(o.err(), o.err().contains("recognised but damaged: aff4"));
        assertTrue(o.err(), o.err().contains("truncated"));
    }

    @Test
    public void exportNamesCannotLeaveTheOutputFolder() throws Exception {
        Path out = tmp.newFolder("case", "out").toPath();
        for (String name : new String[] {"../../escaped.raw", tmp.getRoot().toPath().resolve("abs.raw").toString()}) {
            Cli.Invocation o = Aff4AnalysesTest.vestige("-f", volume.toString(), "--no-hash", "-q", "-o",
                    out.toString(), "aff4.export", "--name", name);
            assertEquals(o.err(), 4, o.exitCode());
            assertTrue(o.err(), o.err().contains("output file name '" + name + "'"));
        }
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("escaped.raw")));
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("abs.raw")));
    }

    @Test
    public void anOutputFolderThatIsAFileIsAUsageError() throws Exception {
        Path file = tmp.newFile("not-a-folder").toPath();
        Cli.Invocation o = Aff4AnalysesTest.vestige("-f", volume.toString(), "--no-hash", "-q", "-o", file.toString(),
                "aff4.export");
        assertEquals(o.err(), 2, o.exitCode());
        assertTrue(o.err(), o.err().contains("-o " + file + ": is a file, not a folder"));
    }
}
