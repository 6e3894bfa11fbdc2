package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.registry.CellMapHiveSourceTest.SparseLayer;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.internal.LittleEndian;
import org.vestige.synth.CredentialHives;
import org.vestige.testing.TestData;

/**
 * Lays hives out in a sparse kernel address space the way the configuration manager keeps them, every
 * offset taken from a real kernel profile, and walks them back from the list head: names, lengths,
 * cells through the cell map, broken links, cycles, foreign entries and unreadable pages.
 */
public class HiveListWalkerTest {

    static final String WIN10 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final String WIN7 = "isf-full/windows/ntkrnlmp.pdb/339E74133576439CBCDF7E0229DA3773-1.json.xz";
    static final long HEAD = 0xFFFF_F800_1234_5670L;

    /** A kernel address space holding loaded hives, laid out with one profile's offsets. */
    static final class Kernel {
        final SparseLayer layer = new SparseLayer();
        final Profile p;
        final HiveMapLayout m;
        final List<Long> cmhives = new ArrayList<>();
        final List<Long> nameBuffers = new ArrayList<>();
        long next = 0xFFFF_A000_0100_0000L;

        Kernel(Profile p) {
            this.p = p;
            this.m = HiveMapLayout.from(p);
        }

        long alloc(long size) {
            long va = next;
            next += ((size + 0xFFF) & ~0xFFFL) + 0x3000;
            return va;
        }

        void put32(long va, long v) {
            byte[] b = new byte[4];
            LittleEndian.put32(b, 0, v);
            layer.write(va, b, 0, 4);
        }

        void put16(long va, int v) {
            byte[] b = new byte[2];
            LittleEndian.put16(b, 0, v);
            layer.write(va, b, 0, 2);
        }

        void unicode(long at, String text) {
            if (text.isEmpty()) {
                return;
            }
            byte[] b = text.getBytes(StandardCharsets.UTF_16LE);
            long buffer = alloc(b.length + 2);
            nameBuffers.add(buffer);
            layer.write(buffer, b, 0, b.length);
            put16(at + p.offset("_UNICODE_STRING", "Length"), b.length);
            put16(at + p.offset("_UNICODE_STRING", "MaximumLength"), b.length + 2);
            layer.put64(at + p.offset("_UNICODE_STRING", "Buffer"), buffer);
        }

        /** Loads a hive file; with {@code smallDir} the _DUAL's SmallDir serves as the directory. */
        long load(String root, String full, String user, byte[] file, boolean smallDir) {
            long cm = alloc(p.requireStruct("_CMHIVE").size());
            long hh = cm + p.offset("_CMHIVE", "Hive");
            put32(hh + p.offset("_HHIVE", "Signature"), HiveListWalker.SIGNATURE);
            long bb = alloc(4096);
            layer.write(bb, file, 0, 4096);
            layer.put64(hh + m.baseBlockOffset(), bb);
            long dual = hh + m.storageOffset();
            put32(dual + m.dualLengthOffset(), file.length - 4096);
            long table = alloc(p.requireStruct("_HMAP_TABLE").size());
            if (smallDir) {
                long small = dual + p.offset("_DUAL", "SmallDir");
                layer.put64(small, table);
                layer.put64(dual + m.dualMapOffset(), small);
            } else {
                long dir = alloc(p.requireStruct("_HMAP_DIRECTORY").size());
                layer.put64(dir, table);
                layer.put64(dual + m.dualMapOffset(), dir);
            }
            for (int at = 4096; at < file.length;) {
                int size = (int) LittleEndian.u32(file, at + 8);
                long bin = alloc(size);
                layer.write(bin, file, at, size);
                for (int k = 0; k < size; k += 4096) {
                    long entry = table + (long) ((at - 4096 + k) >>> 12) * m.entrySize();
                    if (m.blockOffsetOffset() >= 0) {
                        layer.put64(entry + m.blockOffsetOffset(), k);
                        layer.put64(entry + m.blockAddressOffset(), bin | (k == 0 ? 1 : 0));
                    } else {
                        layer.put64(entry + m.blockAddressOffset(), bin + k);
                    }
                }
                at += size;
            }
            unicode(cm + p.offset("_CMHIVE", "FileFullPath"), full);
            unicode(cm + p.offset("_CMHIVE", "FileUserName"), user);
            if (p.has("_CMHIVE", "HiveRootPath")) {
                unicode(cm + p.offset("_CMHIVE", "HiveRootPath"), root);
            }
            cmhives.add(cm);
            return cm;
        }

