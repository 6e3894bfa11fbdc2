package org.vestige.synth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import org.vestige.core.types.Profile;
import org.vestige.registry.BaseBlock;
import org.vestige.registry.Filetime;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveMapLayout;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.KeySpec;
import org.vestige.registry.RegistryKey;
import org.vestige.registry.RegistryValue;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaDump;
import org.vestige.registry.credentials.SamHashes;
import org.vestige.synth.CredentialHives.Account;
import org.vestige.synth.CredentialHives.SamRevision;
import org.vestige.synth.internal.Json;
import org.vestige.synth.internal.Le;
import org.vestige.synth.internal.StructBuffer;

/**
 * Loads registry hives into a synthesized kernel's memory the way the configuration manager holds
 * them: a {@code _CMHIVE} in pool memory (signature, base block pointer, the names it was loaded under),
 * the base block, the hive bins each in its own page-aligned allocation, and the stable storage's cell
 * map ({@code _DUAL.Map} → directory → table → {@code _HMAP_ENTRY}; a hive of one table uses
 * {@code _DUAL.SmallDir} as its directory, as Windows does), all linked from {@code CmpHiveListHead}
 * through {@code _CMHIVE.HiveList}. Every field is written through the profile, so the layouts of every
 * build come from the profile and none from this code.
 *
 * <p>Chosen hive blocks can be taken out of memory afterwards — paged out to a paging file, compressed
 * into the memory-compression store, left in transition — by a {@link PageDisplacer} the synthesizer
 * supplies, since only it keeps the paging files and the store; or simply unmapped.
 *
 * <p>Bins go to kernel pool by default; {@link #binsIn} puts them in another address space instead,
 * such as the user space of the Registry process that holds hive bins on Windows 10 1803 and later.
 *
 * <p>Deterministic: the same profile, inputs and seed give the same bytes.
 *
 * @since 0.1
 */
public final class HiveMemoryWriter {

    /** {@code _HHIVE.Signature}. */
    public static final long SIGNATURE = 0xBEE0BEE0L;
    /** Pool tag of a {@code _CMHIVE} ('CM10', the tag hive scanners look for). */
    public static final long TAG_CMHIVE = 0x30314D43L;
    /** Pool tag of the other configuration-manager allocations made here ('CM16'). */
    public static final long TAG_CM = 0x36314D43L;
    /** {@code HIVE_VOLATILE}: a hive with no file (the master hive, HARDWARE). */
    public static final long HIVE_VOLATILE = 0x1;

    private static final int PAGE = 4096;

