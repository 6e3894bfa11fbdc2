package org.vestige.plugin.registry.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.registry.MemoryHives;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveDataMissingException;
import org.vestige.registry.HiveResidence;
import org.vestige.registry.LoadedHive;
import org.vestige.registry.Residence;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaSecret;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SamAccount;
import org.vestige.registry.credentials.SamDump;
import org.vestige.registry.credentials.SamHashes;
import org.vestige.testing.TestData;
import org.vestige.synth.HiveMemoryWriter;
import org.vestige.synth.HiveMemoryWriter.Destination;
import org.vestige.synth.HiveMemoryWriter.HivePlacement;
import org.vestige.synth.HiveMemoryWriter.Placement;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.PteEncoding;
import org.vestige.windows.PteLayout;
import org.vestige.windows.X64Layer;

/**
 * Hives loaded into a synthesized kernel by {@link HiveMemoryWriter} — real page tables, real PTE
 * encodings, a real kernel profile — found again from CmpHiveListHead and read through the x64
 * translator with paging-file and compressed-store pages: boot key, hashes and secrets equal to what was
 * placed; and when pages cannot be read, the hive pages named and nothing decrypted from them.
 */
public class MemoryHivesTest {

    static final String WIN10 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final long KERNEL_BASE = 0xFFFF_F804_5A40_0000L;
    static final int VIRTUAL_STORE = 2;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** One synthesized machine with its hives. */
    final class Machine {
        final Profile profile;
        final PhysicalImageWriter memory;
        final PageTableBuilder kernel;
        final PteEncoding pte;
        final Map<Long, byte[]> pagefile = new TreeMap<>();
        final Map<Long, byte[]> store = new TreeMap<>();
        PageTableBuilder registry;
        HiveMemoryWriter.Truth truth;
        X64Layer kernelLayer;
        X64Layer hiveLayer;
        long pool = 0xFFFF_C081_2000_0000L;

        Machine(long seed) throws IOException {
            profile = IsfReader.read(TestData.requireProfile(WIN10));
            Random random = new Random(seed);
            memory = new PhysicalImageWriter(256L << 20, random);
            kernel = new PageTableBuilder(memory, 0x1A0000L);
            pte = new PteEncoding(profile, 1L << 45);
        }

        long poolAlloc(long size, long tag) {
            long va = (pool + 0x10 + 0xF) & ~0xFL;
            kernel.write(va, new byte[(int) size]);
            pool = va + size;
            return va;
        }

        Placement displace(PageTableBuilder space, long va, byte[] page, Destination where) {
            return switch (where) {
                case PAGEFILE -> {
                    long n = 0x300 + pagefile.size();
                    pagefile.put(n << 12, page.clone());
                    space.setPte(va, pte.software(0, n, 4, true));
                    yield new Placement(where, 0, n << 12);
                }
                case COMPRESSED -> {
                    long key = 0x1200 + store.size();
                    store.put(key << 12, page.clone());
                    space.setPte(va, pte.software(VIRTUAL_STORE, key, 4, true));
                    yield new Placement(where, VIRTUAL_STORE, key);
                }
                case TRANSITION -> {
                    long frame = memory.allocateFrame();
                    memory.write(frame, page);
                    space.setPte(va, pte.transition(frame, 4));
                    yield new Placement(where, -1, frame);
                }
                case UNMAPPED -> throw new IllegalArgumentException("the writer unmaps pages itself");
            };
        }

        Machine write(HivePlacement placement, boolean registryProcess) throws IOException {
            long head = KERNEL_BASE + profile.symbol(MemoryHives.LIST_HEAD).orElseThrow();
            kernel.write(head, new byte[16]);
            HiveMemoryWriter writer = new HiveMemoryWriter(profile, kernel, this::poolAlloc, this::displace,
                    new Random(99));
            if (registryProcess) {
                registry = new PageTableBuilder(memory, memory.allocateFrame());
                writer.binsIn(registry, 0x0000_0250_0000_0000L);
            }
            truth = writer.writeStandardHives(head, 19041, placement);
            if (registryProcess) {
                registry.shareKernelHalf(kernel);
            }
            Path image = tmp.newFile().toPath();
            memory.writeTo(image);
            FileLayer physical = FileLayer.open(image, "physical");
            kernelLayer = X64Layer.kernel(physical, PteLayout.from(profile).withInvalidPteMask(1L << 45),
                    kernel.dtb());
            hiveLayer = registryProcess ? kernelLayer.translator().layer("Registry", registry.dtb()) : kernelLayer;
            return this;
        }

