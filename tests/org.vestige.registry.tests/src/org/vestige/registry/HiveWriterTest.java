package org.vestige.registry;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.Test;
import org.vestige.registry.internal.LittleEndian;

public class HiveWriterTest {

    /** A tree exercising every cell kind: classes, big data, unicode names, inline data, many subkeys. */
    static KeySpec sampleTree() {
        KeySpec root = KeySpec.named("ROOT").lastWritten(Instant.parse("2021-05-06T07:08:09.1234567Z"));
        root.path("ControlSet001\\Control\\Lsa\\JD").className("00112233");
        root.subkey("Select").dword("Current", 1).dwordBigEndian("BigEndian", 0x01020304);
        byte[] big = new byte[100_000];
        new Random(1).nextBytes(big);
        root.subkey("Data").binary("big", big).binary("exactlyOneSegment", new byte[Hive.BIG_DATA_SEGMENT])
                .binary("oneMore", new byte[Hive.BIG_DATA_SEGMENT + 1]).string("", "default value")
                .qword("q", -2L).multiString("multi", List.of("one", "two", "three"))
                .expandString("path", "%SystemRoot%\\x").binary("three", new byte[] {1, 2, 3})
                .value("none", ValueType.REG_NONE, new byte[0]).value("odd type", 0x12345678, new byte[] {9});
        KeySpec many = root.subkey("Many");
        for (int i = 0; i < 40; i++) {
            many.subkey(String.format("Key%02d", 39 - i)).dword("index", 39 - i);
        }
        root.subkey("Ünïcödé 中文").string("名前", "値").className("クラス");
        return root;
    }

    @Test
    public void roundTripPreservesTheTree() {
        for (HiveWriter.ListKind kind : HiveWriter.ListKind.values()) {
            KeySpec tree = sampleTree();
            byte[] file = HiveWriter.write(tree, HiveWriter.Options.defaults().withListKind(kind).withLeafCapacity(7));
            Hive hive = Hive.of("written", file);
            assertTrue(hive.openProblems().isEmpty());
            assertEquals(0x20, hive.rootCellOffset());
            assertSame(tree, hive.root(), Filetime.of(Instant.parse("2024-01-01T00:00:00Z")));
            WalkSummary s = hive.walk(new HiveVisitor() {
            });
            assertEquals(0, s.problemCount());
            assertEquals(1 + 4 + 1 + 1 + 1 + 40 + 1, s.keys());
        }
    }

    private static void assertSame(KeySpec spec, RegistryKey key, long defaultTime) {
        assertEquals(spec.name(), key.name());
        assertEquals(spec.className(), key.className());
        assertEquals((long) spec.lastWritten().orElse(defaultTime), key.lastWrittenFiletime());
        List<RegistryValue> values = key.values();
        assertEquals(spec.values().size(), values.size());
        for (int i = 0; i < values.size(); i++) {
            KeySpec.ValueSpec v = spec.values().get(i);
            assertEquals(v.name(), values.get(i).name());
            assertEquals(v.type(), values.get(i).typeCode());
            assertArrayEquals(key.name() + "\\" + v.name(), v.data(), values.get(i).data());
            assertEquals(v.data().length <= 4, values.get(i).isDataInline());
        }
        List<KeySpec> children = new ArrayList<>(spec.subkeys());
        children.sort(Comparator.comparing(k -> k.name().toUpperCase(Locale.ROOT)));
        List<RegistryKey> read = key.subkeys();
        assertEquals(children.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(key.cellOffset(), read.get(i).parentOffset());
            assertSame(children.get(i), read.get(i), defaultTime);
            assertEquals(read.get(i).cellOffset(), key.subkey(children.get(i).name().toLowerCase(Locale.ROOT))
                    .orElseThrow().cellOffset());
        }
    }

    @Test
    public void largeValuesUseBigDataCellsFromVersion4AndOneCellBefore() {
        KeySpec tree = sampleTree();
        Hive v5 = Hive.of("v5", HiveWriter.write(tree));
        RegistryValue big = v5.findValue("Data", "big").orElseThrow();
        byte[] db = v5.cell(big.dataOffset());
        assertEquals('d', db[0]);
        assertEquals('b', db[1]);
        assertEquals(7, LittleEndian.u16(db, 2)); // ceil(100000 / 16344)
        RegistryValue exact = v5.findValue("Data", "exactlyOneSegment").orElseThrow();
        assertTrue("one segment's worth fits a plain cell", v5.cell(exact.dataOffset()).length >= Hive.BIG_DATA_SEGMENT);
        RegistryValue more = v5.findValue("Data", "oneMore").orElseThrow();
        assertEquals(2, LittleEndian.u16(v5.cell(more.dataOffset()), 2));

        Hive v3 = Hive.of("v3", HiveWriter.write(tree, HiveWriter.Options.defaults().withMinorVersion(3)));
        RegistryValue big3 = v3.findValue("Data", "big").orElseThrow();
        byte[] single = v3.cell(big3.dataOffset());
        assertTrue("version 1.3 keeps large data in one cell", single.length >= 100_000 && single[0] != 'd');
        assertArrayEquals(big.data(), big3.data());
    }

