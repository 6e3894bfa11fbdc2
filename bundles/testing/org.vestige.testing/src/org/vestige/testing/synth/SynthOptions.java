package org.vestige.testing.synth;

/**
 * What to synthesize: the seed that decides every random choice, the Windows build (written into
 * {@code _KUSER_SHARED_DATA} and the exported {@code NtBuildNumber}; needed when the profile does
 * not carry it), and which features or damage the image gets.
 *
 * @param seed          decides every choice; equal seeds give byte-identical images
 * @param build         the Windows build number (e.g. 19041), or 0 to take it from the profile
 * @param lowStub       whether a {@code _PROCESSOR_START_BLOCK} is left in low memory
 * @param encodedKdbg   whether the KDBG block is encoded (needs KdpDataBlockEncoded/KiWait* symbols)
 * @param svchostCount  how many svchost.exe processes to create
 * @param smear         damage to the process list, as acquisition smear leaves it
 * @param physicalSize  the machine's physical memory in bytes (at least 2 GiB for the 1 GiB page)
 * @param swapfile      whether a page of notepad.exe's image is swapped out to swapfile.sys (page-file
 *                      number 1) as well; needs a profile whose {@code _MMPAGING_FILE} has {@code WsSwapPagefile}
 * @param compressedStore whether the image gets a memory-compression store (SmGlobals, the store manager,
 *                      two stores owned by MemCompression, pages of notepad.exe, lsass.exe and explorer.exe
 *                      compressed into it), and whether one of its B+tree nodes is damaged; builds 14393 and
 *                      later with {@code _MMPAGING_FILE.VirtualStorePagefile} only
 * @param compressedPages how many further pages of explorer.exe (one private VAD) go into the store, for
 *                      benchmarks; 0 without a store
 * @param hives         whether SYSTEM, SAM and SECURITY hives are loaded in memory (linked from
 *                      CmpHiveListHead) and where the SAM's pages are; null for no hives
 * @param bulk          bulk private memory of explorer.exe for benchmarks, or null
 * @param vbs           whether Virtual Secure Mode was running: the image gets the Secure System process,
 *                      LsaIso.exe as a secure (IUM) process whose private pages read as zeros the way a
 *                      VTL0 acquisition sees them, {@code VslVsmEnabled} set, Secure Boot on, and (with hives)
 *                      the DeviceGuard and LsaCfgFlags values in SYSTEM
 * @since 0.1
 */
