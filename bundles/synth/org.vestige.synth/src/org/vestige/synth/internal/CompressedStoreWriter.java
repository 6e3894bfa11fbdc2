package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;
import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.PteEncoding;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Lays out the memory-compression store of a Windows 10/11 x64 kernel (build 14393 and later): the
 * store manager reached from {@code SmGlobals} (directly below 22601, through {@code SmGlobals + 8}
 * in 22H2/23H2 and {@code SmGlobals + 0x10} from 24H2), its arrays of {@code _SMKM_STORE_METADATA}
 * (pool tag {@code smSa}), the KeyToStoreTree, and per store an {@code SMKM_STORE} with its PagesTree,
 * chunks of page records, region array and the compressed regions in the user space of MemCompression.
 * Placed as Windows places them: SmkmStore a page-aligned pointer, each chunk-pointer array a pool block
 * tagged {@code smBA} (or big-pool pages), each chunk of page records on a page of its own.
 *
 * <p>Pages are handed in one by one ({@link #page}) or in bulk ({@link #bulk}); each gets a store key
 * at once and its PTE becomes a software PTE naming the virtual store ({@value #VIRTUAL_STORE_SLOT}).
 * {@link #write} then compresses them (Xpress plain LZ77 below 26100, raw LZ4 blocks from 26100; raw
 * when the encoding would not be smaller than a page; no data at all for a page of zeros) and places
 * every structure. Both B+trees always have internal nodes: small trees (below 64 keys) get leaves
 * of two to four entries, large ones (a thousand keys and more) a full leaf and, with enough leaves,
 * a full internal node among nodes of varying fill.
 *
 * <p>Offsets are those of the store manager's x64 layout per build: ST_DATA_MGR at +0x50 of the store,
 * PagesTree at +0, ChunkMetaData at +0xC0 (ChunkPtrArray[32], BitValue +0x108, PageRecordsPerChunkMask
 * +0x10C, PageRecordSize +0x110, ChunkPageHeaderSize +0x118), SmkmStore +0x320, RegionSizeMask +0x328,
 * RegionIndexMask +0x32C, CompressionAlgorithm +0x3D0 (14393, 15063) or +0x3E0; the store's
 * CompressedRegionPtrArray and OwnerProcess move with the build.
 *
 * @since 0.1
 */
public final class CompressedStoreWriter {

    /** The page-file number of the virtual store: PageFileLow of every compressed PTE. */
    public static final int VIRTUAL_STORE_SLOT = 2;

    /**
     * What else happens to a page besides being compressed.
     *
     * @since 0.1
     */
    public enum Handling {
        /** its PagesTree entry leads straight to its page record */
        PLAIN,
        /** its PagesTree entry leads to a moved record (Key 0xFFFFFFFF) whose NextKey leads to the real one */
        MOVED,
        /** two moved records in a row */
        MOVED_TWICE,
        /** its data lies in a region page of its own that is paged out to pagefile.sys */
        REGION_PAGED_OUT,
        /** its data starts in a region page that is in transition */
        REGION_TRANSITION
    }

    /**
     * Kernel pool memory for the store's structures.
     *
     * @since 0.1
     */
    public interface KernelPool {
        /** @return the body of a pool block with a {@code _POOL_HEADER} carrying {@code tag} */
        long alloc(long size, long tag);

        /** @return the first of {@code count} zeroed, page-aligned pages (a big-pool block: no header) */
        long pages(int count);
    }

    /**
     * pagefile.sys (page-file number 0), where region pages of MemCompression are paged out to.
     *
     * @since 0.1
     */
    public interface PagingFile {
        /** Stores a page and returns its page number in the file. */
        long pageOut(byte[] page);
    }

    /*
     * Pool tags of the store's allocations, as a reader without symbols checks them (the PoolTag at +4 of
     * the 16-byte x64 _POOL_HEADER, 12 bytes before the body). Sources: MemProcFS (Ulf Frisk), vmm/mm/mm_win.c,
     * MmWin_MemCompress_Initialize_NoPdb64 ('smSa' before each metadata array) and
     * MmWin_MemCompress3_SmkmStoreAndPageRecord64 ('smBA' before each chunk-pointer array that is not page
     * aligned; SMKM_STORE_METADATA.SmkmStore and each page-record chunk page aligned); FireEye FLARE,
     * "Finding Evil in Windows 10 Compressed Memory" (2019) and its win10_volatility/win10_rekall
     * documentation for the structures. Same tags on every build with a store (14393 to 26100).
     */
    private static final long TAG_METADATA = 0x61536D73L; // 'smSa'
    private static final long TAG_CHUNK_ARRAY = 0x41426D73L; // 'smBA'
    private static final long TAG_MANAGER = 0x61506D53L; // 'SmPa'
    private static final int PAGE = 4096;
    private static final int REGION_SIZE = 0x20000;
    private static final int REGION_SIZE_MASK = 0x1FFF;
    private static final int REGION_INDEX_SHIFT = 13;
    private static final int RECORD_SIZE = 0x10;
    private static final int METADATA_SIZE = 0x28;
    /** the most leaf entries a 4 KiB node holds: (0x1000 − 0x10) / 8 (the format's limit is 0x1FF) */
    private static final int LEAF_FULL = 0x1FE;
    /** the most entries of an internal node: (0x1000 − 0x10) / 16, i.e. 0x100 children with LeftChild */
    private static final int INTERNAL_FULL = 0xFF;
    /** trees with fewer entries get tiny nodes, so that even they have several levels */
    private static final int SMALL_TREE = 64;
    /** trees with at least this many entries get one full leaf and one full internal node */
    private static final int BIG_TREE = 2 * LEAF_FULL;
    private static final int DATA_MGR = 0x50;
    private static final int CHUNK_META = 0xC0;
    private static final int MOVED = 0xFFFFFFFF;
    private static final int NO_STORE = 0x01000000;

    private final Profile profile;
    private final int build;
    private final SynthOptions.CompressedStore kind;
    private final PteEncoding pte;
    private final PageTableBuilder kernel;
    private final PhysicalImageWriter memory;
    private final KernelPool pool;
    private final PagingFile pagefile;
    private final Random random;
    private final Compressor compressor;
    private final boolean swizzles;
    private final int[] storeIndex = new int[2];
    private final List<Page> pages = new ArrayList<>();
    private final List<long[]> regionVads = new ArrayList<>();
    private long nextHigh;
    private long highestHigh;
    private boolean written;

    /**
     * @param profile the kernel's profile (for the PTE layout)
     * @param build   the Windows build, 14393 or later
     * @param kind    INTACT or BROKEN_NODE
     * @param pte     the PTE encoder of the image
     * @param kernel  the kernel address space
     * @param memory  the machine's physical memory (for region pages in transition)
     * @param pool    where the store's kernel structures go
     * @param pagefile pagefile.sys, for region pages paged out
     * @param random  the synthesizer's seeded generator
     * @throws IllegalArgumentException when the build or the profile has no memory-compression store
     */
    public CompressedStoreWriter(Profile profile, int build, SynthOptions.CompressedStore kind, PteEncoding pte,
            PageTableBuilder kernel, PhysicalImageWriter memory, KernelPool pool, PagingFile pagefile, Random random) {
        requireSupported(profile, build);
        if (kind == SynthOptions.CompressedStore.NONE) {
            throw new IllegalArgumentException("a compressed store of kind NONE has nothing to write");
        }
        this.profile = profile;
        this.build = build;
        this.kind = kind;
        this.pte = pte;
        this.kernel = kernel;
        this.memory = memory;
        this.pool = pool;
        this.pagefile = pagefile;
        this.random = random;
        this.compressor = lz4() ? Codec.LZ4.compressor() : Codec.XPRESS.compressor();
        this.swizzles = profile.has("_MMPTE_SOFTWARE", "SwizzleBit");
        // two stores in different metadata arrays: one in the first (which CACHEALI's candidate points at)
        storeIndex[0] = random.nextInt(32);
        storeIndex[1] = 32 + random.nextInt(1024 - 32);
        nextHigh = 0x100 + random.nextInt(0x1000);
    }

    /**
     * Checks that a kernel has a memory-compression store this writer can lay out.
     *
     * @throws IllegalArgumentException naming the build or the profile when it has none
     */
    public static void requireSupported(Profile profile, int build) {
        if (build < 14393) {
            throw new IllegalArgumentException("build " + build + " has no memory-compression store Vestige can"
                    + " synthesize (14393 or later)");
        }
        if (profile.pointerSize() != 8) {
            throw new IllegalArgumentException("profile " + profile.source() + " is not x64: the store is"
                    + " synthesized for x64 only");
        }
        if (!profile.has("_MMPAGING_FILE", "VirtualStorePagefile") || !profile.has("_MMPAGING_FILE",
                "PageFileNumber")) {
            throw new IllegalArgumentException("profile " + profile.source() + " (build " + build + ") has no"
                    + " _MMPAGING_FILE.VirtualStorePagefile: its kernel has no virtual store to compress pages into");
        }
    }

    private boolean lz4() {
        return build >= 26100;
    }

    /** @return the store index of the first (0) or second (1) store */
    public int storeIndex(int which) {
        return storeIndex[which];
    }

    /** @return the highest PageFileHigh handed out so far (the virtual store's size must exceed it) */
    public long highestPageFileHigh() {
        return highestHigh;
    }

    /**
     * Puts a page into the store: gives it a key and sets its PTE in {@code space} to the software PTE
     * naming it.
     *
     * @param store 0 for the first store, 1 for the second (the one BROKEN_NODE damages)
     * @return the PTE written
     */
    public long page(PageTableBuilder space, long pid, long va, byte[] content, int protection, boolean swizzled,
            int store, Handling handling) {
        if (content.length != PAGE) {
            throw new IllegalArgumentException("a compressed page has 4096 bytes, not " + content.length);
        }
        Page p = newPage(space, pid, va, protection, swizzled, store, handling, nextHigh);
        nextHigh += 1 + random.nextInt(4);
        p.content = content.clone();
        return p.pte;
    }

    /**
     * Puts {@code count} pages of generated content from {@code va} on into the second store (their
     * content is made while {@link #write} runs, so a large count costs no memory up front).
     */
    public void bulk(PageTableBuilder space, long pid, long va, int count, int protection) {
        long seed = random.nextLong();
        for (int i = 0; i < count; i++) {
            Page p = newPage(space, pid, va + (long) i * PAGE, protection, (i & 1) == 0, 1, Handling.PLAIN, nextHigh);
            nextHigh += random.nextInt(8) == 0 ? 2 : 1;
            p.bulkSeed = seed + i * 0x9E3779B97F4A7C15L;
        }
    }

    private Page newPage(PageTableBuilder space, long pid, long va, int protection, boolean swizzled, int store,
            Handling handling, long high) {
        if (written) {
            throw new IllegalStateException("the store has been written");
        }
        if (high >= 1L << 28) {
            throw new IllegalStateException("store keys exhausted");
        }
        Page p = new Page();
        p.pid = pid;
        p.va = va;
        p.store = store;
        p.handling = handling;
        p.swizzled = swizzled && swizzles;
        p.key = lz4() ? high : ((long) VIRTUAL_STORE_SLOT << 28) | high;
        p.pte = pte.software(VIRTUAL_STORE_SLOT, high, protection, swizzled);
        space.setPte(va, p.pte);
        highestHigh = Math.max(highestHigh, high);
        pages.add(p);
        return p;
    }

    /** @return the VADs MemCompression needs for the regions: {start, end} each (after {@link #write}) */
    public List<long[]> regionVads() {
        return List.copyOf(regionVads);
    }

    /**
     * The code fragment of SmpPageWrite a reader without symbols finds SmGlobals by:
     * {@code mov r8,[rdx]; lea rcx,[rip+a]; lea rdx,[rip+SmGlobals]; call f; mov ebx,eax}.
     *
     * @param at         the virtual address the fragment is placed at
     * @param smGlobals  SmGlobals
     * @param leaTarget  what the first lea loads
     * @param callTarget the function called
     */
    public static byte[] codeSignature(long at, long smGlobals, long leaTarget, long callTarget) {
        byte[] b = {0x4C, (byte) 0x8B, 0x02, 0x48, (byte) 0x8D, 0x0D, 0, 0, 0, 0, 0x48, (byte) 0x8D, 0x15, 0, 0, 0, 0,
            (byte) 0xE8, 0, 0, 0, 0, (byte) 0x8B, (byte) 0xD8};
        Le.put(b, 6, rel32(leaTarget, at + 10), 4);
        Le.put(b, 13, rel32(smGlobals, at + 17), 4);
        Le.put(b, 18, rel32(callTarget, at + 22), 4);
        return b;
    }

    private static long rel32(long target, long next) {
        long d = target - next;
        if (d != (int) d) {
            throw new IllegalArgumentException("0x" + Long.toHexString(target) + " is out of reach of a rel32 at 0x"
                    + Long.toHexString(next));
        }
        return d;
    }

    /**
     * Compresses every page and lays the store out.
     *
     * @param symbol         the name SmGlobals is placed under
     * @param smGlobals      SmGlobals (inside the kernel image, in the first page of CACHEALI)
     * @param cacheAli       the CACHEALI section
     * @param signature      where the code signature was placed
     * @param ownerPid       MemCompression's pid
     * @param owner          MemCompression's _EPROCESS
     * @param ownerSpace     MemCompression's address space (gets the regions)
     * @param regionBase     the 64 KiB aligned user address the regions start at
     * @return the truth of the store
     */
    public SynthTruth.CompressedStoreInfo write(String symbol, long smGlobals, long cacheAli, long signature,
            long ownerPid, long owner, PageTableBuilder ownerSpace, long regionBase) {
        if (written) {
            throw new IllegalStateException("the store has been written");
        }
        written = true;
        if ((regionBase & 0xffff) != 0) {
            throw new IllegalArgumentException("regions start on a 64 KiB boundary, not 0x" + Long.toHexString(
                    regionBase));
        }
        for (int s = 0; s < 2; s++) {
            int which = s;
            if (pages.stream().filter(p -> p.store == which).count() < 2) {
                throw new IllegalStateException("store " + storeIndex[s] + " needs at least two pages for its"
                        + " PagesTree to have an internal node");
            }
        }
        List<StoreLayout> stores = new ArrayList<>();
        long base = regionBase;
        for (int s = 0; s < 2; s++) {
            StoreLayout l = layoutStore(s, owner, ownerSpace, base);
            stores.add(l);
            base = l.regionEnd + 0x10000L * (1 + random.nextInt(64));
        }

        Map<Integer, Long> arrays = new TreeMap<>();
        for (StoreLayout l : stores) {
            long array = arrays.computeIfAbsent(l.index >> 5, a -> pool.alloc(32 * METADATA_SIZE, TAG_METADATA));
            l.metadata = array + (l.index & 0x1F) * (long) METADATA_SIZE;
            // a page-aligned SMKM_STORE, as Windows keeps it (see the pool tags' sources above)
            kernel.writeLong(l.metadata, l.address);
            kernel.writeLong(l.metadata + 0x18, owner);
        }

        Page[] byKey = pages.toArray(new Page[0]);
        Arrays.sort(byKey, Comparator.comparingLong(p -> p.key));
        List<long[]> entries = new ArrayList<>();
        for (int i = 0; i < byKey.length; i++) {
            entries.add(new long[] {byKey[i].key, storeIndex[byKey[i].store]});
            // keys the store manager dropped: in the tree, marked as having no store
            if (i % 7 == 3 && (i + 1 == byKey.length || byKey[i + 1].key > byKey[i].key + 1)) {
                entries.add(new long[] {byKey[i].key + 1, NO_STORE | random.nextInt(0x400)});
            }
        }
        Tree keyToStore = writeTree(entries);

        long manager;
        if (build < 22601) {
            manager = smGlobals;
        } else {
            manager = pool.alloc(0x1000, TAG_MANAGER);
            if (build < 26100) {
                kernel.writeLong(smGlobals + 8, manager + 0x7A8);
            } else {
                kernel.writeLong(smGlobals + 0x10, manager + 0xC30);
            }
        }
        arrays.forEach((a, va) -> kernel.writeLong(manager + a * 8L, va));
        kernel.writeLong(manager + 0x1C0, keyToStore.root);
        if (build < 22601 && smGlobals - 0x40 >= cacheAli) {
            // an earlier qword of CACHEALI that points at a metadata array too, but without a tree at +0x1C0
            kernel.writeLong(smGlobals - 0x40, arrays.values().iterator().next());
        }

        if (kind == SynthOptions.CompressedStore.BROKEN_NODE) {
            damage(stores.get(1));
        }

        List<SynthTruth.Store> storeTruth = new ArrayList<>();
        for (StoreLayout l : stores) {
            storeTruth.add(new SynthTruth.Store(l.index, l.address, l.metadata, owner, l.tree.root, l.tree.depth,
                    l.bitValue, l.headerSize, l.regionArray, List.copyOf(l.regions), List.copyOf(l.regionPages),
                    l.damagedNode));
        }
        storeTruth.sort(Comparator.comparingInt(SynthTruth.Store::index));
        List<SynthTruth.CompressedPage> pageTruth = new ArrayList<>(pages.size());
        for (Page p : pages) {
            pageTruth.add(new SynthTruth.CompressedPage(p.pid, p.va, p.pte, p.swizzled, p.key, storeIndex[p.store],
                    p.regionKey, p.region, p.offset, p.storedAs, p.size, p.hops.length, p.regionPagedOut, p.damaged,
                    p.sha256));
        }
        return new SynthTruth.CompressedStoreInfo(kind, symbol, smGlobals, build < 22601 ? "CACHEALI" : "signature",
                cacheAli, signature, manager, VIRTUAL_STORE_SLOT, lz4() ? "lz4" : "xpress", keyToStore.root,
                keyToStore.depth, ownerPid, owner, List.copyOf(storeTruth), List.copyOf(pageTruth));
    }

    // ---------------------------------------------------------------- one store

    private static final class Page {
        long pid;
        long va;
        long pte;
        boolean swizzled;
        long key;
        int store;
        Handling handling;
        byte[] content;
        long bulkSeed;
        String sha256;
        byte[] data;
        String storedAs;
        int size;
        int region = -1;
        long offset = -1;
        long regionKey;
        long[] hops = new long[0];
        boolean regionPagedOut;
        boolean damaged;
    }

    private static final class StoreLayout {
        int index;
        long address;
        long metadata;
        int bitValue;
        int headerSize;
        Tree tree;
        long regionArray;
        long regionEnd;
        List<Long> regions = new ArrayList<>();
        List<SynthTruth.RegionPage> regionPages = new ArrayList<>();
        long damagedNode;
    }

    private StoreLayout layoutStore(int which, long owner, PageTableBuilder ownerSpace, long regionBase) {
        StoreLayout l = new StoreLayout();
        l.index = storeIndex[which];
        l.bitValue = 5 + random.nextInt(3);
        l.headerSize = random.nextBoolean() ? 0x20 : 0x40;
        List<Page> ordinary = new ArrayList<>();
        List<Page> group = new ArrayList<>();
        List<Page> bulk = new ArrayList<>();
        for (Page p : pages) {
            if (p.store != which) {
                continue;
            }
            if (p.content == null) {
                bulk.add(p);
            } else if (p.handling == Handling.REGION_PAGED_OUT) {
                group.add(p);
            } else {
                ordinary.add(p);
            }
        }
        Regions regions = new Regions(l, ownerSpace, regionBase);
        Records records = new Records(l.bitValue);
        for (Page p : ordinary) {
            encode(p);
            regions.place(p);
            if (p.handling == Handling.REGION_TRANSITION) {
                regions.markTransition(p);
            }
            p.regionKey = records.next();
        }
        if (!group.isEmpty()) {
            for (Page p : group) {
                encode(p);
            }
            regions.placePagedOut(group);
            for (Page p : group) {
                p.regionKey = records.next();
            }
        }
        for (Page p : bulk) {
            p.content = bulkContent(p);
            encode(p);
            regions.place(p);
            p.regionKey = records.next();
        }
        regions.finish();
        // compaction moved some records to later chunks: the first record now only says where
        records.jump();
        for (Page p : pages) {
            if (p.store == which && (p.handling == Handling.MOVED || p.handling == Handling.MOVED_TWICE)) {
                p.hops = new long[p.handling == Handling.MOVED ? 1 : 2];
                for (int h = 0; h < p.hops.length; h++) {
                    p.hops[h] = records.next();
                }
            }
        }
        Chunks chunks = new Chunks(l.bitValue, l.headerSize);
        List<long[]> entries = new ArrayList<>();
        for (Page p : pages) {
            if (p.store != which) {
                continue;
            }
            long at = p.regionKey;
            for (long next : p.hops) {
                chunks.record(at, MOVED, p.size, next);
                at = next;
            }
            long dataKey = p.region < 0 ? 0 : ((long) p.region << REGION_INDEX_SHIFT) | (p.offset >>> 4);
            chunks.record(at, dataKey, p.size, 0);
            entries.add(new long[] {p.key, p.regionKey});
        }
        entries.sort(Comparator.comparingLong(e -> e[0]));
        l.tree = writeTree(entries);

        int capacity = Integer.highestOneBit(Math.max(16, l.regions.size() - 1)) * 2;
        // no public source names the region array's pool tag: it gets pages of its own (no header to misname)
        l.regionArray = pool.pages((capacity * 8 + PAGE - 1) / PAGE);
        for (int i = 0; i < l.regions.size(); i++) {
            kernel.writeLong(l.regionArray + i * 8L, l.regions.get(i));
        }

        l.address = pool.pages(2);
        long dm = l.address + DATA_MGR;
        long cm = dm + CHUNK_META;
        kernel.writeLong(dm, l.tree.root);
        long[] chunkArrays = chunks.write();
        for (int i = 0; i < 32; i++) {
            kernel.writeLong(cm + i * 8L, chunkArrays[i]);
        }
        kernel.write(cm + 0x108, Le.bytes(l.bitValue, 4));
        kernel.write(cm + 0x10C, Le.bytes((1 << l.bitValue) - 1, 4));
        kernel.write(cm + 0x110, Le.bytes(RECORD_SIZE, 4));
        kernel.write(cm + 0x118, Le.bytes(l.headerSize, 4));
        kernel.writeLong(dm + 0x320, l.address);
        kernel.write(dm + 0x328, Le.bytes(REGION_SIZE_MASK, 4));
        kernel.write(dm + 0x32C, Le.bytes(REGION_INDEX_SHIFT, 4));
        kernel.write(dm + algorithmOffset(), Le.bytes(lz4() ? 4 : 3, 2));
        kernel.writeLong(l.address + regionArrayOffset(), l.regionArray);
        kernel.writeLong(l.address + ownerOffset(), owner);
        return l;
    }

    private int algorithmOffset() {
        return build < 16299 ? 0x3D0 : 0x3E0;
    }

    private int regionArrayOffset() {
        if (build >= 26100) {
            return 0x1B70;
        }
        return build < 15063 ? 0x17A8 : build < 16299 ? 0x1828 : 0x1848;
    }

    private int ownerOffset() {
        if (build >= 26100) {
            return 0x1D08;
        }
        return build < 15063 ? 0x1918 : build < 16299 ? 0x1988 : build < 19041 ? 0x19A8 : 0x19B8;
    }

    /** Compresses a page: raw when the encoding is not smaller than a page, no data for a page of zeros. */
    private void encode(Page p) {
        p.sha256 = Sha256.hex(p.content);
        boolean zero = true;
        for (byte b : p.content) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            p.storedAs = "zero";
            p.size = 0;
            p.data = null;
        } else {
            byte[] c = compressor.compress(p.content);
            if (c.length >= PAGE) {
                p.storedAs = "raw";
                p.size = PAGE;
                p.data = p.content;
            } else {
                p.storedAs = compressor.codec().id();
                p.size = c.length;
                p.data = c;
            }
        }
        p.content = null;
    }

    /**
     * Content of a bulk page: 64-byte records of a heap (a counter, a pointer from a few, a random
     * qword, a short string), about a third of a page after compression.
     */
    private static byte[] bulkContent(Page p) {
        Random r = new Random(p.bulkSeed);
        byte[] page = new byte[PAGE];
        String[] words = {"handle", "window", "buffer", "session", "token", "registry", "explorer", "shell"};
        long base = 0x0000020000000000L + ((p.bulkSeed & 0xfff) << 16);
        for (int at = 0; at < PAGE; at += 64) {
            Le.put(page, at, (p.va + at) >>> 4, 8);
            Le.put(page, at + 8, base + 0x40L * r.nextInt(16), 8);
            Le.put(page, at + 16, r.nextLong(), 8);
            byte[] w = (words[r.nextInt(words.length)] + " " + r.nextInt(100)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(w, 0, page, at + 24, w.length);
        }
        byte[] label = ("bulk page 0x" + Long.toHexString(p.va)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, page, 0, label.length);
        return page;
    }

    /** Packs compressed data into 128 KiB regions of MemCompression, 16-byte aligned, one store's at a time. */
    private final class Regions {
        private final StoreLayout store;
        private final PageTableBuilder space;
        private final long base;
        private byte[] buffer;
        private int used;
        /** per region page: 0 resident, 1 paged out, 2 transition */
        private final int[] state = new int[REGION_SIZE / PAGE];
        private int swizzleToggle;

        Regions(StoreLayout store, PageTableBuilder space, long base) {
            this.store = store;
            this.space = space;
            this.base = base;
        }

        private int current() {
            return store.regions.size() - 1;
        }

        private void ensure(int length) {
            if (buffer != null && ((used + 15) & ~15) + length <= REGION_SIZE) {
                used = (used + 15) & ~15;
                return;
            }
            newRegion();
        }

        private void newRegion() {
            flush();
            if (store.regions.size() == 1 && random.nextBoolean()) {
                // a region the store has freed: its slot stays empty
                store.regions.add(0L);
            }
            store.regions.add(base + (long) store.regions.size() * REGION_SIZE);
            buffer = new byte[REGION_SIZE];
            used = 0;
            Arrays.fill(state, 0);
        }

        void place(Page p) {
            if (p.data == null) {
                return;
            }
            ensure(p.data.length);
            p.region = current();
            p.offset = used;
            System.arraycopy(p.data, 0, buffer, used, p.data.length);
            used += p.data.length;
            p.data = null;
        }

        void markTransition(Page p) {
            if (p.region >= 0 && state[(int) (p.offset / PAGE)] == 0) {
                state[(int) (p.offset / PAGE)] = 2;
            }
        }

        /**
         * Places the pages' data at the start of a new region, on pages of their own, and marks those
         * pages paged out.
         */
        void placePagedOut(List<Page> group) {
            newRegion();
            int first = 0;
            for (Page p : group) {
                place(p);
                p.regionPagedOut = p.region >= 0;
            }
            int last = (used - 1) / PAGE;
            for (int i = first; i <= last; i++) {
                state[i] = 1;
            }
            used = (used + PAGE - 1) & ~(PAGE - 1);
        }

        void finish() {
            flush();
            store.regionEnd = base + (long) store.regions.size() * REGION_SIZE;
            regionVads.add(new long[] {base, store.regionEnd - 1});
        }

        private void flush() {
            if (buffer == null) {
                return;
            }
            long region = store.regions.get(current());
            for (int i = 0; i * PAGE < used; i++) {
                byte[] page = Arrays.copyOfRange(buffer, i * PAGE, (i + 1) * PAGE);
                long va = region + (long) i * PAGE;
                switch (state[i]) {
                    case 1 -> {
                        long n = pagefile.pageOut(page);
                        space.setPte(va, pte.software(0, n, 4, (swizzleToggle++ & 1) == 0));
                        store.regionPages.add(new SynthTruth.RegionPage(va, "pagefile", -1, 0, n * PAGE));
                    }
                    case 2 -> {
                        long frame = memory.allocateFrame();
                        memory.write(frame, page);
                        space.setPte(va, pte.transition(frame, 4));
                        store.regionPages.add(new SynthTruth.RegionPage(va, "transition", frame, -1, -1));
                    }
                    default -> space.write(va, page);
                }
            }
            buffer = null;
        }
    }

    /** Hands out RegionKeys: chunk number {@code << bitValue} | record index, leaving a few records unused. */
    private final class Records {
        private final int bitValue;
        private long chunk;
        private int record;

        Records(int bitValue) {
            this.bitValue = bitValue;
            this.chunk = 1 + random.nextInt(9);
            this.record = random.nextInt(3) - 1;
        }

        long next() {
            record += random.nextInt(5) == 0 ? 2 : 1;
            if (record >= 1 << bitValue) {
                chunk += random.nextInt(3) == 0 ? 2 : 1;
                record = random.nextInt(2);
            }
            if (chunk >= 1L << (32 - bitValue)) {
                throw new IllegalStateException("chunk numbers exhausted");
            }
            return (chunk << bitValue) | record;
        }

        /** Continues in a later chunk. */
        void jump() {
            chunk += 2 + random.nextInt(4);
            record = -1;
        }
    }

    /** The page records of one store, by chunk, and the chunk arrays ChunkPtrArray points at. */
    private final class Chunks {
        private final int bitValue;
        private final int headerSize;
        private final Map<Long, byte[]> chunks = new TreeMap<>();

        Chunks(int bitValue, int headerSize) {
            this.bitValue = bitValue;
            this.headerSize = headerSize;
        }

        void record(long regionKey, long key, int size, long nextKey) {
            long chunk = regionKey >>> bitValue;
            int index = (int) (regionKey & ((1 << bitValue) - 1));
            byte[] b = chunks.computeIfAbsent(chunk, c -> new byte[headerSize + (RECORD_SIZE << bitValue)]);
            int at = headerSize + index * RECORD_SIZE;
            Le.put(b, at, key, 4);
            Le.put(b, at + 4, size, 4);
            Le.put(b, at + 8, nextKey, 4);
        }

        /** @return ChunkPtrArray: per i the array of 2^i chunk entries (16 bytes each), or 0 */
        long[] write() {
            long[] arrays = new long[32];
            for (Map.Entry<Long, byte[]> e : chunks.entrySet()) {
                long chunk = e.getKey();
                int i = 63 - Long.numberOfLeadingZeros(chunk);
                if (arrays[i] == 0) {
                    long size = 16L << i;
                    // a small array is a pool block tagged smBA; one of a page or more is a big-pool block
                    arrays[i] = size + 0x10 <= PAGE ? pool.alloc(size, TAG_CHUNK_ARRAY) : pool.pages((int) (size
                            / PAGE));
                }
                byte[] b = e.getValue();
                Le.put(b, 0, chunk, 4);
                // a chunk of page records starts on a page boundary, its header at the page start
                long va = pool.pages((b.length + PAGE - 1) / PAGE);
                kernel.write(va, b);
                long entry = arrays[i] + (chunk ^ (1L << i)) * 16;
                kernel.writeLong(entry, va);
            }
            return arrays;
        }
    }

    // ---------------------------------------------------------------- B+trees

    /** A written B+tree: its root, number of levels, and its leaves with the entry ranges they hold. */
    private record Tree(long root, int depth, List<long[]> leaves) {
    }

    /**
     * Writes a B+tree of {key, value} entries (sorted, keys unique) bottom up, one page per node; an
     * internal node's LeftChild takes the keys below its first entry's.
     */
    private Tree writeTree(List<long[]> entries) {
        boolean big = entries.size() >= BIG_TREE;
        boolean small = entries.size() < SMALL_TREE;
        List<int[]> leafRanges = partition(entries.size(), big ? LEAF_FULL : 0, small ? 2 : 0x10, small ? 4 : big
                ? 0x100 : 0x40, 1);
        List<Long> nodes = new ArrayList<>();
        List<Long> minKeys = new ArrayList<>();
        List<long[]> leaves = new ArrayList<>();
        for (int[] r : leafRanges) {
            byte[] node = new byte[PAGE];
            Le.put(node, 0, r[1] - r[0], 2);
            node[2] = 0;
            node[3] = 1;
            for (int i = r[0]; i < r[1]; i++) {
                int at = 0x10 + (i - r[0]) * 8;
                Le.put(node, at, entries.get(i)[0], 4);
                Le.put(node, at + 4, entries.get(i)[1], 4);
            }
            long va = pool.pages(1);
            kernel.write(va, node);
            nodes.add(va);
            minKeys.add(entries.get(r[0])[0]);
            leaves.add(new long[] {va, r[0], r[1]});
        }
        int level = 0;
        while (nodes.size() > 1) {
            level++;
            List<int[]> ranges = partition(nodes.size(), big ? INTERNAL_FULL + 1 : 0, 2, small ? 3 : big ? 0x40
                    : 0x10, 2);
            List<Long> upper = new ArrayList<>();
            List<Long> upperKeys = new ArrayList<>();
            for (int[] r : ranges) {
                byte[] node = new byte[PAGE];
                Le.put(node, 0, r[1] - r[0] - 1, 2);
                node[2] = (byte) level;
                node[3] = 0;
                Le.put(node, 8, nodes.get(r[0]), 8);
                for (int i = r[0] + 1; i < r[1]; i++) {
                    int at = 0x10 + (i - r[0] - 1) * 16;
                    Le.put(node, at, minKeys.get(i), 4);
                    Le.put(node, at + 8, nodes.get(i), 8);
                }
                long va = pool.pages(1);
                kernel.write(va, node);
                upper.add(va);
                upperKeys.add(minKeys.get(r[0]));
            }
            nodes = upper;
            minKeys = upperKeys;
        }
        return new Tree(nodes.get(0), level + 1, leaves);
    }

    /**
     * Splits {@code total} items into consecutive nodes: the first {@code full} items when there are
     * that many (a node filled to the limit), then nodes of {@code min..max}; never a last node below
     * {@code least}.
     */
    private List<int[]> partition(int total, int full, int min, int max, int least) {
        List<Integer> sizes = new ArrayList<>();
        int left = total;
        if (full > 0 && total >= full + least) {
            sizes.add(full);
            left -= full;
        }
        while (left > 0) {
            int n = Math.min(left, min + random.nextInt(max - min + 1));
            sizes.add(n);
            left -= n;
        }
        int last = sizes.size() - 1;
        if (last > 0 && sizes.get(last) < least) {
            int prev = sizes.get(last - 1);
            int limit = last - 1 == 0 && full > 0 ? full : max;
            if (prev + sizes.get(last) <= limit) {
                sizes.set(last - 1, prev + sizes.get(last));
                sizes.remove(last);
            } else {
                int move = least - sizes.get(last);
                sizes.set(last - 1, prev - move);
                sizes.set(last, least);
            }
        }
        List<int[]> ranges = new ArrayList<>();
        int at = 0;
        for (int n : sizes) {
            ranges.add(new int[] {at, at + n});
            at += n;
        }
        return ranges;
    }

    // ---------------------------------------------------------------- damage

    /**
     * Overwrites one PagesTree leaf of the store with garbage and a count above 0x1FF; the leaf holds
     * only pages without any other special handling, so every other case stays readable.
     */
    private void damage(StoreLayout l) {
        List<Page> mine = new ArrayList<>();
        for (Page p : pages) {
            if (p.store == 1) {
                mine.add(p);
            }
        }
        mine.sort(Comparator.comparingLong(p -> p.key));
        List<long[]> candidates = new ArrayList<>();
        for (long[] leaf : l.tree.leaves()) {
            boolean plain = true;
            for (int i = (int) leaf[1]; i < leaf[2]; i++) {
                plain &= mine.get(i).handling == Handling.PLAIN;
            }
            if (plain && l.tree.depth() > 1) {
                candidates.add(leaf);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no PagesTree leaf of store " + l.index + " holds only plain pages");
        }
        long[] leaf = candidates.get(random.nextInt(candidates.size()));
        byte[] garbage = new byte[PAGE];
        random.nextBytes(garbage);
        Le.put(garbage, 0, 0x200 + random.nextInt(0xFE00), 2);
        garbage[2] = 0;
        garbage[3] = 1;
        kernel.write(leaf[0], garbage);
        l.damagedNode = leaf[0];
        for (int i = (int) leaf[1]; i < leaf[2]; i++) {
            mine.get(i).damaged = true;
        }
    }
}