    @Test
    public void manySubkeysGetAnIndexRootOfSortedLeaves() {
        Hive hive = Hive.of("ri", HiveWriter.write(sampleTree(), HiveWriter.Options.defaults().withLeafCapacity(7)));
        RegistryKey many = hive.requireKey("Many");
        byte[] ri = hive.cell(many.subkeyListOffset());
        assertEquals('r', ri[0]);
        assertEquals('i', ri[1]);
        assertEquals(6, LittleEndian.u16(ri, 2)); // 40 keys in leaves of 7
        List<String> names = many.subkeys().stream().map(RegistryKey::name).toList();
        for (int i = 0; i < 40; i++) {
            assertEquals(String.format("Key%02d", i), names.get(i));
        }
        byte[] leaf = hive.cell(LittleEndian.u32(ri, 4));
        long firstHash = LittleEndian.u32(leaf, 8);
        assertEquals(Hive.nameHash("Key00"), firstHash);
    }

    @Test
    public void namesOutsideLatin1AreStoredAsUtf16() {
        Hive hive = Hive.of("u", HiveWriter.write(sampleTree()));
        RegistryKey k = hive.requireKey("ünïcödé 中文");
        assertTrue(!k.hasFlag(RegistryKey.KEY_COMP_NAME));
        assertEquals("クラス", k.className().orElseThrow());
        assertEquals("値", k.value("名前").orElseThrow().asString());
        assertTrue(hive.requireKey("Select").hasFlag(RegistryKey.KEY_COMP_NAME));
    }

    @Test
    public void baseBlockFieldsAndDeterminism() {
        String path = "\\??\\C:\\Users\\somebody\\NTUSER.DAT";
        HiveWriter.Options o = HiveWriter.Options.defaults().withSequence(42).withFileName(path);
        byte[] a = HiveWriter.write(sampleTree(), o);
        byte[] b = HiveWriter.write(sampleTree(), o);
        assertArrayEquals(a, b);
        BaseBlock bb = Hive.of("x", a).baseBlock().orElseThrow();
        assertTrue(bb.checksumValid());
        assertEquals(42, bb.primarySequence());
        assertEquals(42, bb.secondarySequence());
        assertEquals(5, bb.minorVersion());
        assertEquals("the last 31 characters are kept", path.substring(path.length() - 31), bb.fileName());
        assertEquals(a.length - 4096, bb.hiveBinsDataSize());
        assertEquals(0, bb.hiveBinsDataSize() % 4096);
    }

    @Test
    public void binsAreValidAndTheirTailsAreFreeCells() {
        byte[] file = HiveWriter.write(sampleTree());
        Hive hive = Hive.of("bins", file);
        List<HiveProblem> problems = new ArrayList<>();
        List<HiveBin> bins = hive.bins(problems::add);
        assertTrue(problems.isEmpty());
        long allocated = 0;
        long free = 0;
        for (HiveBin bin : bins) {
            long at = bin.offset() + HiveBin.HEADER_SIZE;
            while (at < bin.offset() + bin.size()) {
                int size = LittleEndian.i32(file, (int) (4096 + at));
                assertTrue("cell size 0 at " + at, size != 0);
                if (size < 0) {
                    allocated++;
                } else {
                    free++;
                }
                at += Math.abs(size);
            }
            assertEquals("cells tile bin " + bin.offset(), bin.offset() + bin.size(), at);
        }
        assertTrue(allocated > 100);
        assertTrue(free > 0);
    }

    @Test
    public void securityCellsAreSharedAndLinked() {
        KeySpec tree = sampleTree();
        byte[] custom = HiveWriter.defaultSecurityDescriptor();
        custom[custom.length - 1] = 0x21; // a different RID in the last ACE's SID
        tree.subkey("Custom").securityDescriptor(custom);
        Hive hive = Hive.of("sk", HiveWriter.write(tree));
        SecurityCell rootSk = hive.root().security();
        SecurityCell customSk = hive.requireKey("Custom").security();
        assertTrue(rootSk.cellOffset() != customSk.cellOffset());
        assertEquals(customSk.cellOffset(), rootSk.flink());
        assertEquals(rootSk.cellOffset(), customSk.flink());
        assertEquals(1, customSk.referenceCount());
        assertEquals("every other key shares the default descriptor", 49, rootSk.referenceCount());
        assertEquals("S-1-5-32-544", rootSk.ownerSid().orElseThrow());
        assertEquals("S-1-5-18", rootSk.groupSid().orElseThrow());
        assertEquals(hive.requireKey("Many\\Key05").securityOffset(), rootSk.cellOffset());
    }
}
