package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

public class BaseBlockTest {

    @Test
    public void ntuserBaseBlockMatchesGroundTruth() {
        try (Hive hive = TestHives.open("NTUSER.DAT")) {
            BaseBlock b = hive.baseBlock().orElseThrow();
            assertTrue(b.signatureValid());
            assertEquals(749, b.primarySequence());
            assertEquals(749, b.secondarySequence());
            assertEquals(32, b.rootCellOffset());
            assertEquals(733184, b.hiveBinsDataSize());
            // the field keeps the last 31 characters of \??\C:\Users\vibranium\ntuser.dat
            assertEquals("?\\C:\\Users\\vibranium\\ntuser.dat", b.fileName());
            assertEquals(476614345L, b.storedChecksum());
            assertEquals(476614345L, b.computedChecksum());
            assertTrue(b.checksumValid());
            assertEquals(1, b.majorVersion());
            assertEquals(3, b.minorVersion());
            assertTrue(hive.openProblems().isEmpty());
        }
    }

    @Test
    public void checksumSpecialCasesFollowTheFormat() {
        byte[] block = new byte[4096];
        assertEquals("an all-zero xor is stored as 1", 1, BaseBlock.checksum(block));
        block[0] = (byte) 0xFF;
        block[1] = (byte) 0xFF;
        block[2] = (byte) 0xFF;
        block[3] = (byte) 0xFF;
        assertEquals("0xffffffff is stored as 0xfffffffe", 0xFFFF_FFFEL, BaseBlock.checksum(block));
        block[0x1FC] = 0x55; // the checksum field itself is not covered
        assertEquals(0xFFFF_FFFEL, BaseBlock.checksum(block));
    }

    @Test
    public void damagedChecksumAndSequencesAreReportedNotFatal() {
        KeySpec root = KeySpec.named("ROOT");
        for (int i = 0; i < 11; i++) {
            root.subkey("Key" + i).dword("n", i);
        }
        byte[] copy = HiveWriter.write(root, HiveWriter.Options.defaults());
        assertTrue(Hive.of("healthy", copy).openProblems().isEmpty());
        copy[0x08] ^= 1; // secondary sequence (also breaks the checksum)
        Hive hive = Hive.of("damaged", copy);
        BaseBlock b = hive.baseBlock().orElseThrow();
        assertFalse(b.checksumValid());
        assertFalse(b.sequencesMatch());
        assertEquals(2, hive.openProblems().size());
        assertTrue(hive.openProblems().get(0).message().contains("checksum"));
        assertEquals(11, hive.root().subkeyCount());
    }

    @Test
    public void notAHiveIsRejectedWithTheSignatureFound() throws Exception {
        byte[] junk = new byte[8192];
        junk[0] = 'M';
        junk[1] = 'Z';
        try {
            Hive.of("junk.bin", junk);
            fail("accepted a file without regf signature");
        } catch (HiveCorruptException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("junk.bin") && e.getMessage().contains("0x4d5a0000"));
        }
        Path tiny = Files.createTempFile("tiny", ".hiv");
        try {
            Files.write(tiny, new byte[100]);
            Hive h = Hive.open(tiny);
            assertTrue(h.baseBlock().isEmpty());
            assertEquals(HiveProblem.Kind.MISSING, h.openProblems().get(0).kind());
            h.close();
        } finally {
            Files.delete(tiny);
        }
    }
}