        /** Registers pagefile.sys (slot 0) and the compressed store, readable or not. */
        Machine stores(boolean pagefileGiven, boolean storeRead) {
            if (pagefileGiven) {
                kernelLayer.translator().register(new MapStore("pagefile.sys", 0, pagefile));
            }
            kernelLayer.translator().register(storeRead ? new MapStore("memory-compression store", VIRTUAL_STORE,
                    store) : BackingStore.unavailable(MissingCause.StoreUnavailable.disabled(VIRTUAL_STORE, "compressed"),
                            "memory-compression store", offset ->
                            "compressed, store reading disabled (virtual store page-file number 2, page 0x" + Long
                                    .toHexString(offset >>> 12) + ")"));
            return this;
        }

        MemoryHives hives() throws Exception {
            return MemoryHives.walk(kernelLayer, profile, KERNEL_BASE, hiveLayer, VIRTUAL_STORE);
        }
    }

    /** A store whose pages are held in a map: a paging file, or the compressed store (by key). */
    static final class MapStore implements BackingStore {
        private final String name;
        private final int slot;
        private final Map<Long, byte[]> pages;

        MapStore(String name, int slot, Map<Long, byte[]> pages) {
            this.name = name;
            this.slot = slot;
            this.pages = pages;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public PageProvenance readPage(long pageOffset, byte[] buffer, int offset) {
            byte[] page = pages.get(pageOffset);
            if (page == null) {
                Arrays.fill(buffer, offset, offset + 4096, (byte) 0);
                return new PageProvenance.Missing(new MissingCause.Unreadable(), name + " has no page at 0x" + Long.toHexString(pageOffset));
            }
            System.arraycopy(page, 0, buffer, offset, 4096);
            return slot == VIRTUAL_STORE ? new PageProvenance.Compressed(pageOffset >>> 12, 0, 0)
                    : new PageProvenance.Pagefile(slot, pageOffset, name);
        }
    }

    private final List<Hive> opened = new ArrayList<>();

    @After
    public void close() {
        opened.forEach(Hive::close);
    }

    Hive open(MemoryHives hives, String name) {
        LoadedHive h = hives.listing().machineHive(name).orElseThrow();
        Hive hive = Hive.open(hives.source(h));
        opened.add(hive);
        return hive;
    }

    static List<String> lines(SamDump dump) {
        return dump.accounts().stream().map(SamAccount::hashdumpLine).filter(java.util.Optional::isPresent).map(
                java.util.Optional::get).toList();
    }

    @Test
    public void residentHivesAreListedAndTheirCredentialsMatchWhatWasPlaced() throws Exception {
        Machine m = new Machine(1).write(HivePlacement.RESIDENT, false).stores(true, true);
        MemoryHives hives = m.hives();
        assertTrue(hives.listing().warnings().toString(), hives.listing().warnings().isEmpty());
        assertEquals(m.truth.hives().stream().map(HiveMemoryWriter.LoadedHive::cmhive).toList(), hives.hives()
                .stream().map(LoadedHive::address).toList());
        assertEquals(List.of("[no name]", "\\REGISTRY\\MACHINE\\SYSTEM", "\\REGISTRY\\MACHINE\\SAM",
                "\\REGISTRY\\MACHINE\\SECURITY"), hives.hives().stream().map(LoadedHive::name).toList());
        assertEquals("\\SystemRoot\\System32\\Config\\SAM", hives.listing().machineHive("SAM").orElseThrow()
                .fileFullPath());

        BootKey bootKey = BootKey.fromSystem(open(hives, "SYSTEM"));
        assertEquals(m.truth.bootKey(), bootKey.hex());
        SamDump dump = SamHashes.dump(open(hives, "SAM"), bootKey);
        assertTrue(dump.problems().toString(), dump.problems().isEmpty());
        assertTrue(dump.bootKeyMatches());
        assertEquals(m.truth.expectedHashdump(), lines(dump));
        // an NT hash is MD4 of the UTF-16LE password: check one against an independent computation
        assertEquals("8846f7eaee8fb117ad06bdd830b7586c", md4Hex("password"));
        HiveMemoryWriter.AccountTruth admin = m.truth.accounts().get(0);
        assertEquals(500, admin.account().rid());
        assertTrue(admin.hashdump().endsWith(":" + md4Hex(admin.account().password()) + ":::"));

        List<LsaSecret> secrets = LsaSecrets.dump(open(hives, "SECURITY"), bootKey).secrets();
        LsaSecret defaultPassword = secrets.stream().filter(s -> s.name().equals("DefaultPassword")).findFirst()
                .orElseThrow();
        assertTrue(defaultPassword.decoded().orElseThrow().display().contains(m.truth.secrets().get(
                "DefaultPassword")));

        for (LoadedHive h : hives.hives()) {
            HiveResidence r = hives.residence(h);
            assertEquals(h.stableLength() / 4096, r.blocks());
            assertEquals(r.blocks(), r.count(Residence.RESIDENT));
            assertEquals(0, r.unreadable());
        }
    }

