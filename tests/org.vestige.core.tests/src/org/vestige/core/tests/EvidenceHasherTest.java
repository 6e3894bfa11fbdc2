package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.Digests;
import org.vestige.core.evidence.EvidenceHasher;

public class EvidenceHasherTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void knownVectors() throws IOException {
        Path abc = tmp.newFile("abc").toPath();
        Files.writeString(abc, "abc", StandardCharsets.US_ASCII);
        Digests d = EvidenceHasher.hash(abc, new NullProgressMonitor());
        assertEquals("900150983cd24fb0d6963f7d28e17f72", d.md5());
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", d.sha1());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", d.sha256());
    }

    @Test
    public void largeFilesAgreeWithCoreutils() throws Exception {
        Path file = tmp.newFile("random.bin").toPath();
        byte[] data = new byte[(5 << 20) + 123];
        new Random(42).nextBytes(data);
        Files.write(file, data);
        Digests d = EvidenceHasher.hash(file, new NullProgressMonitor());
        assertEquals(coreutils("md5sum", file), d.md5());
        assertEquals(coreutils("sha1sum", file), d.sha1());
        assertEquals(coreutils("sha256sum", file), d.sha256());
    }

    @Test
    public void cancellationStopsHashing() throws IOException {
        Path file = tmp.newFile("cancel.bin").toPath();
        Files.write(file, new byte[8 << 20]);
        NullProgressMonitor cancelled = new NullProgressMonitor();
        cancelled.setCanceled(true);
        assertThrows(OperationCanceledException.class, () -> EvidenceHasher.hash(file, cancelled));
    }

    private static String coreutils(String tool, Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(tool + " is not installed; skipping the cross-check", false);
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(tool + " failed: " + out, 0, p.waitFor());
        return out.substring(0, out.indexOf(' '));
    }
}