        long entry(int i) {
            return cmhives.get(i) + p.offset("_CMHIVE", "HiveList");
        }

        /** Links the loaded hives behind {@link #HEAD} in load order. */
        void link() {
            int n = cmhives.size();
            layer.put64(HEAD, entry(0));
            layer.put64(HEAD + 8, entry(n - 1));
            for (int i = 0; i < n; i++) {
                layer.put64(entry(i), i + 1 < n ? entry(i + 1) : HEAD);
                layer.put64(entry(i) + 8, i > 0 ? entry(i - 1) : HEAD);
            }
        }
    }

    static final BootKey BOOT_KEY = BootKey.fromHex("8899aabbccddeeff0011223344556677");

    /** The master hive, SYSTEM (from a written tree) and a 49-key hive loaded as SAM. */
    static Kernel standard(String profile) throws IOException {
        Kernel k = new Kernel(IsfReader.read(TestData.requireProfile(profile)));
        KeySpec master = KeySpec.named("REGISTRY");
        master.subkey("MACHINE");
        k.load("", "", "", HiveWriter.write(master), true);
        k.load("\\REGISTRY\\MACHINE\\SYSTEM", "\\REGISTRY\\MACHINE\\SYSTEM", "\\SystemRoot\\System32\\Config\\SYSTEM",
                HiveWriter.write(CredentialHives.system(BOOT_KEY, 2)), false);
        k.load("\\REGISTRY\\MACHINE\\SAM", "\\SystemRoot\\System32\\Config\\SAM", "\\??\\C:\\Windows\\System32\\config\\SAM",
                HiveWriter.write(HiveWriterTest.sampleTree(), HiveWriter.Options.defaults().withLeafCapacity(7)), true);
        k.link();
        return k;
    }

    @Test
    public void layoutsComeFromTheProfile() throws IOException {
        assertEquals(new HiveMapLayout(8, 0x40, 0x110, 0x278, 0, 8, 0x18, 8, 0, 0xF), HiveMapLayout.from(IsfReader
                .read(TestData.requireProfile(WIN10))));
        // Windows 7: the block's own address in BlockAddress, no BlockOffset
        assertEquals(new HiveMapLayout(8, 0x50, 0xa8, 0x278, 0, 8, 0x20, 0, -1, 0), HiveMapLayout.from(IsfReader
                .read(TestData.requireProfile(WIN7))));
    }

    @Test
    public void theListIsWalkedInOrderAndEveryHiveReadsThroughItsCellMap() throws IOException {
        for (String profile : List.of(WIN10, WIN7)) {
            Kernel k = standard(profile);
            HiveListing listing = new HiveListWalker(k.layer, k.p).walk(HEAD);
            assertTrue(listing.warnings().toString(), listing.warnings().isEmpty());
            assertTrue(listing.complete());
            assertEquals(k.cmhives, listing.hives().stream().map(LoadedHive::address).toList());
            LoadedHive master = listing.hives().get(0);
            assertEquals("[no name]", master.name());
            LoadedHive system = listing.machineHive("SYSTEM").orElseThrow();
            assertEquals("\\REGISTRY\\MACHINE\\SYSTEM", system.fileFullPath());
            assertEquals("\\SystemRoot\\System32\\Config\\SYSTEM", system.fileUserName());
            assertTrue(system.signatureValid());
            assertEquals(BOOT_KEY, BootKey.fromSystem(Hive.open(system.source(k.layer))));
            LoadedHive sam = listing.machineHive("sam").orElseThrow();
            assertEquals(k.cmhives.get(2).longValue(), sam.address());
            assertFalse(sam.isMachineHive("SYSTEM"));
            Hive mem = Hive.open(sam.source(k.layer));
            byte[] file = HiveWriter.write(HiveWriterTest.sampleTree(), HiveWriter.Options.defaults()
                    .withLeafCapacity(7));
            assertEquals(file.length - 4096, sam.stableLength());
            assertEquals(0, sam.volatileLength());
            assertEquals(49, mem.walk(new HiveVisitor() {
            }).keys());
            assertEquals(Hive.of("file", file).baseBlock(), mem.baseBlock());
            assertTrue(listing.machineHive("SECURITY").isEmpty());
        }
    }