    @Test
    public void aCompressedSamReadsWithTheStoreAndWithoutItItsPagesAreNamed() throws Exception {
        Machine with = new Machine(2).write(HivePlacement.SAM_COMPRESSED, false).stores(true, true);
        MemoryHives hives = with.hives();
        LoadedHive sam = hives.listing().machineHive("SAM").orElseThrow();
        HiveResidence r = hives.residence(sam);
        assertEquals(r.blocks(), r.count(Residence.COMPRESSED));
        assertEquals(0, r.unreadable());
        BootKey bootKey = BootKey.fromSystem(open(hives, "SYSTEM"));
        assertEquals(with.truth.expectedHashdump(), lines(SamHashes.dump(open(hives, "SAM"), bootKey)));

        Machine without = new Machine(2).write(HivePlacement.SAM_COMPRESSED, false).stores(true, false);
        MemoryHives dark = without.hives();
        LoadedHive darkSam = dark.listing().machineHive("SAM").orElseThrow();
        HiveResidence dr = dark.residence(darkSam);
        assertEquals(dr.blocks(), dr.count(Residence.COMPRESSED));
        assertEquals(dr.blocks(), dr.unreadable());
        HiveMemoryWriter.LoadedHive placed = without.truth.hive("\\REGISTRY\\MACHINE\\SAM");
        assertEquals(placed.displaced().size(), dr.blocks());
        for (int i = 0; i < dr.unreadableBlocks().size(); i++) {
            HiveResidence.UnreadableBlock u = dr.unreadableBlocks().get(i);
            assertEquals(placed.displaced().get(i).hiveOffset(), u.hiveOffset());
            assertEquals(placed.displaced().get(i).va(), u.virtualAddress());
            assertTrue(u.reason(), u.reason().contains("compressed, store reading disabled") && u.reason().contains(
                    "page 0x" + Long.toHexString(placed.displaced().get(i).placement().offset())));
        }
        BootKey key = BootKey.fromSystem(open(dark, "SYSTEM"));
        try {
            SamDump dump = SamHashes.dump(open(dark, "SAM"), key);
            fail("read the SAM's domain key from compressed pages without the store: " + lines(dump));
        } catch (HiveDataMissingException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("compressed, store reading disabled"));
            assertTrue(e.getMessage(), e.getMessage().contains("virtual 0x"));
        }
    }

    @Test
    public void aPagedOutSamNamesPagefileOffsetsWithoutThePagefile() throws Exception {
        Machine m = new Machine(3).write(HivePlacement.SAM_PAGEFILE, false).stores(false, true);
        MemoryHives hives = m.hives();
        LoadedHive sam = hives.listing().machineHive("SAM").orElseThrow();
        HiveResidence r = hives.residence(sam);
        assertEquals(r.blocks(), r.count(Residence.PAGEFILE));
        assertEquals(r.blocks(), r.unreadable());
        HiveMemoryWriter.DisplacedBlock first = m.truth.hive("\\REGISTRY\\MACHINE\\SAM").displaced().get(0);
        String text = r.describeUnreadable(4);
        assertTrue(text, text.contains("virtual 0x" + Long.toHexString(first.va())) && text.contains("0x" + Long
                .toHexString(first.placement().offset())));

        Machine given = new Machine(3).write(HivePlacement.SAM_PAGEFILE, false).stores(true, true);
        MemoryHives readable = given.hives();
        assertEquals(given.truth.expectedHashdump(), lines(SamHashes.dump(open(readable, "SAM"), BootKey.fromSystem(
                open(readable, "SYSTEM")))));
    }

