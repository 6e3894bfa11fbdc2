package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;

import org.junit.Test;
import org.vestige.registry.internal.LittleEndian;

public class SystemHiveTest {

    @Test
    public void currentControlSetComesFromSelect() {
        Hive hive = TestHives.open("SYSTEM");
        ControlSets.ControlSet cs = ControlSets.current(hive);
        assertEquals(1, cs.number());
        assertEquals("Select\\Current", cs.source());
        assertEquals("ControlSet001", cs.keyName());
    }

    @Test
    public void fullWalkMatchesLibregfCounts() {
        // libregf's regfexport lists 30756 keys and 73456 values for this hive
        WalkSummary s = TestHives.open("SYSTEM").walk(new HiveVisitor() {
        });
        assertEquals(30756, s.keys());
        assertEquals(73456, s.values());
        assertEquals(0, s.problemCount());
    }

    @Test
    public void bigDataValuesAreReassembledFromTheirSegments() {
        Hive hive = TestHives.open("SYSTEM");
        RegistryValue cache = hive.findValue("ControlSet001\\Control\\Session Manager\\AppCompatCache", "AppCompatCache")
                .orElseThrow();
        assertEquals(56256, cache.dataLength());
        byte[] data = cache.data();
        assertEquals(56256, data.length);
        // Windows 7 shim cache header: magic 0xbadc0fee, then the entry count
        assertEquals(0xBADC0FEEL, LittleEndian.u32(data, 0));
        assertEquals(0x14A, LittleEndian.u32(data, 4));
        RegistryValue plan = hive.findValue("ControlSet001\\services\\rdyboost\\Parameters", "BootPlan").orElseThrow();
        assertEquals(187028, plan.data().length);
    }

    @Test
    public void keyMetadataIsRead() {
        Hive hive = TestHives.open("SYSTEM");
        RegistryKey lsa = hive.requireKey("ControlSet001\\Control\\Lsa");
        assertTrue(lsa.lastWritten().isAfter(Instant.parse("2005-01-01T00:00:00Z")));
        assertEquals(8, lsa.subkey("JD").orElseThrow().className().orElseThrow().length());
        SecurityCell sk = lsa.security();
        assertTrue(sk.referenceCount() > 0);
        assertTrue(sk.ownerSid().orElseThrow().startsWith("S-1-5-"));
        RegistryKey select = hive.requireKey("Select");
        assertEquals(1, select.value("Current").orElseThrow().asDword());
        assertEquals(ValueType.REG_DWORD, select.value("Current").orElseThrow().type().orElseThrow());
    }
}
