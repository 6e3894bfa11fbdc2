package org.vestige.plugin.registry.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.KeySpec;

/**
 * Hive files that are not hives, or damaged ones, through the vestige command: each exit code says what went
 * wrong, nothing blocks, and a hive that is only dirty reads as it is with a warning.
 */
public class BadHiveInputTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] smallHive() {
        KeySpec root = KeySpec.named("ROOT");
        root.subkey("Select").dword("Current", 1);
        return HiveWriter.write(root, HiveWriter.Options.defaults());
    }

    @Test(timeout = 30_000)
    public void aFifoGivenAsAHiveIsRefusedAtOnce() throws Exception {
        Path fifo = tmp.getRoot().toPath().resolve("SYSTEM");
        Assume.assumeTrue("mkfifo is not available here",
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.registry.printkey", "--hive", fifo.toString());
        assertEquals(o.err(), 3, o.exitCode());
        assertTrue(o.err(), o.err().contains(fifo + ": is not a regular file"));
    }

    @Test
    public void aDeviceGivenAsAHiveIsRefused() {
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.registry.printkey", "--hive", "/dev/zero");
        assertEquals(o.err(), 3, o.exitCode());
        assertTrue(o.err(), o.err().contains("/dev/zero: is not a regular file"));
    }

    @Test
    public void aFileThatIsNotAHiveIsAnEvidenceError() throws Exception {
        Path junk = tmp.newFile("NTUSER.DAT").toPath();
        Files.write(junk, new byte[8192]);
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.registry.printkey", "--hive", junk.toString());
        assertEquals(o.err(), 3, o.exitCode());
        assertTrue(o.err(), o.err().contains("NTUSER.DAT") && o.err().contains("regf"));
        Path missing = tmp.getRoot().toPath().resolve("SAM");
        o = RegistryAnalysesTest.vestige("windows.hashdump", "--hive", missing.toString());
        assertEquals(o.err(), 3, o.exitCode());
        assertTrue(o.err(), o.err().contains(missing + ": no such file"));
    }

    @Test
    public void noInputAtAllIsAUsageError() {
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.hashdump");
        assertEquals(o.err(), 2, o.exitCode());
        assertTrue(o.err(), o.err().contains("--hive") && o.err().contains("-f IMAGE"));
    }

    @Test
    public void aHiveWhoseRootCannotBeReadReadsNothingAndSaysSo() throws Exception {
        byte[] hive = smallHive();
        // the base block's root cell offset (0x24) points nowhere
        hive[0x24] = (byte) 0xff;
        hive[0x25] = (byte) 0xff;
        hive[0x26] = (byte) 0xff;
        hive[0x27] = (byte) 0xff;
        Path p = tmp.newFile("BROKEN").toPath();
        Files.write(p, hive);
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.registry.printkey", "--hive", p.toString());
        assertEquals(o.err(), 4, o.exitCode());
        assertTrue(o.err(), o.err().contains("cannot read key"));
        assertTrue(o.err(), o.err().contains("nothing it was asked for could be read"));
    }

    @Test
    public void aDirtyHiveIsReadWithAWarningOnItsBaseBlock() throws Exception {
        byte[] hive = smallHive();
        hive[0x08] ^= 1; // the secondary sequence number: the last write did not complete
        Path p = tmp.newFile("DIRTY").toPath();
        Files.write(p, hive);
        Cli.Invocation o = RegistryAnalysesTest.vestige("windows.registry.printkey", "--hive", p.toString(), "--key",
                "Select");
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.out(), o.out().contains("Current"));
        assertTrue(o.err(), o.err().contains("warning: DIRTY base block: sequence numbers differ"));
        assertFalse(o.err(), o.err().contains("0xffffffffffffffff"));
        assertFalse(o.err(), o.err().contains("error:"));
    }
}