    @Test
    public void scatteredPagesHideOnlyTheAccountsTheyHold() throws Exception {
        Machine m = new Machine(4).write(HivePlacement.SCATTERED, false).stores(false, false);
        MemoryHives hives = m.hives();
        // the unmapped SYSTEM block is missing, yet the boot key does not need it
        HiveResidence sys = hives.residence(hives.listing().machineHive("SYSTEM").orElseThrow());
        assertEquals(1, sys.count(Residence.MISSING));
        assertEquals(1, sys.unreadable());
        assertTrue(sys.unreadableBlocks().get(0).reason(), sys.unreadableBlocks().get(0).reason().contains(
                "not mapped"));
        BootKey bootKey = BootKey.fromSystem(open(hives, "SYSTEM"));
        assertEquals(m.truth.bootKey(), bootKey.hex());

        HiveMemoryWriter.LoadedHive placedSam = m.truth.hive("\\REGISTRY\\MACHINE\\SAM");
        assertEquals(List.of(Destination.PAGEFILE, Destination.COMPRESSED), placedSam.displaced().stream().map(d -> d
                .placement().destination()).toList());
        SamDump dump = SamHashes.dump(open(hives, "SAM"), bootKey);
        List<String> printed = lines(dump);
        int hidden = 0;
        for (HiveMemoryWriter.AccountTruth a : m.truth.accounts()) {
            boolean readable = a.cells().stream().noneMatch(c -> placedSam.displacedBlock(c).isPresent());
            assertEquals(a.account().name() + " " + dump.problems(), readable, printed.contains(a.hashdump()));
            hidden += readable ? 0 : 1;
        }
        assertTrue(hidden >= 2);
        assertTrue(printed.size() >= 2);
        assertEquals(m.truth.expectedHashdump().stream().filter(printed::contains).toList(), printed);
        assertFalse(dump.problems().isEmpty());
        assertTrue(dump.problems().toString(), dump.problems().stream().allMatch(p -> p.contains("virtual 0x")));
        HiveResidence samPages = hives.residence(hives.listing().machineHive("SAM").orElseThrow());
        assertEquals(1, samPages.count(Residence.PAGEFILE));
        assertEquals(1, samPages.count(Residence.COMPRESSED));
        assertEquals(2, samPages.unreadable());

        // with pagefile.sys and the store every account is there
        Machine all = new Machine(4).write(HivePlacement.SCATTERED, false).stores(true, true);
        MemoryHives readable = all.hives();
        assertEquals(all.truth.expectedHashdump(), lines(SamHashes.dump(open(readable, "SAM"), BootKey.fromSystem(
                open(readable, "SYSTEM")))));
    }

    @Test
    public void binsInTheRegistryProcessAreReadThroughItsAddressSpace() throws Exception {
        Machine m = new Machine(5).write(HivePlacement.SAM_COMPRESSED, true).stores(true, true);
        HiveMemoryWriter.LoadedHive placed = m.truth.hive("\\REGISTRY\\MACHINE\\SAM");
        assertFalse(placed.binsInKernel());
        assertTrue(placed.bins().get(0).va() > 0);
        MemoryHives hives = m.hives();
        assertEquals(m.truth.expectedHashdump(), lines(SamHashes.dump(open(hives, "SAM"), BootKey.fromSystem(open(
                hives, "SYSTEM")))));
        HiveResidence r = hives.residence(hives.listing().machineHive("SAM").orElseThrow());
        assertEquals(r.blocks(), r.count(Residence.COMPRESSED));
        // the kernel's own space does not map the Registry process's user pages
        MemoryHives kernelOnly = MemoryHives.walk(m.kernelLayer, m.profile, KERNEL_BASE, m.kernelLayer,
                VIRTUAL_STORE);
        HiveResidence k = kernelOnly.residence(kernelOnly.listing().machineHive("SAM").orElseThrow());
        assertEquals(k.blocks(), k.count(Residence.MISSING));
    }

    /** MD4 of the UTF-16LE password, computed here (RFC 1320) independently of the code under test. */
    static String md4Hex(String password) {
        byte[] msg = password.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        int n = ((msg.length + 8) / 64 + 1) * 64;
        byte[] padded = Arrays.copyOf(msg, n);
        padded[msg.length] = (byte) 0x80;
        long bits = msg.length * 8L;
        for (int i = 0; i < 8; i++) {
            padded[n - 8 + i] = (byte) (bits >>> (8 * i));
        }
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        for (int off = 0; off < n; off += 64) {
            int[] x = new int[16];
            for (int i = 0; i < 16; i++) {
                x[i] = (padded[off + 4 * i] & 0xff) | (padded[off + 4 * i + 1] & 0xff) << 8
                        | (padded[off + 4 * i + 2] & 0xff) << 16 | (padded[off + 4 * i + 3] & 0xff) << 24;
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            int[] s1 = {3, 7, 11, 19};
            for (int i = 0; i < 16; i++) {
                int t = a + ((b & c) | (~b & d)) + x[i];
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, s1[i % 4]);
            }
            int[] s2 = {3, 5, 9, 13};
            int[] o2 = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
            for (int i = 0; i < 16; i++) {
                int t = a + ((b & c) | (b & d) | (c & d)) + x[o2[i]] + 0x5a827999;
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, s2[i % 4]);
            }
            int[] s3 = {3, 9, 11, 15};
            int[] o3 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
            for (int i = 0; i < 16; i++) {
                int t = a + (b ^ c ^ d) + x[o3[i]] + 0x6ed9eba1;
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, s3[i % 4]);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        StringBuilder out = new StringBuilder();
        for (int v : new int[] {a, b, c, d}) {
            for (int i = 0; i < 4; i++) {
                out.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
            }
        }
        return out.toString();
    }
}