    @Test
    public void aBrokenFlinkIsReportedAndTheRestIsRecoveredFromTheBlinks() throws IOException {
        Kernel k = standard(WIN10);
        k.layer.put64(k.entry(0), 0x4141_4141_4141_4141L);
        HiveListing listing = new HiveListWalker(k.layer, k.p).walk(HEAD);
        assertFalse(listing.complete());
        assertEquals(k.cmhives, listing.hives().stream().map(LoadedHive::address).toList());
        assertEquals(listing.warnings().toString(), 1, listing.warnings().size());
        String w = listing.warnings().get(0);
        assertTrue(w, w.contains("_CMHIVE 0x" + Long.toHexString(k.cmhives.get(0))) && w.contains(
                "0x4141414141414141") && w.contains("not a kernel address"));
    }

    @Test
    public void anUnreadableEntryAndACycleAreReported() throws IOException {
        Kernel k = standard(WIN10);
        long gone = 0xFFFF_B000_0000_0000L;
        k.layer.put64(k.entry(1), gone);
        k.layer.reasons.put(gone, "paged out to pagefile.sys (slot 0) at offset 0x5000");
        HiveListing listing = new HiveListWalker(k.layer, k.p).walk(HEAD);
        assertEquals(k.cmhives, listing.hives().stream().map(LoadedHive::address).toList());
        assertTrue(listing.warnings().toString(), listing.warnings().get(0).contains("pagefile.sys (slot 0)"));

        Kernel c = standard(WIN10);
        c.layer.put64(c.entry(1), c.entry(0));
        HiveListing cyclic = new HiveListWalker(c.layer, c.p).walk(HEAD);
        assertEquals(c.cmhives, cyclic.hives().stream().map(LoadedHive::address).toList());
        assertTrue(cyclic.warnings().toString(), cyclic.warnings().stream().anyMatch(x -> x.contains(
                "points back into the list")));
    }

    @Test
    public void anEntryWithoutTheHiveSignatureIsRejected() throws IOException {
        Kernel k = standard(WIN10);
        k.put32(k.cmhives.get(1) + k.p.offset("_HHIVE", "Signature"), 0x12345678);
        HiveListing listing = new HiveListWalker(k.layer, k.p).walk(HEAD);
        assertEquals(List.of(k.cmhives.get(0), k.cmhives.get(2)), listing.hives().stream().map(LoadedHive::address)
                .toList());
        assertEquals(k.cmhives.get(1).longValue(), listing.rejected().get(0).address());
        assertTrue(listing.warnings().toString(), listing.warnings().get(0).contains("0x12345678"));
    }

    @Test
    public void anUnreadableNameIsNotedAndTheOtherNamesServe() throws IOException {
        Kernel k = standard(WIN10);
        // name buffers in load order: SYSTEM's three, then SAM's FileFullPath, FileUserName, HiveRootPath
        long samFullPath = k.nameBuffers.get(3);
        k.layer.pages.remove(samFullPath);
        k.layer.reasons.put(samFullPath, "compressed, store reading disabled");
        LoadedHive sam = new HiveListWalker(k.layer, k.p).walk(HEAD).hives().get(2);
        assertEquals("", sam.fileFullPath());
        assertEquals("\\REGISTRY\\MACHINE\\SAM", sam.name());
        assertTrue(sam.notes().toString(), sam.notes().get(0).contains("FileFullPath") && sam.notes().get(0)
                .contains("compressed, store reading disabled"));
        assertTrue(sam.isMachineHive("SAM"));
    }

