package org.vestige.synth.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.PteEncoding;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * The machine being laid out, shared by every writer: the profile, the options and the one random
 * source every choice draws from (in a fixed order, so equal seeds give equal bytes), the physical
 * memory and the kernel's address space, the kernel's globals, the kernel pool, the paging files' pages,
 * the processes placed, and what the truth records along the way.
 */
final class Machine {

    final Profile profile;
    final SynthOptions options;
    final Random random;
    final int build;

    // the physical memory, the kernel's address space and the PTE encoding, set once the layout begins
    PhysicalImageWriter memory;
    PageTableBuilder kernel;
    PteEncoding pte;

    // the kernel: its globals (name to RVA, name to address), top-level slots taken, image and pool
    final Map<String, Long> rvas = new LinkedHashMap<>();
    final Map<String, Long> globals = new LinkedHashMap<>();
    final Set<Integer> usedPml4 = new HashSet<>();
    final List<Long> kernelModuleEntries = new ArrayList<>();
    long kernelBase;
    int kernelSize;
    /** The RVA where the kernel image's .text section ends (code below it, the globals above). */
    int kernelTextEnd;
    long kernelEntry;
    long kuserFrame;
    long poolBase;
    long poolCursor;

    // the compressed store, when the options ask for one, and where the kernel image points at it
    CompressedStoreWriter store;
    String storeSymbol;
    long storeCacheAli;
    long storeSignature;

    // the paging files' pages by file offset, and what the truth records along the way
    final Map<Long, byte[]> pagefile = new LinkedHashMap<>();
    final Map<Long, byte[]> swapfile = new LinkedHashMap<>();
    final List<SynthTruth.Translation> translations = new ArrayList<>();
    final List<ImageSynthesizer.PteSample> pteSamples = new ArrayList<>();
    final Map<Long, java.util.SortedMap<Long, Long>> userPtes = new LinkedHashMap<>();
    /** every process placed (the exited one too), for procdump */
    List<PlacedProcess> placed = List.of();
    // the object types objects are typed through, and the handle tables once written (for the smear)
    ObjectTypes objectTypes;
    HandleTableWriter handleTables;
    /** every file object placed, as the file-object truth records it (physical addresses filled in last) */
    final List<org.vestige.synth.FileTruth.File> fileObjects = new ArrayList<>();
    /** the file writer's sections, laid out before the compressed store is written, or null */
    FileSectionWriter fileSections;
    /** every PE header written, with its TimeDateStamp (see {@link TimeWriter}) */
    final List<org.vestige.synth.TimeTruth.Linked> linked = new ArrayList<>();

    Machine(Profile profile, SynthOptions options, int build) {
        this.profile = profile;
        this.options = options;
        this.build = build;
        this.random = new Random(options.seed());
    }

    /** Where the kernel maps _KUSER_SHARED_DATA on x64. */
    static final long KUSER_SHARED_DATA = ImageSynthesizer.KUSER_SHARED_DATA;
    static final long USER_KUSER = 0x7FFE0000L;
    static final long KERNEL_REGION = 0xFFFFF80000000000L;
    static final long TWO_MB = 1L << 21;
    static final long ONE_GB = 1L << 30;
    static final long FILETIME_EPOCH_OFFSET_MS = 11644473600000L;

    boolean modern() {
        return build >= 10240;
    }

    static int pml4Index(long va) {
        return (int) ((va >>> 39) & 0x1ff);
    }