    /**
     * Allocates kernel pool the way the synthesizer does: a {@code _POOL_HEADER} with {@code tag}, then
     * {@code size} zeroed, mapped bytes.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface PoolAllocator {
        /** @return the virtual address of the allocation's body */
        long allocate(long size, long tag);
    }

    /**
     * Where a hive block is taken when it leaves memory.
     *
     * @since 0.1
     */
    public enum Destination {
        /** Paged out to pagefile.sys. */
        PAGEFILE,
        /** Compressed into the memory-compression store (a software PTE naming the virtual store). */
        COMPRESSED,
        /** On the standby list: a transition PTE, the bytes still in a frame. */
        TRANSITION,
        /** Not mapped at all: its PTE is zero, so no reader can find it. Done here, no displacer needed. */
        UNMAPPED
    }

    /**
     * Where a displaced page went.
     *
     * @param destination what was done
     * @param pageFile    the page-file number its software PTE names (the virtual store's for a compressed
     *                    page), -1 for a transition or unmapped page
     * @param offset      its byte offset in that paging file, the store key a compressed page is held
     *                    under, or the physical address of a transition page's frame; -1 when none
     * @since 0.1
     */
    public record Placement(Destination destination, int pageFile, long offset) {
    }

    /**
     * Takes a resident page out of memory: keeps its bytes where {@code destination} says (pagefile.sys,
     * the compressed store, a standby frame) and rewrites its PTE in {@code space} to match. Only the
     * synthesizer can, since it owns the paging files and the store.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface PageDisplacer {
        /**
         * @param space       the address space whose PTE maps {@code va}
         * @param va          the page's virtual address (4 KiB aligned)
         * @param page        the page's 4096 bytes
         * @param destination where it goes ({@link Destination#UNMAPPED} is never asked for)
         * @return where it went
         */
        Placement displace(PageTableBuilder space, long va, byte[] page, Destination destination);
    }

    /**
     * A hive to load.
     *
     * @param hiveRootPath  {@code _CMHIVE.HiveRootPath}, e.g. {@code \REGISTRY\MACHINE\SAM} ("" for none)
     * @param fileFullPath  {@code _CMHIVE.FileFullPath}
     * @param fileUserName  {@code _CMHIVE.FileUserName}
     * @param hiveFlags     {@code _HHIVE.HiveFlags}
     * @param file          the hive file: base block, then the bins (e.g. {@link HiveWriter} output)
     * @param displaced     hive offsets of blocks (multiples of 4096) to take out of memory, and where to
     * @since 0.1
     */
    public record HiveImage(String hiveRootPath, String fileFullPath, String fileUserName, long hiveFlags,
            byte[] file, Map<Long, Destination> displaced) {

        public HiveImage {
            Objects.requireNonNull(hiveRootPath);
            Objects.requireNonNull(fileFullPath);
            Objects.requireNonNull(fileUserName);
            if (file.length < 2 * PAGE || file.length % PAGE != 0) {
                throw new IllegalArgumentException("a hive file is a base block and at least one bin, in 4 KiB "
                        + "blocks: " + file.length + " bytes");
            }
            displaced = Map.copyOf(displaced);
            for (long block : displaced.keySet()) {
                if ((block & 0xFFF) != 0 || block < 0 || block + PAGE > file.length - PAGE) {
                    throw new IllegalArgumentException("hive offset 0x" + Long.toHexString(block)
                            + " is not a block of this hive");
                }
            }
        }

        /**
         * A machine hive ({@code SYSTEM}, {@code SAM}, {@code SECURITY}, {@code SOFTWARE}, …) under the names
         * a Windows 10 kernel gives it: SYSTEM is loaded by the boot loader, so its file path is its
         * registry path; the others are opened from {@code \SystemRoot\System32\Config}.
         */
        public static HiveImage machine(String name, byte[] file) {
            String upper = name.toUpperCase(Locale.ROOT);
            String root = "\\REGISTRY\\MACHINE\\" + upper;
            if (upper.equals("SYSTEM")) {
                return new HiveImage(root, root, "\\SystemRoot\\System32\\Config\\SYSTEM", 0, file, Map.of());
            }
            return new HiveImage(root, "\\SystemRoot\\System32\\Config\\" + upper, "\\??\\C:\\Windows\\System32\\config\\"
                    + upper, 0, file, Map.of());
        }

        /** The master hive holding {@code \REGISTRY}: no names, no file. */
        public static HiveImage master(byte[] file) {
            return new HiveImage("", "", "", HIVE_VOLATILE, file, Map.of());
        }

        /** @return this hive with {@code blocks} taken out of memory as well */
        public HiveImage displace(Map<Long, Destination> blocks) {
            Map<Long, Destination> all = new TreeMap<>(displaced);
            all.putAll(blocks);
            return new HiveImage(hiveRootPath, fileFullPath, fileUserName, hiveFlags, file, all);
        }

        /** @return the hive offsets of every block of its stable storage */
        public List<Long> blocks() {
            List<Long> out = new ArrayList<>();
            for (long at = 0; at + PAGE <= file.length - PAGE; at += PAGE) {
                out.add(at);
            }
            return out;
        }

        /** @return the name an analysis knows the hive by (its root path, "[no name]" for the master hive) */
        public String name() {
            return hiveRootPath.isEmpty() ? "[no name]" : hiveRootPath;
        }
    }

    /**
     * One bin as placed.
     *
     * @param hiveOffset its hive offset
     * @param size       its size in bytes
     * @param va         its virtual address (page aligned)
     * @since 0.1
     */
    public record Bin(long hiveOffset, long size, long va) {
    }

    /**
     * One block taken out of memory.
     *
     * @param hiveOffset its hive offset
     * @param va         its virtual address
     * @param placement  where it went
     * @since 0.1
     */
    public record DisplacedBlock(long hiveOffset, long va, Placement placement) {
    }

    /**
     * One hive as loaded.
     *
     * @param name           {@link HiveImage#name()}
     * @param fileFullPath   {@code _CMHIVE.FileFullPath}
     * @param cmhive         virtual address of the {@code _CMHIVE}
     * @param hive           virtual address of its {@code _HHIVE}
     * @param baseBlock      virtual address of its base block
     * @param stableLength   {@code _HHIVE.Storage[Stable].Length}
     * @param directory      {@code _DUAL.Map} of stable storage (the address of {@code SmallDir} for a small hive)
     * @param bins           its bins in hive order
     * @param displaced      the blocks taken out of memory, in hive order
     * @param binsInKernel   whether the bins are in kernel pool (else in the space given to {@link #binsIn})
     * @param lastWritten    the base block's {@code TimeStamp} (FILETIME), when the hive was last written
     * @since 0.1
     */
    public record LoadedHive(String name, String fileFullPath, long cmhive, long hive, long baseBlock,
            long stableLength, long directory, List<Bin> bins, List<DisplacedBlock> displaced, boolean binsInKernel,
            long lastWritten) {

        /** @return the virtual address of the byte at {@code hiveOffset} of stable storage */
        public long virtualAddress(long hiveOffset) {
            for (Bin b : bins) {
                if (hiveOffset >= b.hiveOffset() && hiveOffset < b.hiveOffset() + b.size()) {
                    return b.va() + hiveOffset - b.hiveOffset();
                }
            }
            throw new IllegalArgumentException("hive offset 0x" + Long.toHexString(hiveOffset) + " is outside "
                    + name);
        }

        /** @return the displaced block holding {@code hiveOffset}, if it was displaced */
        public Optional<DisplacedBlock> displacedBlock(long hiveOffset) {
            return displaced.stream().filter(d -> d.hiveOffset() == (hiveOffset & ~0xFFFL)).findFirst();
        }
    }

    /**
     * Which hive blocks of {@link #writeStandardHives} leave memory.
     *
     * @since 0.1
     */
    public enum HivePlacement {
        /** Every block resident. */
        RESIDENT,
        /** Every block of the SAM's stable storage compressed into the store (its base block stays resident). */
        SAM_COMPRESSED,
        /** Every block of the SAM's stable storage paged out to pagefile.sys. */
        SAM_PAGEFILE,
        /**
         * Two blocks of the SAM that hold accounts' V values but none of the cells on the way to them (the
         * keys down to {@code Users}, their lists, the domain key) taken out of memory: the first paged out,
         * the last compressed; and one block of SYSTEM that the boot key does not need unmapped.
         */
        SCATTERED
    }

    /**
     * An account of the SAM as placed.
     *
     * @param account  the account (name, RID, password)
     * @param hashdump the line {@code windows.hashdump} must print for it
     * @param vValue   hive offset of the cell holding its V value's data
     * @param cells    hive offsets of every cell its hashes are read from: its key, value list, and the
     *                 V and F values with their data
     * @since 0.1
     */
    public record AccountTruth(Account account, String hashdump, long vValue, List<Long> cells) {

        public AccountTruth {
            cells = List.copyOf(cells);
        }
    }

    /**
     * Everything {@link #writeStandardHives} placed.
     *
     * @param hives      the hives in list order
     * @param bootKey    the boot key SYSTEM's Lsa class names scramble (hex)
     * @param revision   how the SAM protects its hashes
     * @param accounts   the SAM's accounts, in RID order
     * @param secrets    LSA secrets of SECURITY: name to the text {@code windows.lsadump} shows
     * @param placement  which blocks left memory
     * @since 0.1
     */
    public record Truth(List<LoadedHive> hives, String bootKey, SamRevision revision, List<AccountTruth> accounts,
            Map<String, String> secrets, HivePlacement placement) {

        /** @return the hive loaded as {@code name} (e.g. {@code \REGISTRY\MACHINE\SAM}) */
        public LoadedHive hive(String name) {
            return hives.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("no hive " + name + " was loaded"));
        }

        /** @return the hashdump lines of every account, in RID order */
        public List<String> expectedHashdump() {
            return accounts.stream().map(AccountTruth::hashdump).toList();
        }

        /** Writes this truth as the value of a key of {@code truth.json}. */
        void toJson(Json j) {
            j.open('{').key("bootKey").value(bootKey).key("samRevision").value(revision.name()).key("placement")
                    .value(placement.name());
            j.key("hives").open('[');
            for (LoadedHive h : hives) {
                j.open('{').key("name").value(h.name()).key("fileFullPath").value(h.fileFullPath()).key("cmhive")
                        .hex(h.cmhive()).key("baseBlock").hex(h.baseBlock()).key("stableLength").hex(h.stableLength())
                        .key("directory").hex(h.directory()).key("binsInKernel").value(h.binsInKernel())
                        .key("lastWritten").value(Filetime.toInstant(h.lastWritten()).toString());
                j.key("displaced").open('[');
                for (DisplacedBlock d : h.displaced()) {
                    j.open('{').key("hiveOffset").hex(d.hiveOffset()).key("va").hex(d.va()).key("destination")
                            .value(d.placement().destination().name()).key("pageFile").value(d.placement().pageFile())
                            .key("offset").value(d.placement().offset()).end('}');
                }
                j.end(']').end('}');
            }
            j.end(']');
            j.key("accounts").open('[');
            for (AccountTruth a : accounts) {
                j.open('{').key("rid").value(a.account().rid()).key("name").value(a.account().name()).key("password")
                        .value(a.account().password()).key("hashdump").value(a.hashdump()).end('}');
            }
            j.end(']');
            j.key("secrets").open('{');
            secrets.forEach((k, v) -> j.key(k).value(v));
            j.end('}').end('}');
        }
    }

    private final Profile profile;
    private final PageTableBuilder kernel;
    private final PoolAllocator pool;
    private final PageDisplacer displacer;
    private final Random random;
    private final HiveMapLayout layout;
    private final long hiveOffset;
    private final long dualSmallDir;
    private final int entrySize;
    private final List<LoadedHive> loaded = new ArrayList<>();
    private PageTableBuilder binSpace;
    private long binCursor;

    /**
     * @param profile   the kernel's profile ({@code _CMHIVE}, {@code _HHIVE}, {@code _DUAL}, {@code _HMAP_*})
     * @param kernel    the kernel's page tables
     * @param pool      the synthesizer's pool allocator
     * @param displacer takes pages out of memory; may be null when no block is displaced (or only unmapped)
     * @param random    the synthesizer's seeded generator
     * @throws java.util.NoSuchElementException naming a structure or field the profile lacks
     */
    public HiveMemoryWriter(Profile profile, PageTableBuilder kernel, PoolAllocator pool, PageDisplacer displacer,
            Random random) {
        this.profile = Objects.requireNonNull(profile);
        this.kernel = Objects.requireNonNull(kernel);
        this.pool = Objects.requireNonNull(pool);
        this.displacer = displacer;
        this.random = Objects.requireNonNull(random);
        this.layout = HiveMapLayout.from(profile);
        this.hiveOffset = profile.offset("_CMHIVE", "Hive");
        this.dualSmallDir = profile.has("_DUAL", "SmallDir") ? profile.offset("_DUAL", "SmallDir") : -1;
        this.entrySize = (int) layout.entrySize();
        profile.requireStruct("_CMHIVE");
        profile.offset("_CMHIVE", "HiveList");
    }

    /**
     * Puts the bins of the hives loaded from now on in {@code space} from {@code firstAddress} up (page
     * aligned, with gaps), instead of kernel pool: the Registry process's user space on Windows 10 1803
     * and later.
     */
    public HiveMemoryWriter binsIn(PageTableBuilder space, long firstAddress) {
        if ((firstAddress & 0xFFF) != 0) {
            throw new IllegalArgumentException("bins start on a page: 0x" + Long.toHexString(firstAddress));
        }
        this.binSpace = Objects.requireNonNull(space);
        this.binCursor = firstAddress;
        return this;
    }

    /** @return the hives loaded so far, in load order (the list order once {@link #link}ed) */
    public List<LoadedHive> loaded() {
        return List.copyOf(loaded);
    }

    /** Loads one hive (not yet linked: see {@link #link}). */
    public LoadedHive load(HiveImage image) {
        byte[] file = image.file();
        long stableLength = file.length - PAGE;
        // the base block: a page of its own, as the configuration manager allocates it
        long baseBlock = pageAligned(PAGE);
        kernel.write(baseBlock, java.util.Arrays.copyOf(file, PAGE));

        // the bins, each in its own allocation
        List<Bin> bins = new ArrayList<>();
        long at = 0;
        while (at < stableLength) {
            int fileAt = (int) (PAGE + at);
            long size = Le.get(file, fileAt + 8, 4);
            if (!(file[fileAt] == 'h' && file[fileAt + 1] == 'b' && file[fileAt + 2] == 'i' && file[fileAt + 3] == 'n')
                    || size < PAGE || size % PAGE != 0 || at + size > stableLength) {
                throw new IllegalArgumentException(image.name() + ": no valid bin at hive offset 0x"
                        + Long.toHexString(at));
            }
            PageTableBuilder space = binSpace != null ? binSpace : kernel;
            long va = binSpace != null ? nextBinAddress(size) : pageAligned(size);
            space.write(va, java.util.Arrays.copyOfRange(file, fileAt, (int) (fileAt + size)));
            bins.add(new Bin(at, size, va));
            at += size;
        }

        // the _CMHIVE, then the stable storage's cell map (it points into the _CMHIVE for a small hive)
        StructBuffer cm = new StructBuffer(profile, "_CMHIVE");
        long cmhive = pool.allocate(cm.size(), TAG_CMHIVE);
        long hive = cmhive + hiveOffset;
        long dual = hiveOffset + layout.storageOffset();
        long directory = cellMap(bins, hive + layout.storageOffset(), cm, (int) dual);
        cm.put("Hive.Signature", SIGNATURE).put("Hive.BaseBlock", baseBlock);
        cm.putIfPresent("Hive.HiveFlags", image.hiveFlags()).putIfPresent("Hive.Version", Le.get(file, 0x18, 4));
        cm.putIfPresent("Hive.StorageTypeCount", 2);
        Le.put(cm.bytes(), (int) (dual + layout.dualLengthOffset()), stableLength, 4);
        Le.put(cm.bytes(), (int) (dual + layout.dualMapOffset()), directory, layout.pointerSize());
        unicode(cm, "FileFullPath", image.fileFullPath());
        unicode(cm, "FileUserName", image.fileUserName());
        if (cm.has("HiveRootPath")) {
            unicode(cm, "HiveRootPath", image.hiveRootPath());
        }
        kernel.write(cmhive, cm.bytes());

        // blocks that leave memory
        List<DisplacedBlock> displaced = new ArrayList<>();
        for (Map.Entry<Long, Destination> e : new TreeMap<>(image.displaced()).entrySet()) {
            long block = e.getKey();
            Bin bin = bins.stream().filter(b -> block >= b.hiveOffset() && block < b.hiveOffset() + b.size())
                    .findFirst().orElseThrow();
            long va = bin.va() + block - bin.hiveOffset();
            byte[] page = java.util.Arrays.copyOfRange(file, (int) (PAGE + block), (int) (PAGE + block + PAGE));
            displaced.add(new DisplacedBlock(block, va, displace(binSpace != null ? binSpace : kernel, va, page,
                    e.getValue())));
        }
        LoadedHive h = new LoadedHive(image.name(), image.fileFullPath(), cmhive, hive, baseBlock, stableLength,
                directory, List.copyOf(bins), List.copyOf(displaced), binSpace == null, BaseBlock.parse(file)
                        .lastWritten());
        loaded.add(h);
        return h;
    }

    private Placement displace(PageTableBuilder space, long va, byte[] page, Destination where) {
        // the frame the page leaves keeps no copy: a reader that ignores the PTE reads zeros, not cells
        space.write(va, new byte[PAGE]);
        if (where == Destination.UNMAPPED) {
            space.setPte(va, 0);
            return new Placement(where, -1, -1);
        }
        if (displacer == null) {
            throw new IllegalStateException("a block goes to " + where + " but no PageDisplacer was given");
        }
        Placement p = displacer.displace(space, va, page, where);
        if (p.destination() != where) {
            throw new IllegalStateException("asked to move 0x" + Long.toHexString(va) + " to " + where
                    + ", the displacer moved it to " + p.destination());
        }
        return p;
    }

    /**
     * Writes the cell map of stable storage: tables of _HMAP_ENTRY, and a directory (or, for a hive of
     * one table, the _DUAL's own SmallDir).
     *
     * @param dualVa  virtual address of Storage[Stable]
     * @param cm      the _CMHIVE being filled (SmallDir lives in it)
     * @param dualAt  offset of Storage[Stable] in the _CMHIVE
     * @return the value of _DUAL.Map
     */
    private long cellMap(List<Bin> bins, long dualVa, StructBuffer cm, int dualAt) {
        long blocks = 0;
        for (Bin b : bins) {
            blocks += b.size() / PAGE;
        }
        int tables = (int) ((blocks + HiveMapLayout.TABLE_SLOTS - 1) / HiveMapLayout.TABLE_SLOTS);
        if (tables > HiveMapLayout.DIRECTORY_SLOTS) {
            throw new IllegalArgumentException("a hive of " + blocks + " blocks does not fit one directory");
        }
        long tableSize = profile.requireStruct("_HMAP_TABLE").size();
        long[] tableVa = new long[tables];
        for (int t = 0; t < tables; t++) {
            tableVa[t] = pool.allocate(tableSize, TAG_CM);
        }
        for (Bin b : bins) {
            for (long k = 0; k < b.size(); k += PAGE) {
                long index = (b.hiveOffset() + k) / PAGE;
                long entry = tableVa[(int) (index / HiveMapLayout.TABLE_SLOTS)]
                        + (index % HiveMapLayout.TABLE_SLOTS) * entrySize;
                byte[] e = new byte[entrySize];
                if (layout.blockOffsetOffset() >= 0) {
                    // Windows 8.1+: the bin's address (flag bit 0 on its first block) and the block's offset in it
                    Le.put(e, (int) layout.blockOffsetOffset(), k, 8);
                    Le.put(e, (int) layout.blockAddressOffset(), b.va() | (k == 0 ? 1 : 0), layout.pointerSize());
                } else {
                    // earlier kernels: the block's own address, and the bin's (flag bit 0: start of an allocation)
                    Le.put(e, (int) layout.blockAddressOffset(), b.va() + k, layout.pointerSize());
                    if (profile.has("_HMAP_ENTRY", "BinAddress")) {
                        Le.put(e, (int) profile.offset("_HMAP_ENTRY", "BinAddress"), b.va() | (k == 0 ? 1 : 0),
                                layout.pointerSize());
                    }
                }
                if (k == 0 && profile.has("_HMAP_ENTRY", "MemAlloc")) {
                    Le.put(e, (int) profile.offset("_HMAP_ENTRY", "MemAlloc"), b.size(), 4);
                }
                kernel.write(entry, e);
            }
        }
        if (tables == 1 && dualSmallDir >= 0) {
            Le.put(cm.bytes(), (int) (dualAt + dualSmallDir), tableVa[0], layout.pointerSize());
            return dualVa + dualSmallDir;
        }
        long directory = pool.allocate(profile.requireStruct("_HMAP_DIRECTORY").size(), TAG_CM);
        for (int t = 0; t < tables; t++) {
            kernel.writeLong(directory + (long) t * layout.pointerSize(), tableVa[t]);
        }
        return directory;
    }

    /** Stores a _UNICODE_STRING (its buffer in pool, NUL-terminated) in a _CMHIVE field. */
    private void unicode(StructBuffer cm, String field, String text) {
        if (text.isEmpty()) {
            cm.putUnicode(field, 0, 0, 0);
            return;
        }
        byte[] b = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        long va = pool.allocate(b.length, TAG_CM);
        kernel.write(va, b);
        cm.putUnicode(field, b.length - 2, b.length, va);
    }

    /** @return a page-aligned kernel pool block of {@code size} bytes (zeroed and mapped) */
    private long pageAligned(long size) {
        long va = pool.allocate(size + PAGE - 0x10, TAG_CM);
        return (va + PAGE - 1) & ~(long) (PAGE - 1);
    }

    private long nextBinAddress(long size) {
        long va = binCursor;
        binCursor += size + PAGE * (long) random.nextInt(4);
        return va;
    }

    /**
     * Links the loaded hives, in load order, into the list whose head ({@code CmpHiveListHead}) is at
     * {@code listHead}.
     */
    public void link(long listHead) {
        long off = profile.offset("_CMHIVE", "HiveList");
        List<Long> entries = loaded.stream().map(h -> h.cmhive() + off).toList();
        if (entries.isEmpty()) {
            kernel.writeLong(listHead, listHead);
            kernel.writeLong(listHead + 8, listHead);
            return;
        }
        kernel.writeLong(listHead, entries.get(0));
        kernel.writeLong(listHead + 8, entries.get(entries.size() - 1));
        for (int i = 0; i < entries.size(); i++) {
            kernel.writeLong(entries.get(i), i + 1 < entries.size() ? entries.get(i + 1) : listHead);
            kernel.writeLong(entries.get(i) + 8, i > 0 ? entries.get(i - 1) : listHead);
        }
    }

    // ---------------------------------------------------------------- the standard set

    private static final String[] WORDS = {"Winter", "Summer", "Harbour", "Granite", "Velvet", "Copper", "Meadow",
        "Lantern", "Falcon", "Orchid"};

    private String password() {
        return WORDS[random.nextInt(WORDS.length)] + (1990 + random.nextInt(40)) + "!#$%".charAt(random.nextInt(4));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Loads the hives a Windows machine always has and links them from {@code listHead}: the master hive,
     * SYSTEM (with a random boot key and some services), SAM (Administrator, Guest, DefaultAccount,
     * WDAGUtilityAccount, localuser01, svc_backup with an LM hash too, and sixteen more local users, some
     * without a password, some disabled; passwords random) and SECURITY (a random LSA key, DPAPI_SYSTEM and
     * DefaultPassword), with {@code placement}'s blocks taken out of memory.
     *
     * @param build the kernel's build: the SAM uses AES from 14393, RC4 before; LSA secrets use PolEKList
     *              from Vista (6000)
     */
    public Truth writeStandardHives(long listHead, int build, HivePlacement placement) {
        return writeStandardHives(listHead, build, placement, system -> {
        });
    }

    /**
     * As {@link #writeStandardHives(long, int, HivePlacement)}, with further keys and values added to
     * SYSTEM (its control set is {@code ControlSet001}) before it is written.
     *
     * @since 0.1
     */
    public Truth writeStandardHives(long listHead, int build, HivePlacement placement,
            java.util.function.Consumer<KeySpec> systemExtras) {
        return writeStandardHives(listHead, build, placement, systemExtras, sam -> {
        }, null);
    }

    /**
     * As {@link #writeStandardHives(long, int, HivePlacement, java.util.function.Consumer)}, with further keys
     * and values added to SAM before it is written, and a SOFTWARE hive loaded after SECURITY.
     *
     * @param samExtras adds to the SAM tree (its root is {@code SAM}, holding {@code SAM\Domains\Account})
     * @param software  the SOFTWARE hive's tree, or null for none
     * @since 0.1
     */
    public Truth writeStandardHives(long listHead, int build, HivePlacement placement,
            java.util.function.Consumer<KeySpec> systemExtras, java.util.function.Consumer<KeySpec> samExtras,
            KeySpec software) {
        BootKey bootKey = BootKey.of(bytes(16));
        SamRevision revision = build >= 14393 ? SamRevision.AES : SamRevision.RC4;
        String user = "localuser01";
        List<Account> accounts = new ArrayList<>(List.of(Account.of(500, "Administrator", password()), Account.of(
                501, "Guest", null), Account.of(503, "DefaultAccount", null), Account.of(504, "WDAGUtilityAccount",
                        password()), Account.of(1001, user, password()), new Account(1002, "svc_backup", password()
                                .substring(0, 10), true, false)));
        for (int i = 0; i < USERS.length; i++) {
            accounts.add(new Account(1003 + i, USERS[i], i % 5 == 4 ? null : password(), false, i % 7 == 6));
        }

        KeySpec system = CredentialHives.system(bootKey, 1);
        KeySpec services = system.path("ControlSet001\\Services");
        for (int i = 0; i < 48; i++) {
            String name = String.format("Svc%02d%s", i, WORDS[i % WORDS.length]);
            services.subkey(name).expandString("ImagePath", "\\SystemRoot\\System32\\drivers\\" + name.toLowerCase(
                    Locale.ROOT) + ".sys").dword("Start", 3).dword("Type", 1).string("DisplayName", name + " driver");
        }
        systemExtras.accept(system);
        byte[] systemFile = HiveWriter.write(system);
        KeySpec samTree = CredentialHives.sam(bootKey, bytes(16), revision, accounts, random.nextLong());
        samExtras.accept(samTree);
        byte[] samFile = HiveWriter.write(samTree);
        boolean vista = build >= 6000;
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        String defaultPassword = password();
        secrets.put("DefaultPassword", CredentialHives.textSecret(defaultPassword));
        shown.put("DefaultPassword", defaultPassword);
        secrets.put("DPAPI_SYSTEM", CredentialHives.dpapiSystem(bytes(20), bytes(20)));
        byte[] securityFile = HiveWriter.write(CredentialHives.security(bootKey, vista ? LsaDump.Scheme.AES_POLEKLIST
                : LsaDump.Scheme.RC4_POLSECRETENCRYPTIONKEY, bytes(vista ? 32 : 16), secrets, random.nextLong()));
        KeySpec master = KeySpec.named("REGISTRY");
        master.subkey("MACHINE");
        master.subkey("USER");
        byte[] masterFile = HiveWriter.write(master);

        HiveImage sam = HiveImage.machine("SAM", samFile);
        HiveImage sys = HiveImage.machine("SYSTEM", systemFile);
        Hive samHive = Hive.of("SAM", samFile);
        List<AccountTruth> accountTruths = new ArrayList<>();
        List<String> lines = CredentialHives.expectedHashdump(accounts);
        for (int i = 0; i < accounts.size(); i++) {
            RegistryKey key = samHive.requireKey(SamHashes.ACCOUNT_KEY + "\\Users\\" + String.format("%08X",
                    accounts.get(i).rid()));
            List<Long> cells = new ArrayList<>(List.of(key.cellOffset(), key.valueListOffset()));
            for (String name : List.of("V", "F")) {
                RegistryValue v = key.value(name).orElseThrow();
                cells.add(v.cellOffset());
                cells.add(v.dataOffset());
            }
            accountTruths.add(new AccountTruth(accounts.get(i), lines.get(i), key.value("V").orElseThrow()
                    .dataOffset(), cells));
        }
        switch (placement) {
            case RESIDENT -> {
            }
            case SAM_COMPRESSED -> sam = sam.displace(all(sam, Destination.COMPRESSED));
            case SAM_PAGEFILE -> sam = sam.displace(all(sam, Destination.PAGEFILE));
            case SCATTERED -> {
                List<Long> blocks = scatteredSamBlocks(samHive, accountTruths);
                Map<Long, Destination> moved = new TreeMap<>();
                moved.put(blocks.get(0), Destination.PAGEFILE);
                moved.put(blocks.get(blocks.size() - 1), blocks.size() > 1 ? Destination.COMPRESSED
                        : Destination.PAGEFILE);
                sam = sam.displace(moved);
                sys = sys.displace(Map.of(unneededSystemBlock(systemFile), Destination.UNMAPPED));
            }
        }
        load(HiveImage.master(masterFile));
        load(sys);
        load(sam);
        load(HiveImage.machine("SECURITY", securityFile));
        if (software != null) {
            load(HiveImage.machine("SOFTWARE", HiveWriter.write(software)));
        }
        link(listHead);
        return new Truth(loaded(), bootKey.hex(), revision, List.copyOf(accountTruths), Map.copyOf(shown),
                placement);
    }

    /** Further local users of the standard SAM, so that its accounts fill several blocks. */
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
        "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter"};

    /**
     * @return the blocks of the SAM that hold some account's V value and none of the cells every account
     *         is read through (the keys from the root down to {@code Users}, their subkey and value lists,
     *         the domain key in {@code Account\F}), in hive order
     */
    private static List<Long> scatteredSamBlocks(Hive sam, List<AccountTruth> accounts) {
        java.util.Set<Long> essential = new java.util.HashSet<>();
        essential.add(sam.rootCellOffset() & ~0xFFFL);
        String path = "";
        for (String part : (SamHashes.ACCOUNT_KEY + "\\Users").split("\\\\")) {
            path = path.isEmpty() ? part : path + "\\" + part;
            RegistryKey key = sam.requireKey(path);
            essential.add(key.cellOffset() & ~0xFFFL);
            if (key.subkeyListOffset() != Hive.NO_OFFSET) {
                essential.add(key.subkeyListOffset() & ~0xFFFL);
                byte[] list = sam.cell(key.subkeyListOffset());
                if (list[0] == 'r' && list[1] == 'i') {
                    for (int i = 0; i < (int) Le.get(list, 2, 2); i++) {
                        essential.add(Le.get(list, 4 + 4 * i, 4) & ~0xFFFL);
                    }
                }
            }
            if (key.valueListOffset() != Hive.NO_OFFSET) {
                essential.add(key.valueListOffset() & ~0xFFFL);
            }
            for (RegistryValue v : key.values()) {
                essential.add(v.cellOffset() & ~0xFFFL);
                if (!v.isDataInline()) {
                    essential.add(v.dataOffset() & ~0xFFFL);
                }
            }
        }
        java.util.TreeSet<Long> candidates = new java.util.TreeSet<>();
        for (AccountTruth a : accounts) {
            long block = a.vValue() & ~0xFFFL;
            if (!essential.contains(block)) {
                candidates.add(block);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("every block holding a V value also holds a cell all accounts need");
        }
        return List.copyOf(candidates);
    }

    private static Map<Long, Destination> all(HiveImage hive, Destination where) {
        Map<Long, Destination> m = new TreeMap<>();
        hive.blocks().forEach(b -> m.put(b, where));
        return m;
    }

    /**
     * @return a block of SYSTEM holding none of the cells on the way to the boot key (Select, the control
     *         set's Control\Lsa and its four class names) nor any subkey list: the block of a service key's
     *         values, far from the root
     */
    private static long unneededSystemBlock(byte[] systemFile) {
        Hive hive = Hive.of("SYSTEM", systemFile);
        java.util.Set<Long> needed = new java.util.HashSet<>();
        needed.add(hive.rootCellOffset() & ~0xFFFL);
        for (String path : List.of("Select", "ControlSet001", "ControlSet001\\Control", "ControlSet001\\Control\\Lsa",
                "ControlSet001\\Control\\Lsa\\JD", "ControlSet001\\Control\\Lsa\\Skew1",
                "ControlSet001\\Control\\Lsa\\GBG", "ControlSet001\\Control\\Lsa\\Data")) {
            RegistryKey key = hive.requireKey(path);
            needed.add(key.cellOffset() & ~0xFFFL);
            for (RegistryKey sibling : key.subkeys()) {
                // a lookup by name may read any subkey of the keys on the way
                needed.add(sibling.cellOffset() & ~0xFFFL);
            }
            if (key.subkeyListOffset() != Hive.NO_OFFSET) {
                needed.add(key.subkeyListOffset() & ~0xFFFL);
            }
            if (key.valueListOffset() != Hive.NO_OFFSET) {
                needed.add(key.valueListOffset() & ~0xFFFL);
            }
            if (key.classNameOffset() != Hive.NO_OFFSET) {
                needed.add(key.classNameOffset() & ~0xFFFL);
            }
            for (RegistryValue v : key.values()) {
                needed.add(v.cellOffset() & ~0xFFFL);
            }
        }
        RegistryKey services = hive.requireKey("ControlSet001\\Services");
        needed.add(services.cellOffset() & ~0xFFFL);
        needed.add(services.subkeyListOffset() & ~0xFFFL);
        long block = -1;
        for (RegistryKey s : services.subkeys()) {
            long b = s.valueListOffset() & ~0xFFFL;
            if (!needed.contains(b) && !needed.contains(s.cellOffset() & ~0xFFFL)) {
                block = b;
            }
        }
        if (block < 0) {
            throw new IllegalStateException("every block of SYSTEM is on the way to the boot key");
        }
        return block;
    }
}
