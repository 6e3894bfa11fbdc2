package org.vestige.registry;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.registry.internal.LittleEndian;

/**
 * Lays a written hive out in a simulated kernel address space the way the configuration manager keeps
 * it (base block, _DUAL storage, map directory, tables of _HMAP_ENTRY pointing at bins) and reads it
 * back through {@link CellMapHiveSource}.
 */
public class CellMapHiveSourceTest {

    /** A sparse virtual address space; pages not mapped are Missing with a fixed reason. */
    static final class SparseLayer implements Layer {
        final Map<Long, byte[]> pages = new HashMap<>();
        final Map<Long, String> reasons = new HashMap<>();

        byte[] page(long va) {
            return pages.computeIfAbsent(va & ~0xFFFL, k -> new byte[4096]);
        }

        void write(long va, byte[] data, int from, int length) {
            for (int i = 0; i < length; i++) {
                page(va + i)[(int) ((va + i) & 0xFFF)] = data[from + i];
            }
        }

        void put64(long va, long value) {
            byte[] b = new byte[8];
            LittleEndian.put64(b, 0, value);
            write(va, b, 0, 8);
        }

        @Override
        public String name() {
            return "sparse test space";
        }

        @Override
        public long size() {
            return -1L >>> 1;
        }

        @Override
        public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
            int available = 0;
            int done = 0;
            while (done < length) {
                long va = address + done;
                int chunk = (int) Math.min(length - done, 4096 - (va & 0xFFF));
                byte[] p = pages.get(va & ~0xFFFL);
                if (p == null) {
                    java.util.Arrays.fill(buffer, offset + done, offset + done + chunk, (byte) 0);
                    sink.accept(va, chunk, new PageProvenance.Missing(new MissingCause.NotMapped(), reasons.getOrDefault(
                            va & ~0xFFFL, "not mapped")));
                } else {
                    System.arraycopy(p, (int) (va & 0xFFF), buffer, offset + done, chunk);
                    sink.accept(va, chunk, new PageProvenance.Physical(0x100000 + (va & 0xFFFFFFF000L)));
                    available += chunk;
                }
                done += chunk;
            }
            return available;
        }
    }

    static final HiveMapLayout LAYOUT = new HiveMapLayout(8, 0x10, 0x100, 0x278, 0x0, 0x8, 0x18, 0x8, 0x0, 0xF);
    static final long HHIVE = 0xFFFF_9000_0000_0000L;

    /** Maps {@code file}'s bins (stable) and {@code volatileBins} into a new layer; bins land at scattered addresses. */
    static SparseLayer map(byte[] file, byte[] volatileBins) {
        SparseLayer layer = new SparseLayer();
        long baseBlock = 0xFFFF_9000_0010_0000L;
        layer.put64(HHIVE + LAYOUT.baseBlockOffset(), baseBlock);
        layer.write(baseBlock, file, 0, 4096);
        mapStorage(layer, 0, file, 4096, file.length - 4096, 0xFFFF_9000_4000_0000L);
        if (volatileBins != null) {
            mapStorage(layer, 1, volatileBins, 0, volatileBins.length, 0xFFFF_9000_8000_0000L);
        }
        return layer;
    }

    private static void mapStorage(SparseLayer layer, int storage, byte[] bins, int from, int length, long region) {
        long dual = HHIVE + LAYOUT.storageOffset() + storage * LAYOUT.dualSize();
        byte[] len = new byte[4];
        LittleEndian.put32(len, 0, length);
        layer.write(dual + LAYOUT.dualLengthOffset(), len, 0, 4);
        long directory = region;
        long table = region + 0x10_0000;
        layer.put64(dual + LAYOUT.dualMapOffset(), directory);
        layer.put64(directory, table); // directory slot 0: hives here are < 2 MiB
        // Bins go to descending addresses so that hive order and address order differ.
        long binVa = region + 0x4000_0000L;
        int at = 0;
        while (at < length) {
            int size = (int) LittleEndian.u32(bins, from + at + 8);
            binVa -= size + 0x10_0000;
            layer.write(binVa, bins, from + at, size);
            for (int block = 0; block < size; block += 4096) {
                long entry = table + (long) ((at + block) >>> 12) * LAYOUT.entrySize();
                layer.put64(entry + LAYOUT.blockAddressOffset(), binVa | 0x1); // low bits: flags
                layer.put64(entry + LAYOUT.blockOffsetOffset(), block);
            }
            at += size;
        }
    }

    @Test
    public void hiveReadThroughTheCellMapEqualsTheFile() {
        byte[] file = HiveWriter.write(HiveWriterTest.sampleTree(), HiveWriter.Options.defaults().withLeafCapacity(7));
        SparseLayer layer = map(file, null);
        Hive mem = Hive.open(new CellMapHiveSource(layer, HHIVE, LAYOUT, "\\REGISTRY\\MACHINE\\TEST"));
        Hive disk = Hive.of("file", file);
        assertTrue(mem.openProblems().isEmpty());
        assertEquals(disk.baseBlock(), mem.baseBlock());
        assertEquals(file.length - 4096, mem.stableLength());
        List<String> a = listing(disk);
        List<String> b = listing(mem);
        assertEquals(a, b);
        assertArrayEquals(disk.findValue("Data", "big").orElseThrow().data(),
                mem.findValue("Data", "big").orElseThrow().data());
    }

    private static List<String> listing(Hive hive) {
        List<String> out = new ArrayList<>();
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public boolean key(String path, RegistryKey key, int depth) {
                out.add(path + " @" + key.cellOffset());
                return true;
            }

            @Override
            public void value(String keyPath, RegistryKey key, RegistryValue value) {
                out.add(keyPath + ":" + value.name() + "=" + java.util.Arrays.hashCode(value.data()));
            }
        });
        assertEquals(0, s.problemCount());
        return out;
    }

    @Test
    public void missingPageNamesTheCellAndTheReason() {
        byte[] file = HiveWriter.write(HiveWriterTest.sampleTree(), HiveWriter.Options.defaults().withLeafCapacity(7));
        Hive disk = Hive.of("file", file);
        // a key whose block holds neither its parent nor the parent's subkey lists
        RegistryKey many = disk.requireKey("Many");
        java.util.Set<Long> parentBlocks = new java.util.HashSet<>();
        parentBlocks.add(many.cellOffset() >>> 12);
        byte[] ri = disk.cell(many.subkeyListOffset());
        parentBlocks.add(many.subkeyListOffset() >>> 12);
        for (int i = 0; i < LittleEndian.u16(ri, 2); i++) {
            parentBlocks.add(LittleEndian.u32(ri, 4 + 4 * i) >>> 12);
        }
        long victim = many.subkeys().stream().mapToLong(RegistryKey::cellOffset)
                .filter(o -> !parentBlocks.contains(o >>> 12)).findFirst().orElseThrow();
        SparseLayer layer = map(file, null);
        CellMapHiveSource source = new CellMapHiveSource(layer, HHIVE, LAYOUT, "TEST");
        long va = source.virtualAddress(victim);
        layer.pages.remove(va & ~0xFFFL);
        String reason = "paged out to pagefile.sys (slot 0) at offset 0x1a000";
        layer.reasons.put(va & ~0xFFFL, reason);

        Hive mem = Hive.open(source);
        try {
            mem.key(victim);
            fail("read a key from a missing page");
        } catch (HiveDataMissingException e) {
            assertEquals(victim, e.cellOffset());
            assertEquals(victim, e.missingOffset());
            assertTrue(e.reason(), e.reason().contains(reason));
            assertTrue(e.getMessage(), e.getMessage().startsWith("cell 0x" + Long.toHexString(victim)
                    + " is unreadable because hive offset 0x" + Long.toHexString(victim)));
            assertTrue(e.getMessage(), e.getMessage().contains("virtual 0x" + Long.toHexString(va)));
        }
        List<HiveProblem> problems = new ArrayList<>();
        WalkSummary s = mem.walk(new HiveVisitor() {
            @Override
            public void problem(HiveProblem p) {
                problems.add(p);
            }
        });
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.cellOffset() == victim && p.kind() == HiveProblem.Kind.MISSING
                && p.message().contains(reason) && "Many".equals(p.keyPath())));
        assertTrue(problems.stream().allMatch(p -> p.kind() == HiveProblem.Kind.MISSING
                || p.kind() == HiveProblem.Kind.INCONSISTENT));
        assertTrue("keys read: " + s.keys() + " " + problems, s.keys() < 49 && s.keys() > 30);
    }

    @Test
    public void unreadableBaseBlockStillOpensAtTheDefaultRoot() {
        byte[] file = HiveWriter.write(HiveWriterTest.sampleTree());
        SparseLayer layer = map(file, null);
        layer.pages.remove(0xFFFF_9000_0010_0000L);
        layer.reasons.put(0xFFFF_9000_0010_0000L, "demand zero page never written");
        Hive mem = Hive.open(new CellMapHiveSource(layer, HHIVE, LAYOUT, "TEST"));
        assertTrue(mem.baseBlock().isEmpty());
        assertEquals(HiveProblem.Kind.MISSING, mem.openProblems().get(0).kind());
        assertTrue(mem.openProblems().get(0).message().contains("demand zero page never written"));
        assertEquals("ROOT", mem.root().name());
        assertEquals(49, mem.walk(new HiveVisitor() {
        }).keys());
    }

    @Test
    public void volatileSubkeysAreListedFromVolatileStorage() {
        byte[] file = HiveWriter.write(HiveWriterTest.sampleTree());
        // A second hive supplies the volatile bin: its root's subkey list and the key it names become
        // volatile cells once their references carry bit 31.
        KeySpec volRoot = KeySpec.named("unused");
        volRoot.subkey("CurrentControlSet").flags(RegistryKey.KEY_VOLATILE);
        byte[] vol = HiveWriter.write(volRoot);
        Hive volHive = Hive.of("vol", vol);
        long list = volHive.root().subkeyListOffset();
        long child = LittleEndian.u32(vol, (int) (4096 + list + 4 + 4));
        LittleEndian.put32(vol, (int) (4096 + list + 4 + 4), child | HiveSource.VOLATILE_BIT);
        long rootNk = 0x20;
        LittleEndian.put32(file, (int) (4096 + rootNk + 4 + 0x18), 1);
        LittleEndian.put32(file, (int) (4096 + rootNk + 4 + 0x20), list | HiveSource.VOLATILE_BIT);
        byte[] volatileBins = java.util.Arrays.copyOfRange(vol, 4096, vol.length);

        Hive mem = Hive.open(new CellMapHiveSource(map(file, volatileBins), HHIVE, LAYOUT, "TEST"));
        RegistryKey ccs = mem.requireKey("CurrentControlSet");
        assertEquals(child | HiveSource.VOLATILE_BIT, ccs.cellOffset());
        assertTrue(ccs.hasFlag(RegistryKey.KEY_VOLATILE));
        assertEquals(50, mem.walk(new HiveVisitor() {
        }).keys());
        // the same hive read from its file ignores the volatile list, which only exists in memory
        Hive disk = Hive.of("file", file);
        assertTrue(disk.findKey("CurrentControlSet").isEmpty());
        assertEquals(49, disk.walk(new HiveVisitor() {
        }).keys());
    }
}
