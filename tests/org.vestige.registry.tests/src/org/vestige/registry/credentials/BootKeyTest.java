package org.vestige.registry.credentials;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.KeySpec;
import org.vestige.registry.TestHives;

public class BootKeyTest {

    @Test
    public void systemHiveGivesItsKnownBootKey() {
        assertEquals("e7f28d88f470cfed67dbcdb62ed1275b", BootKey.fromSystem(TestHives.open("SYSTEM")).hex());
    }

    @Test
    public void classNamesUnscrambleToTheVector() {
        BootKey k = BootKey.fromClassNames("00112233", "44556677", "8899aabb", "ccddeeff");
        assertEquals("88554422bb99dd33006611cceeaaff77", k.hex());
        assertArrayEquals(new String[] {"00112233", "44556677", "8899aabb", "ccddeeff"}, k.scrambledClassNames());
    }

    @Test
    public void writtenSystemHiveWithTheVectorClassNames() {
        KeySpec system = KeySpec.named("SYSTEM");
        system.subkey("Select").dword("Current", 3);
        KeySpec lsa = system.path("ControlSet003\\Control\\Lsa");
        system.path("ControlSet001\\Control\\Lsa\\JD").className("ffffffff"); // not the current set
        lsa.subkey("JD").className("00112233");
        lsa.subkey("Skew1").className("44556677");
        lsa.subkey("GBG").className("8899AABB");
        lsa.subkey("Data").className("ccddeeff");
        Hive hive = Hive.of("SYSTEM", HiveWriter.write(system));
        assertEquals("88554422bb99dd33006611cceeaaff77", BootKey.fromSystem(hive).hex());
    }

    @Test
    public void malformedOrMissingClassNamesAreNamed() {
        try {
            BootKey.fromClassNames("00112233", "4455667", "8899aabb", "ccddeeff");
            fail();
        } catch (CredentialException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Skew1"));
        }
        KeySpec system = KeySpec.named("SYSTEM");
        system.subkey("Select").dword("Current", 1);
        system.path("ControlSet001\\Control\\Lsa\\JD").className("00112233");
        system.path("ControlSet001\\Control\\Lsa\\Skew1");
        try {
            BootKey.fromSystem(Hive.of("SYSTEM", HiveWriter.write(system)));
            fail();
        } catch (CredentialException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("ControlSet001\\Control\\Lsa\\Skew1 has no class name"));
        }
    }
}