public record SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
        long physicalSize, boolean swapfile, CompressedStore compressedStore, int compressedPages,
        HiveMemoryWriter.HivePlacement hives, Bulk bulk,
        boolean vbs) {

    /**
     * Bulk private memory of explorer.exe for throughput benchmarks: resident pages, and pages paged
     * out to pagefile.sys (streamed to the file, not held in memory while synthesizing), each page's
     * bytes given by {@link ImageSynthesizer#bulkPage}.
     *
     * @param residentPages pages in RAM (at most 131,072: frames come from the first GiB)
     * @param pagedPages    pages in pagefile.sys (at most 1,048,576: a 4 GiB file)
     * @since 0.1
     */
    public record Bulk(int residentPages, int pagedPages) {
        public Bulk {
            if (residentPages < 0 || residentPages > 131_072 || pagedPages < 0 || pagedPages > 1_048_576) {
                throw new IllegalArgumentException("bulk memory of " + residentPages + " resident and " + pagedPages
                        + " paged pages is outside 0..131072 and 0..1048576");
            }
        }
    }

    /** The most bulk compressed pages an image can take (their compressed data must fit the machine). */
    public static final int MAX_COMPRESSED_PAGES = 500_000;

    /**
     * Damage an acquisition that ran while the system changed leaves in a kernel structure.
     *
     * @since 0.1
     */
    public enum Smear {
        /** an intact list */
        NONE,
        /** one process's Flink points at unmapped memory */
        BROKEN_FLINK,
        /** one process's Flink points back at an earlier process */
        CYCLE,
        /** one _EPROCESS is linked in but its fields were never written */
        HALF_WRITTEN,
        /** one kernel module entry's Flink (PsLoadedModuleList) points at unmapped memory */
        MODULE_BROKEN_FLINK,
        /** one process's VAD tree has a leaf whose child pointer leads back to the root */
        VAD_CYCLE
    }

    /**
     * Whether an image has a memory-compression store and in what state.
     *
     * @since 0.1
     */
    public enum CompressedStore {
        /** no store: no compressed pages, MemCompression as a process without user space */
        NONE,
        /** a store every compressed page can be read back from */
        INTACT,
        /** as INTACT, but one PagesTree leaf of one store is overwritten with garbage and a count above 0x1FF */
        BROKEN_NODE
    }

    public SynthOptions {
        if (svchostCount < 0 || svchostCount > 200) {
            throw new IllegalArgumentException("svchostCount " + svchostCount + " outside 0..200");
        }
        if (compressedStore == null) {
            throw new IllegalArgumentException("compressedStore must be given (NONE for no store)");
        }
        if (compressedPages < 0 || compressedPages > MAX_COMPRESSED_PAGES) {
            throw new IllegalArgumentException("compressedPages " + compressedPages + " outside 0.."
                    + MAX_COMPRESSED_PAGES);
        }
    }

    /** Options without Virtual Secure Mode. */
    public SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
            long physicalSize, boolean swapfile, CompressedStore compressedStore, int compressedPages,
            HiveMemoryWriter.HivePlacement hives, Bulk bulk) {
        this(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile, compressedStore,
                compressedPages, hives, bulk, false);
    }

    /** Options without hives in memory. */
    public SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
            long physicalSize, boolean swapfile, CompressedStore compressedStore, int compressedPages) {
        this(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile, compressedStore,
                compressedPages, null, null);
    }

    /** Options without a compressed store. */
    public SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
            long physicalSize, boolean swapfile) {
        this(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile, CompressedStore.NONE, 0);
    }

    /** Options without swapfile.sys and without a compressed store. */
    public SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
            long physicalSize) {
        this(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, false);
    }

    /** Defaults: low stub present, plain KDBG, six svchost.exe, no smear, 2 GiB, no compressed store. */
    public static SynthOptions of(long seed, int build) {
        return new SynthOptions(seed, build, true, false, 6, Smear.NONE, 2L << 30, false);
    }

    public SynthOptions withLowStub(boolean present) {
        return new SynthOptions(seed, build, present, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                compressedStore, compressedPages, hives, bulk, vbs);
    }

    public SynthOptions withEncodedKdbg(boolean encoded) {
        return new SynthOptions(seed, build, lowStub, encoded, svchostCount, smear, physicalSize, swapfile,
                compressedStore, compressedPages, hives, bulk, vbs);
    }

    public SynthOptions withSmear(Smear kind) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, kind, physicalSize, swapfile,
                compressedStore, compressedPages, hives, bulk, vbs);
    }

    public SynthOptions withSvchostCount(int count) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, count, smear, physicalSize, swapfile,
                compressedStore, compressedPages, hives, bulk, vbs);
    }

    /** Also swaps a page of notepad.exe's image out to swapfile.sys (page-file number 1). */
    public SynthOptions withSwapfile(boolean swapped) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapped,
                compressedStore, compressedPages, hives, bulk, vbs);
    }

    /**
     * Gives the image a memory-compression store ({@link CompressedStore#NONE} for none): pages of
     * notepad.exe's image, lsass.exe and explorer.exe held compressed in two stores of MemCompression.
     */
    public SynthOptions withCompressedStore(CompressedStore kind) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile, kind,
                compressedPages, hives, bulk, vbs);
    }

    /** Adds {@code count} further compressed pages (a private VAD of explorer.exe) to the store. */
    public SynthOptions withCompressedPages(int count) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                compressedStore, count, hives, bulk, vbs);
    }

    /**
     * Loads SYSTEM, SAM and SECURITY hives in memory, linked from CmpHiveListHead, with the SAM's pages
     * resident, in pagefile.sys, in the compressed store (which then needs {@link #withCompressedStore})
     * or scattered; null for none.
     */
    public SynthOptions withHives(HiveMemoryWriter.HivePlacement placement) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                compressedStore, compressedPages, placement, bulk, vbs);
    }

    /** Gives explorer.exe bulk private memory, resident and paged out, for throughput benchmarks. */
    public SynthOptions withBulk(Bulk memory) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                compressedStore, compressedPages, hives, memory, vbs);
    }

    /**
     * Whether Virtual Secure Mode was running (see {@link #vbs()}).
     *
     * @since 0.1
     */
    public SynthOptions withVbs(boolean running) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                compressedStore, compressedPages, hives, bulk, running);
    }
}