    int freePml4(int lo, int hi) {
        for (int tries = 0; tries < 1000; tries++) {
            int i = lo + random.nextInt(hi - lo + 1);
            if (!usedPml4.contains(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no free top-level slot in 0x" + Integer.toHexString(lo) + "..0x"
                + Integer.toHexString(hi));
    }

    String randomGuid() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return b.toString();
    }

    long global(String name) {
        return globals.computeIfAbsent(name, n -> {
            Long rva = rvas.get(n);
            if (rva == null) {
                throw new IllegalStateException("symbol " + n + " was not placed");
            }
            return kernelBase + rva;
        });
    }

    /** Pool tag of untyped allocations ('Vstg'). */
    static final long TAG_OTHER = 0x67747356L;

    long poolAlloc(long size) {
        return poolAlloc(size, TAG_OTHER);
    }

    /** Allocates a pool block: a _POOL_HEADER with {@code tag}, then the body (returned). */
    long poolAlloc(long size, long tag) {
        long header = poolHeader(0, size, tag);
        long va = header + 0x10;
        poolCursor = va + size;
        kernel.write(va, new byte[(int) size]);
        return va;
    }

    /** Allocates whole zeroed pages, page aligned, without a pool header (as big-pool blocks are). */
    long poolPages(int count) {
        poolCursor = ((poolCursor + 0xfff) & ~0xfffL) + 0x1000L * random.nextInt(3);
        long va = poolCursor;
        kernel.write(va, new byte[count * 4096]);
        poolCursor = va + count * 4096L;
        return va;
    }

    /** Writes a _POOL_HEADER for a block of {@code extra + size} body bytes at the next free 16-byte slot. */
    long poolHeader(long extra, long size, long tag) {
        poolCursor = (poolCursor + 0x10L * random.nextInt(8) + 0xf) & ~0xfL;
        long total = 0x10 + extra + size;
        if (total <= 0x1000 && (poolCursor & 0xfff) + total > 0x1000) {
            // a small pool block never straddles a page
            poolCursor = (poolCursor + 0xfff) & ~0xfffL;
        }
        long header = poolCursor;
        StructBuffer h = new StructBuffer(profile, "_POOL_HEADER");
        long blocks = (0x10 + extra + size + 0xf) / 0x10;
        h.putIfPresent("BlockSize", Math.min(blocks, 0xff)).putIfPresent("PoolType", 2).put("PoolTag", tag);
        kernel.write(header, h.bytes());
        return header;
    }

    /**
     * Allocates an object of {@code type} ("Process", "File"): _POOL_HEADER with {@code tag}, _OBJECT_HEADER
     * with the type's TypeIndex encoded as the build does, then the body (returned).
     */
    long objectAlloc(long size, long tag, String type) {
        long bodyOffset = profile.offset("_OBJECT_HEADER", "Body");
        long header = poolHeader(bodyOffset, size, tag);
        long objectHeader = header + 0x10;
        StructBuffer o = new StructBuffer(profile, "_OBJECT_HEADER");
        o.putIfPresent("PointerCount", 3 + random.nextInt(20)).putIfPresent("HandleCount", 1 + random.nextInt(8));
        o.putIfPresent("TypeIndex", objectTypes.encode(type, objectHeader));
        kernel.write(objectHeader, o.bytes());
        long va = objectHeader + bodyOffset;
        kernel.write(va, new byte[(int) size]);
        poolCursor = va + size;
        return va;
    }

    long poolString(String s) {
        byte[] b = Le.utf16(s + "\0");
        long va = poolAlloc(b.length);
        kernel.write(va, b);
        return va;
    }

    /** Links the entries (each the address of its LIST_ENTRY) into a circular list behind {@code head}. */
    static void linkList(PageTableBuilder space, long head, List<Long> entries) {
        if (entries.isEmpty()) {
            space.writeLong(head, head);
            space.writeLong(head + 8, head);
            return;
        }
        space.writeLong(head, entries.get(0));
        space.writeLong(head + 8, entries.get(entries.size() - 1));
        for (int i = 0; i < entries.size(); i++) {
            long e = entries.get(i);
            space.writeLong(e, i + 1 < entries.size() ? entries.get(i + 1) : head);
            space.writeLong(e + 8, i > 0 ? entries.get(i - 1) : head);
        }
    }

    static long freePagingFilePage(Map<Long, byte[]> file, long from, Random random) {
        long page;
        do {
            page = from + random.nextInt(0x100);
        } while (file.containsKey(page << 12));
        return page;
    }

    boolean fileTypesKnown() {
        return profile.has("_MMVAD", "Subsection") && profile.has("_SUBSECTION", "ControlArea")
                && profile.has("_CONTROL_AREA", "FilePointer") && profile.has("_FILE_OBJECT", "FileName");
    }

    /** Whether image VADs can point at their prototype PTEs (FirstPrototypePte or Subsection.SubsectionBase). */
    boolean prototypesKnown() {
        return profile.has("_MMVAD", "FirstPrototypePte") || (fileTypesKnown()
                && profile.has("_SUBSECTION", "SubsectionBase"));
    }

    static Instant fromFileTime(long fileTime) {
        long micros = fileTime / 10 - FILETIME_EPOCH_OFFSET_MS * 1000;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L
                + (fileTime % 10) * 100);
    }


}
