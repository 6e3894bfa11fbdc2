package org.vestige.layer.compressed;

import static org.vestige.layer.compressed.internal.Memory.hex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.LittleEndian;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;
import org.vestige.core.types.Profile;
import org.vestige.layer.compressed.internal.BTree;
import org.vestige.layer.compressed.internal.Memory;
import org.vestige.layer.compressed.internal.Unreadable;

/**
 * The Windows memory-compression store as a backing store: a software PTE that names the virtual
 * store's page-file number is looked up by its key in the manager's KeyToStoreTree (which store),
 * the store's PagesTree (which chunk and page record), the page record (which region, where in it,
 * how many bytes), and the bytes are read from the region in the MemCompression process's own
 * address space — where they may themselves be paged out — and decompressed to exactly 4 KiB with
 * Xpress (before build 26100) or LZ4 (from 26100).
 *
 * <p>Stores are opened on first use; parsed B+tree nodes are cached. A page the store cannot supply
 * — a key not in the index, a damaged node, a region page that is not in the image, bytes that do
 * not decompress — is reported {@link PageProvenance.Missing} with the reason, and every other page
 * still reads. Thread-safe.
 *
 * @since 0.1
 */
public final class CompressionStore implements BackingStore {

    private static final int PAGE = 4096;
    private static final int MAX_MOVES = 8;
    private static final int MAX_STORES = 32 * 32;