    @Test
    public void anUnreadableHeadYieldsNothingAndSaysWhy() throws IOException {
        Kernel k = standard(WIN10);
        k.layer.pages.remove(HEAD & ~0xFFFL);
        HiveListing listing = new HiveListWalker(k.layer, k.p).walk(HEAD);
        assertTrue(listing.hives().isEmpty());
        assertTrue(listing.warnings().get(0), listing.warnings().get(0).contains("hive list head"));
    }

    @Test
    public void residenceCountsBlocksAndNamesTheUnreadableOnes() throws IOException {
        Kernel k = standard(WIN10);
        LoadedHive sam = new HiveListWalker(k.layer, k.p).walk(HEAD).hives().get(2);
        CellMapHiveSource source = sam.source(k.layer);
        int blocks = (int) (sam.stableLength() / 4096);
        assertTrue(blocks >= 3);
        long victim = source.virtualAddress(0x1000);
        k.layer.pages.remove(victim);
        k.layer.reasons.put(victim, "compressed, store reading disabled (virtual store page-file number 2, page 0x7)");
        long paged = source.virtualAddress(0x2000);
        HiveResidence r = HiveResidence.of(source, (va, p) -> va == paged ? Residence.PAGEFILE : Residence.of(p));
        assertEquals(blocks, r.blocks());
        assertEquals(blocks - 2, r.count(Residence.RESIDENT));
        assertEquals(1, r.count(Residence.PAGEFILE));
        assertEquals(1, r.count(Residence.MISSING));
        assertEquals(1, r.unreadable());
        HiveResidence.UnreadableBlock u = r.unreadableBlocks().get(0);
        assertEquals(0x1000, u.hiveOffset());
        assertEquals(victim, u.virtualAddress());
        String text = r.describeUnreadable(16);
        assertTrue(text, text.startsWith("1 of " + blocks + " hive blocks are unreadable: hive offset 0x1000 (virtual 0x"
                + Long.toHexString(victim) + "): virtual 0x" + Long.toHexString(victim) + ": compressed, store reading "
                + "disabled"));
        // a block the storage length covers but the cell map does not is missing, with the map's reason
        long dual = sam.hive() + k.m.storageOffset();
        k.put32(dual + k.m.dualLengthOffset(), sam.stableLength() + 4096);
        HiveResidence longer = HiveResidence.of(sam.source(k.layer), HiveResidence.Classifier.BY_PROVENANCE);
        assertEquals(blocks + 1, longer.blocks());
        assertEquals(2, longer.count(Residence.MISSING));
        assertEquals(2, longer.unreadable());
        HiveResidence.UnreadableBlock gap = longer.unreadableBlocks().get(1);
        assertEquals(sam.stableLength(), gap.hiveOffset());
        assertEquals(0, gap.virtualAddress());
        assertTrue(gap.reason(), gap.reason().contains("maps no block"));
    }

    @Test
    public void blocksAreEnumeratedWithTheirAddressesOrWhyTheyHaveNone() throws IOException {
        Kernel k = standard(WIN10);
        LoadedHive system = new HiveListWalker(k.layer, k.p).walk(HEAD).hives().get(1);
        CellMapHiveSource source = system.source(k.layer);
        List<HiveBlock> blocks = new ArrayList<>();
        source.forEachBlock(blocks::add);
        assertEquals(system.stableLength() / 4096, blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(i * 4096L, blocks.get(i).hiveOffset());
            assertTrue(blocks.get(i).mapped());
            assertEquals(source.virtualAddress(i * 4096L), blocks.get(i).virtualAddress());
        }
        // stopping early is honoured
        int[] seen = {0};
        assertFalse(source.forEachBlock(b -> ++seen[0] < 1));
        assertEquals(1, seen[0]);
    }
}
