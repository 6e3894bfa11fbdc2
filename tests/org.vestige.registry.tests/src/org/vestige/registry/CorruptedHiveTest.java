package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.registry.internal.LittleEndian;

public class CorruptedHiveTest {

    @Test
    public void damagedCellsAreReportedWithOffsetsAndTheRestIsRead() {
        Hive hive = TestHives.open("corrupted_system_hive");
        assertEquals("$$$PROTO.HIV", hive.root().name());
        List<HiveProblem> problems = new ArrayList<>();
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public void problem(HiveProblem p) {
                problems.add(p);
            }
        });
        assertTrue("too few keys read: " + s.keys(), s.keys() > 1000);
        assertTrue(s.values() > 1000);
        assertTrue(s.problemCount() > 0);
        assertEquals(s.problemCount(), problems.size());
        for (HiveProblem p : problems) {
            assertTrue(p.toString(), p.cellOffset() >= 0 && p.cellOffset() < 0x348000);
            assertTrue(p.toString(), p.message().contains("0x" + Long.toHexString(p.cellOffset())));
            assertTrue(p.keyPath() != null);
        }
        assertTrue(problems.stream().anyMatch(p -> p.kind() == HiveProblem.Kind.CORRUPT
                && p.message().contains("cell size is 0")));
    }

    @Test
    public void readableServicesMatchRegipysGroundTruth() {
        // regipy's own test: the first service of ControlSet001\Services in this damaged hive
        Hive hive = TestHives.open("corrupted_system_hive");
        RegistryKey services = hive.requireKey("ControlSet001\\Services");
        List<HiveProblem> problems = new ArrayList<>();
        List<RegistryKey> list = services.subkeys(problems::add);
        RegistryKey first = list.get(0);
        assertEquals("Abiosdsk", first.name());
        // regipy prints 17:48:29.328124 because it converts the FILETIME through a float; the stored value
        // is 128690849093281250 (x 100 ns), i.e. .328125 exactly
        assertEquals(Instant.parse("2008-10-21T17:48:29.328125Z"), first.lastWritten());
        assertEquals(128690849093281250L, first.lastWrittenFiletime());
        Map<String, Object> values = new LinkedHashMap<>();
        for (RegistryValue v : first.values()) {
            DecodedValue d = v.decode();
            values.put(v.name(), d instanceof DecodedValue.Number n ? (Object) n.value() : d.display());
        }
        assertEquals(Map.of("ErrorControl", 0L, "Group", "Primary disk", "Start", 4L, "Tag", 3L, "Type", 1L), values);
    }

    @Test
    public void strictListingThrowsWhereLenientListingReports() {
        Hive hive = TestHives.open("corrupted_system_hive");
        RegistryKey bad = hive.requireKey("ControlSet001\\Control\\Class\\{4D36E972-E325-11CE-BFC1-08002bE10318}\\0001"
                + "\\Ndi\\params\\TcpipOffload");
        try {
            bad.subkeys();
            fail("strict listing of a zeroed list succeeded");
        } catch (HiveCorruptException e) {
            assertEquals(0x180260, e.cellOffset());
            assertTrue(e.getMessage(), e.getMessage().startsWith("cell 0x180260: cell size is 0"));
        }
        List<HiveProblem> problems = new ArrayList<>();
        assertTrue(bad.subkeys(problems::add).isEmpty());
        assertEquals(2, problems.size());
        assertEquals(HiveProblem.Kind.CORRUPT, problems.get(0).kind());
        assertEquals(HiveProblem.Kind.INCONSISTENT, problems.get(1).kind());
    }

    @Test
    public void binScanResynchronisesAfterZeroedBlocks() {
        Hive hive = TestHives.open("corrupted_system_hive");
        List<HiveProblem> problems = new ArrayList<>();
        List<HiveBin> bins = hive.bins(problems::add);
        assertTrue(bins.size() > 100);
        assertEquals(0x19000, problems.get(0).cellOffset());
        assertTrue(problems.get(0).message().contains("0x19000..0x1bfff"));
        assertTrue(bins.stream().anyMatch(b -> b.offset() == 0x1c000));
    }

    /** A healthy SYSTEM-shaped hive: Select with its four values, and a services key with 60 services. */
    private static byte[] healthySystem() {
        KeySpec root = KeySpec.named("ROOT");
        root.subkey("Select").dword("Current", 1).dword("Default", 1).dword("Failed", 0).dword("LastKnownGood", 1);
        KeySpec services = root.path("ControlSet001\\services");
        for (int i = 0; i < 60; i++) {
            KeySpec service = services.subkey("Service" + i).dword("Start", i % 5).dword("Type", 1 << (i % 5))
                    .expandString("ImagePath", "\\SystemRoot\\System32\\drivers\\svc" + i + ".sys");
            service.subkey("Parameters").string("ServiceDll", "%SystemRoot%\\System32\\svc" + i + ".dll");
            if (i % 3 == 0) {
                service.subkey("Enum").dword("Count", 1);
            }
        }
        root.path("ControlSet001\\Control\\ComputerName\\ComputerName").string("ComputerName", "WS-01");
        return HiveWriter.write(root, HiveWriter.Options.defaults().withFileName("\\REGISTRY\\MACHINE\\SYSTEM"));
    }

    /** Damages a healthy hive at chosen cells and checks each damage is named and the rest still read. */
    @Test
    public void chosenDamageIsNamedAndContained() {
        byte[] pristine = healthySystem();
        Hive healthy = Hive.of("SYSTEM", pristine);
        RegistryKey select = healthy.requireKey("Select");
        RegistryKey services = healthy.requireKey("ControlSet001\\services");
        RegistryValue current = select.value("Current").orElseThrow();
        long servicesKeys = healthy.walk(services, new HiveVisitor() {
        }).keys();
        long totalKeys = healthy.walk(new HiveVisitor() {
        }).keys();
        assertEquals(1 + 60 + 60 + 20, servicesKeys);

        byte[] damaged = pristine.clone();
        // 1: the services key's subkey list loses its signature
        long list = services.subkeyListOffset();
        damaged[(int) (4096 + list + 4)] = 'x';
        // 2: the value cell of Select\Current is marked free
        long vk = current.cellOffset();
        LittleEndian.put32(damaged, (int) (4096 + vk), 0x18);
        Hive hive = Hive.of("SYSTEM (damaged)", damaged);
        List<HiveProblem> problems = new ArrayList<>();
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public void problem(HiveProblem p) {
                problems.add(p);
            }
        });
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.cellOffset() == list
                && p.kind() == HiveProblem.Kind.CORRUPT && p.message().contains("expected a subkey list")));
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.cellOffset() == vk
                && p.message().contains("is free") && "Select".equals(p.keyPath())));
        assertEquals(totalKeys - (servicesKeys - 1), s.keys());
        RegistryKey damagedSelect = hive.requireKey("Select");
        try {
            damagedSelect.value("Current");
            fail("a value list with a free cell was read strictly");
        } catch (HiveCorruptException e) {
            assertEquals(vk, e.cellOffset());
        }
        List<String> readable = damagedSelect.values(p -> { }).stream().map(RegistryValue::name).toList();
        assertFalse(readable.contains("Current"));
        assertTrue(readable.contains("Default"));
        assertEquals("WS-01", hive.requireKey("ControlSet001\\Control\\ComputerName\\ComputerName")
                .value("ComputerName").orElseThrow().decode().display());
    }
}