    /**
     * Gives the address space of a store's owning process.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface OwnerSpaces {
        /**
         * @param eprocess the owner's _EPROCESS
         * @param dtb      its directory table base
         * @param name     its name, for messages
         */
        Layer space(long eprocess, long dtb, String name);
    }

    /** The outcome of a lookup: the page's location, or why it has none. */
    public sealed interface Lookup {
        /** @param location where the page is */
        record Found(PageLocation location) implements Lookup {
        }

        /**
         * @param cause  why, as a type: the index has no entry ({@link MissingCause.Unreadable}), or a page
         *               of the index could not be read (its own cause, e.g. paged out)
         * @param reason why the page cannot be located
         */
        record Failed(MissingCause cause, String reason) implements Lookup {

            /** A lookup that failed because the index says nothing of the key. */
            public Failed(String reason) {
                this(new MissingCause.Unreadable(), reason);
            }
        }
    }

    private final int slot;
    private final int build;
    private final StoreLayout layout;
    private final StoreManagerLocation location;
    private final Memory kernel;
    private final Profile profile;
    private final OwnerSpaces owners;
    private final List<String> problems;
    private final BTree keyToStore;
    private final long keyToStoreRoot;
    private final Map<Integer, Object> stores = new ConcurrentHashMap<>();

    /**
     * @param slot     the virtual store's page-file number
     * @param build    the kernel's build
     * @param layout   the build's store layout
     * @param location where the store manager is
     * @param kernel   the kernel address space
     * @param profile  the kernel's profile (for _EPROCESS)
     * @param owners   makes the owning process's address space
     * @param problems notes about the store as a whole (a page-file number assumed, say)
     * @throws Unreadable when the manager's KeyToStoreTree root cannot be read
     */
    public CompressionStore(int slot, int build, StoreLayout layout, StoreManagerLocation location, Layer kernel,
            Profile profile, OwnerSpaces owners, List<String> problems) {
        this.slot = slot;
        this.build = build;
        this.layout = Objects.requireNonNull(layout);
        this.location = Objects.requireNonNull(location);
        this.kernel = new Memory(kernel);
        this.profile = Objects.requireNonNull(profile);
        this.owners = Objects.requireNonNull(owners);
        this.problems = new ArrayList<>(problems);
        this.keyToStore = new BTree(this.kernel, "KeyToStoreTree");
        this.keyToStoreRoot = this.kernel.kernelPointer(location.manager() + StoreLayout.KEY_TO_STORE_TREE,
                "KeyToStoreTree root");
    }

    @Override
    public String name() {
        return "memory-compression store";
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    public int build() {
        return build;
    }

    public StoreLayout layout() {
        return layout;
    }

    public StoreManagerLocation location() {
        return location;
    }

    /** @return the store key of the page at {@code pageOffset} of the virtual store (PageFileHigh × 4096) */
    public long key(long pageOffset) {
        long high = (pageOffset >>> 12) & 0x0FFFFFFFL;
        return build >= 26100 ? high : ((long) slot << 28) | high;
    }

    @Override
    public PageProvenance readPage(long pageOffset, byte[] buffer, int offset) {
        long key = key(pageOffset);
        Lookup lookup = lookup(key);
        if (lookup instanceof Lookup.Failed f) {
            Arrays.fill(buffer, offset, offset + PAGE, (byte) 0);
            return new PageProvenance.Missing(f.cause(), compressed(key) + ": " + f.reason());
        }
        PageLocation at = ((Lookup.Found) lookup).location();
        PageProvenance.Missing problem = read(at, buffer, offset);
        if (problem != null) {
            Arrays.fill(buffer, offset, offset + PAGE, (byte) 0);
            return new PageProvenance.Missing(problem.cause(), compressed(key) + " in store " + at.store()
                    + ", region " + at.regionIndex() + ": " + problem.reason());
        }
        return new PageProvenance.Compressed(key, at.store(), at.regionIndex());
    }

    /**
     * Says where the page is from the index alone, checking also that the first byte of its data is in
     * the image (a region page that is paged out with no pagefile makes the page missing).
     */
    @Override
    public PageProvenance locate(long pageOffset) {
        long key = key(pageOffset);
        Lookup lookup = lookup(key);
        if (lookup instanceof Lookup.Failed f) {
            return new PageProvenance.Missing(f.cause(), compressed(key) + ": " + f.reason());
        }
        PageLocation at = ((Lookup.Found) lookup).location();
        if (at.encoding() != PageLocation.Encoding.ZERO) {
            StoreView s = (StoreView) stores.get(at.store());
            PageProvenance p = s.space.provenance(at.data());
            if (p instanceof PageProvenance.Missing m) {
                return new PageProvenance.Missing(m.cause(), compressed(key) + " in store " + at.store() + ", region "
                        + at.regionIndex() + ", whose page at " + hex(at.data() & ~0xFFFL) + " is not readable: "
                        + m.reason());
            }
        }
        return new PageProvenance.Compressed(key, at.store(), at.regionIndex());
    }

    private static String compressed(long key) {
        return "compressed in the memory-compression store (key " + hex(key) + ")";
    }

    /** Looks a key up in the index: KeyToStoreTree, the store's PagesTree, its page record and region. */
    public Lookup lookup(long key) {
        try {
            long v = keyToStore.find(keyToStoreRoot, (int) key);
            if (v < 0) {
                return new Lookup.Failed("the store index (KeyToStoreTree) has no entry for the key");
            }
            if (((v >>> 24) & 0xFF) == 1) {
                return new Lookup.Failed("KeyToStoreTree marks the key as having no store (value " + hex(v) + ")");
            }
            StoreView s = store((int) (v & 0x3FF));
            long regionKey = s.pagesTree.find(s.pagesRoot, (int) key);
            if (regionKey < 0) {
                return new Lookup.Failed("store " + s.index + "'s PagesTree has no entry for the key");
            }
            return new Lookup.Found(s.locate(key, regionKey));
        } catch (Unreadable e) {
            return new Lookup.Failed(e.gap(), e.getMessage());
        }
    }

    /** Reads and decodes the page; returns null, or what went wrong. */
    private PageProvenance.Missing read(PageLocation at, byte[] buffer, int offset) {
        if (at.encoding() == PageLocation.Encoding.ZERO) {
            Arrays.fill(buffer, offset, offset + PAGE, (byte) 0);
            return null;
        }
        StoreView s = (StoreView) stores.get(at.store());
        byte[] data = new byte[at.length()];
        try {
            new Memory(s.space).read(at.data(), data, 0, data.length, "its " + at.length() + " bytes");
        } catch (Unreadable e) {
            return new PageProvenance.Missing(e.gap(), e.getMessage());
        }
        if (at.encoding() == PageLocation.Encoding.RAW) {
            System.arraycopy(data, 0, buffer, offset, PAGE);
            return null;
        }
        try {
            s.codec.decompressor().decompressFully(data, 0, data.length, buffer, offset, PAGE);
            return null;
        } catch (CodecException e) {
            return new PageProvenance.Missing(new MissingCause.Unreadable(), "its " + data.length + " bytes at " + hex(
                    at.data()) + " do not decode as " + s.codec.id() + ": " + e.getMessage());
        }
    }

    /** @return the store with this index, opened on first use */
    StoreView store(int index) {
        Object s = stores.computeIfAbsent(index, i -> {
            try {
                return new StoreView(i);
            } catch (Unreadable e) {
                return e.getMessage();
            }
        });
        if (s instanceof String reason) {
            throw new Unreadable(reason);
        }
        return (StoreView) s;
    }

    /**
     * Walks the whole index: which stores KeyToStoreTree names, and for each its pages, encodings and
     * regions. Bounded by {@code limit} keys.
     */
    public List<StoreInfo> survey(long limit) {
        Map<Integer, long[]> keysPerStore = new TreeMap<>();
        List<String> damage = new ArrayList<>();
        keyToStore.walk(keyToStoreRoot, limit, (key, value) -> {
            if (((value >>> 24) & 0xFF) != 1) {
                keysPerStore.computeIfAbsent((int) (value & 0x3FF), i -> new long[1])[0]++;
            }
        }, damage::add);
        List<StoreInfo> out = new ArrayList<>();
        for (var e : keysPerStore.entrySet()) {
            StoreView s;
            try {
                s = store(e.getKey());
            } catch (Unreadable u) {
                List<String> p = new ArrayList<>(damage);
                p.add(u.getMessage());
                out.add(new StoreInfo(e.getKey(), 0, 0, "", 0, 0, -1, "", e.getValue()[0], 0, 0, 0, 0, 0, 0, 0, 0,
                        p));
                continue;
            }
            long[] counts = new long[7]; // pages, compressed, raw, zero, moved, bytes, unresolved
            BitSet regions = new BitSet();
            List<String> storeProblems = new ArrayList<>(damage);
            s.pagesTree.walk(s.pagesRoot, limit, (key, regionKey) -> {
                counts[0]++;
                try {
                    PageLocation at = s.locate(key, regionKey);
                    counts[switch (at.encoding()) {
                        case COMPRESSED -> 1;
                        case RAW -> 2;
                        case ZERO -> 3;
                    }]++;
                    counts[4] += at.moves() > 0 ? 1 : 0;
                    counts[5] += at.length();
                    if (at.encoding() != PageLocation.Encoding.ZERO) {
                        regions.set(at.regionIndex());
                    }
                } catch (Unreadable u) {
                    if (counts[6]++ < 5) {
                        storeProblems.add("key " + hex(key) + ": " + u.getMessage());
                    }
                }
            }, storeProblems::add);
            if (counts[6] > 5) {
                storeProblems.add((counts[6] - 5) + " more pages could not be resolved");
            }
            storeProblems.addAll(0, s.problems());
            out.add(new StoreInfo(s.index, s.address, s.owner, s.ownerName, s.ownerDtb, s.regionArray, s.algorithm,
                    s.codec.id(), e.getValue()[0], counts[0], counts[1], counts[2], counts[3], counts[4], regions
                            .cardinality(), counts[5], counts[6], storeProblems));
            damage.clear();
        }
        if (out.isEmpty() && !damage.isEmpty()) {
            out.add(new StoreInfo(-1, 0, 0, "", 0, 0, -1, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, damage));
        }
        return out;
    }

    @Override
    public String toString() {
        return name() + " (page-file number " + slot + ", manager " + hex(location.manager()) + ", " + layout.codec()
                .id() + ")";
    }

    /** One opened store: its fixed fields read once. */
    final class StoreView {
        final int index;
        final long address;
        final long pagesRoot;
        final BTree pagesTree;
        final long[] chunkArrays = new long[32];
        final int bitValue;
        final long recordsMask;
        final int recordSize;
        final int headerSize;
        final long regionSizeMask;
        final int regionShift;
        final long regionArray;
        final long owner;
        final String ownerName;
        final long ownerDtb;
        final int algorithm;
        final Codec codec;
        final Layer space;
        /** what this store does not lay out as Windows does, or what is wrong with it; guarded by itself */
        private final List<String> problems = new ArrayList<>();
        private final AtomicBoolean unalignedChunkNoted = new AtomicBoolean();

        StoreView(int index) {
            if (index >= MAX_STORES) {
                throw new Unreadable("store index " + index + " is beyond the manager's " + MAX_STORES + " stores");
            }
            this.index = index;
            long array = kernel.u64(location.manager() + (index >> 5) * 8L, "metadata array " + (index >> 5)
                    + " of the store manager");
            if (!Memory.isKernel(array)) {
                throw new Unreadable("store " + index + ": the manager's metadata array " + (index >> 5) + " is "
                        + hex(array) + ", not a kernel address");
            }
            long meta = array + (index & 0x1F) * (long) StoreLayout.METADATA_SIZE;
            long smkmStore = kernel.kernelPointer(meta, "store " + index + "'s metadata (SmkmStore)");
            address = smkmStore & ~0xFFFL;
            String what = "store " + index + " at " + hex(address);
            if (smkmStore != address) {
                // Windows keeps a page-aligned SMKM_STORE here (MemProcFS, vmm/mm/mm_win.c, rejects any other)
                problems.add(what + ": SMKM_STORE_METADATA.SmkmStore is " + hex(smkmStore) + ", with low bits"
                        + " set where Windows keeps a page-aligned pointer; read as " + hex(address));
            }
            long dm = address + StoreLayout.DATA_MANAGER;
            byte[] d = kernel.bytes(dm, 0x400, "store " + index + "'s data manager");
            pagesRoot = LittleEndian.i64(d, StoreLayout.PAGES_TREE);
            pagesTree = new BTree(kernel, "store " + index + " PagesTree");
            int cm = StoreLayout.CHUNK_METADATA;
            for (int i = 0; i < 32; i++) {
                chunkArrays[i] = LittleEndian.i64(d, cm + StoreLayout.CHUNK_PTR_ARRAY + i * 8);
            }
            bitValue = (int) (LittleEndian.u32(d, cm + StoreLayout.BIT_VALUE) & 0xFF);
            recordsMask = LittleEndian.u32(d, cm + StoreLayout.PAGE_RECORDS_PER_CHUNK_MASK);
            recordSize = (int) LittleEndian.u32(d, cm + StoreLayout.PAGE_RECORD_SIZE);
            headerSize = (int) LittleEndian.u32(d, cm + StoreLayout.CHUNK_PAGE_HEADER_SIZE);
            regionSizeMask = LittleEndian.u32(d, StoreLayout.REGION_SIZE_MASK);
            regionShift = (int) (LittleEndian.u32(d, StoreLayout.REGION_INDEX_MASK) & 0xFF);
            if (recordSize < 12 || recordSize > 0x100 || headerSize >= PAGE || bitValue >= 32 || regionShift >= 32
                    || regionSizeMask == 0) {
                throw new Unreadable(what + " has implausible chunk metadata (PageRecordSize " + recordSize
                        + ", ChunkPageHeaderSize " + headerSize + ", BitValue " + bitValue + ", RegionIndexMask shift "
                        + regionShift + ", RegionSizeMask " + hex(regionSizeMask) + "): wrong build layout or smear");
            }
            long back = LittleEndian.i64(d, StoreLayout.SMKM_STORE);
            if ((back & ~0xFFFL) != address) {
                problems.add(what + ": the data manager's SmkmStore back pointer is " + hex(back));
            }
            if (layout.compressionAlgorithm() >= 0) {
                algorithm = LittleEndian.u16(d, layout.compressionAlgorithm());
                if (algorithm != StoreLayout.ALGORITHM_XPRESS) {
                    problems.add(what + ": CompressionAlgorithm is " + algorithm + ", not 3 (Xpress); decoding as "
                            + layout.codec().id() + " anyway");
                }
            } else {
                algorithm = layout.compressionAlgorithm();
            }
            codec = layout.codec();
            regionArray = kernel.kernelPointer(address + layout.regionPtrArray(), what + " CompressedRegionPtrArray");
            owner = kernel.kernelPointer(address + layout.ownerProcess(), what + " OwnerProcess");
            long ownerMeta = kernel.u64(meta + StoreLayout.METADATA_OWNER, what + " metadata's process");
            if (ownerMeta != 0 && ownerMeta != owner) {
                problems.add(what + ": OwnerProcess " + hex(owner) + " differs from the metadata's process "
                        + hex(ownerMeta));
            }
            byte[] name = kernel.bytes(owner + profile.offset("_EPROCESS", "ImageFileName"), 15,
                    what + " owner's ImageFileName");
            int n = 0;
            while (n < name.length && name[n] != 0) {
                n++;
            }
            ownerName = new String(name, 0, n, StandardCharsets.ISO_8859_1);
            if (!ownerName.equals("MemCompression")) {
                problems.add(what + ": its owner " + hex(owner) + " is named '" + ownerName
                        + "', not MemCompression");
            }
            ownerDtb = kernel.u64(owner + profile.offset("_EPROCESS", "Pcb.DirectoryTableBase"), what
                    + " owner's DirectoryTableBase");
            space = owners.space(owner, ownerDtb, ownerName + " (store " + index + ")");
            if (!problems.isEmpty()) {
                synchronized (CompressionStore.this.problems) {
                    CompressionStore.this.problems.addAll(problems);
                }
            }
        }

        List<String> problems() {
            synchronized (problems) {
                return List.copyOf(problems);
            }
        }

        /** Notes, once per store, a chunk of page records that does not start on a page as on Windows. */
        private void noteUnalignedChunk(long chunk) {
            if ((chunk & 0xFFF) == 0 || !unalignedChunkNoted.compareAndSet(false, true)) {
                return;
            }
            String note = "store " + index + " at " + hex(address) + ": its chunk of page records at " + hex(chunk)
                    + " does not start on a page boundary, where Windows places each chunk; read all the same";
            synchronized (problems) {
                problems.add(note);
            }
            synchronized (CompressionStore.this.problems) {
                CompressionStore.this.problems.add(note);
            }
        }

        /** Follows a PagesTree value to the page record and the region. */
        PageLocation locate(long key, long regionKey) {
            long rk = regionKey;
            for (int moves = 0; moves <= MAX_MOVES; moves++) {
                long enc = rk >>> bitValue;
                if (enc == 0) {
                    throw new Unreadable("store " + index + ": RegionKey " + hex(rk) + " names no chunk (BitValue "
                            + bitValue + ")");
                }
                int i = 63 - Long.numberOfLeadingZeros(enc);
                long j = enc ^ (1L << i);
                if (i >= 32 || chunkArrays[i] == 0) {
                    throw new Unreadable("store " + index + ": RegionKey " + hex(rk) + " names chunk array " + i
                            + ", which the store does not have");
                }
                long chunk = kernel.kernelPointer(chunkArrays[i] + j * 0x10, "store " + index + " chunk entry " + i
                        + "/" + j);
                noteUnalignedChunk(chunk);
                long record = chunk + headerSize + (rk & recordsMask) * recordSize;
                byte[] r = kernel.bytes(record, 12, "store " + index + " page record");
                long recordKey = LittleEndian.u32(r, 0);
                long size = LittleEndian.u32(r, 4);
                if (recordKey == 0xFFFFFFFFL) {
                    rk = LittleEndian.u32(r, 8);
                    continue;
                }
                PageLocation.Encoding encoding;
                int length;
                if (size == 0) {
                    return new PageLocation(key, index, regionKey, record, -1, 0, 0, 0, PageLocation.Encoding.ZERO,
                            moves);
                } else if ((size & 0xFFF) == 0 && (size & 0x1000) != 0) {
                    encoding = PageLocation.Encoding.RAW;
                    length = PAGE;
                } else if ((size & 0xFFF) != 0) {
                    encoding = PageLocation.Encoding.COMPRESSED;
                    length = (int) (size & 0xFFF);
                } else {
                    throw new Unreadable("store " + index + ": page record at " + hex(record) + " has size " + hex(
                            size));
                }
                int regionIndex = (int) (recordKey >>> regionShift);
                long region = kernel.u64(regionArray + regionIndex * 8L, "store " + index + " region pointer "
                        + regionIndex);
                if (!Memory.isUser(region) || (region & 0xFFFF) != 0) {
                    throw new Unreadable("store " + index + ": region " + regionIndex + " is at " + hex(region)
                            + ", not a 64 KiB-aligned address of the MemCompression process");
                }
                long data = region + ((recordKey & regionSizeMask) << 4);
                return new PageLocation(key, index, regionKey, record, regionIndex, region, data, length, encoding,
                        moves);
            }
            throw new Unreadable("store " + index + ": more than " + MAX_MOVES + " moved page records from RegionKey "
                    + hex(regionKey) + " (a cycle?)");
        }
    }
}
