package org.vestige.registry;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

public class NtUserHiveTest {

    @Test
    public void rootKeyHasItsNameAndElevenSubkeys() {
        Hive hive = TestHives.open("NTUSER.DAT");
        RegistryKey root = hive.root();
        assertEquals("CMI-CreateHive{6A1C4018-979D-4291-A7DC-7AED1C75B67C}", root.name());
        assertEquals(11, root.subkeyCount());
        assertEquals(11, root.subkeys().size());
        assertTrue(root.isRoot());
        assertTrue(root.hasFlag(RegistryKey.KEY_COMP_NAME));
        assertTrue(root.parent().isEmpty());
    }

    @Test
    public void fullWalkVisits1812KeysAnd4094Values() {
        Hive hive = TestHives.open("NTUSER.DAT");
        Set<Long> cells = new HashSet<>();
        long[] data = new long[1];
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public boolean key(String path, RegistryKey key, int depth) {
                assertTrue("key visited twice: " + path, cells.add(key.cellOffset()));
                return true;
            }

            @Override
            public void value(String keyPath, RegistryKey key, RegistryValue value) {
                data[0] += value.data().length;
            }
        });
        assertEquals(1812, s.keys());
        assertEquals(4094, s.values());
        assertEquals(0, s.problemCount());
        assertFalse(s.stopped());
        assertTrue(data[0] > 0);
    }

    @Test
    public void pathLookupIsCaseInsensitiveAndValuesDecode() {
        Hive hive = TestHives.open("NTUSER.DAT");
        RegistryKey env = hive.requireKey("environment");
        assertEquals("Environment", env.name());
        RegistryValue temp = env.value("temp").orElseThrow();
        assertEquals("TEMP", temp.name());
        assertEquals(ValueType.REG_EXPAND_SZ, temp.type().orElseThrow());
        assertEquals(66, temp.dataLength());
        assertEquals("%USERPROFILE%\\AppData\\Local\\Temp", temp.asString());
        assertEquals(new DecodedValue.Text("%USERPROFILE%\\AppData\\Local\\Temp"), temp.decode());
        assertEquals(env.cellOffset(), hive.findKey("\\ENVIRONMENT\\").orElseThrow().cellOffset());
        assertTrue(hive.findKey("Environment\\NoSuchKey").isEmpty());
        try {
            hive.requireKey("Environment\\NoSuchKey\\Deeper");
        } catch (KeyNotFoundException e) {
            assertEquals(HiveProblem.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("NoSuchKey"));
            return;
        }
        throw new AssertionError("missing key not reported");
    }

    @Test
    public void parentLinksLeadBackToTheRoot() {
        Hive hive = TestHives.open("NTUSER.DAT");
        RegistryKey k = hive.requireKey("AppEvents\\EventLabels\\.Default");
        List<String> names = new ArrayList<>();
        for (RegistryKey at = k; !at.isRoot(); at = at.parent().orElseThrow()) {
            names.add(0, at.name());
        }
        assertEquals(List.of("AppEvents", "EventLabels", ".Default"), names);
    }

    @Test
    public void fileSourceReadsTheSameAsBytes() throws Exception {
        Path tmp = Files.createTempFile("ntuser", ".dat");
        try {
            Files.write(tmp, TestHives.bytes("NTUSER.DAT"));
            try (Hive file = Hive.open(tmp)) {
                Hive mem = TestHives.open("NTUSER.DAT");
                assertEquals(mem.baseBlock(), file.baseBlock());
                RegistryValue a = file.findValue("Environment", "TMP").orElseThrow();
                RegistryValue b = mem.findValue("Environment", "TMP").orElseThrow();
                assertArrayEquals(b.data(), a.data());
                assertEquals(1812, file.walk(new HiveVisitor() {
                }).keys());
            }
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    public void binsCoverTheWholeHive() {
        Hive hive = TestHives.open("NTUSER.DAT");
        List<HiveProblem> problems = new ArrayList<>();
        List<HiveBin> bins = hive.bins(problems::add);
        assertTrue(problems.toString(), problems.isEmpty());
        assertEquals(0, bins.get(0).offset());
        long total = bins.stream().mapToLong(HiveBin::size).sum();
        assertEquals(733184, total);
    }
}
