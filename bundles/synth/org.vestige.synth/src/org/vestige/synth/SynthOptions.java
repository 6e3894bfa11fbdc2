package org.vestige.synth;

/**
 * What to synthesize: the seed that decides every random choice, the Windows build (written into
 * {@code _KUSER_SHARED_DATA} and the exported {@code NtBuildNumber}; needed when the profile does
 * not carry it), and which features or damage the image gets. Built with {@link #builder()}:
 *
 * <pre>
 * SynthOptions options = SynthOptions.builder().seed(1).windowsBuild(19041).sizeMib(256).vbs(true).build();
 * </pre>
 *
 * Equal options give equal images from the same profile, so options can key a cache of images.
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
 * @param hives         whether SYSTEM, SAM, SECURITY and SOFTWARE hives are loaded in memory (linked from
 *                      CmpHiveListHead) and where the SAM's pages are; null for no hives
 * @param bulk          bulk private memory of explorer.exe for benchmarks, or null
 * @param vbs           whether Virtual Secure Mode was running: the image gets the Secure System process,
 *                      LsaIso.exe as a secure (IUM) process whose private pages read as zeros the way a
 *                      VTL0 acquisition sees them, {@code VslVsmEnabled} set, Secure Boot on, and (with hives)
 *                      the DeviceGuard and LsaCfgFlags values in SYSTEM
 * @param plants        whether the image carries the malware plants a triage must find (code injected into
 *                      processes, a hollowed process, an unlinked DLL, a thread starting in private memory, a
 *                      process unlinked from the active list, a rogue driver, a hooked system service); without
 *                      them it is a clean machine on which such checks must find nothing
 * @param extraProcess  the image name of one further process started by explorer.exe, so that one machine of a
 *                      synthesized fleet runs a program no other runs; null for none
 * @param dense         whether the frames no structure uses hold what a running machine leaves in them (zeroed
 *                      pages, text, UTF-16 strings, high-entropy and compressed data, freed pool blocks; see
 *                      {@link PhysicalImageWriter#fillFreeFrames}), as the {@code synth} command does unless given
 *                      {@code --sparse}; false leaves them holes, which reads as zeros and keeps images small and
 *                      quick to write for tests
 * @since 0.1
 */
public record SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
        long physicalSize, boolean swapfile, CompressedStore compressedStore, int compressedPages,
        HiveMemoryWriter.HivePlacement hives, Bulk bulk, boolean vbs, boolean plants, String extraProcess,
        boolean dense) {

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
        VAD_CYCLE,
        /** the level-1 handle table's page has a slot pointing back at the page itself */
        HANDLE_TABLE_CYCLE,
        /** one handle table entry's object pointer leads to unmapped memory */
        HANDLE_WILD_OBJECT,
        /** one object's header TypeIndex is encoded with a wrong cookie, so it names no type */
        HANDLE_BAD_TYPE
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
        if (smear == null) {
            throw new IllegalArgumentException("smear must be given (NONE for an intact image)");
        }
        if (compressedStore == null) {
            throw new IllegalArgumentException("compressedStore must be given (NONE for no store)");
        }
        if (compressedPages < 0 || compressedPages > MAX_COMPRESSED_PAGES) {
            throw new IllegalArgumentException("compressedPages " + compressedPages + " outside 0.."
                    + MAX_COMPRESSED_PAGES);
        }
        if (physicalSize <= 0 || (physicalSize & 0xfff) != 0) {
            throw new IllegalArgumentException("physical memory of " + physicalSize
                    + " bytes is not a positive number of 4 KiB pages");
        }
        if (extraProcess != null && (extraProcess.isEmpty() || extraProcess.length() > 14
                || !extraProcess.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\'))) {
            throw new IllegalArgumentException("extra process name '" + extraProcess
                    + "' is not 1 to 14 printable ASCII characters without spaces or backslashes"
                    + " (_EPROCESS.ImageFileName keeps 15 bytes)");
        }
    }

    /**
     * @return a builder with the defaults: seed 1, the profile's build, the low stub present, a plain
     *         KDBG, six svchost.exe, no smear, 2 GiB, no swapfile, no compressed store, no hives, no
     *         bulk memory, no Virtual Secure Mode, the malware plants, no extra process, sparse (free frames
     *         left holes)
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options, to derive others from them */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.build = build;
        b.lowStub = lowStub;
        b.encodedKdbg = encodedKdbg;
        b.svchostCount = svchostCount;
        b.smear = smear;
        b.physicalSize = physicalSize;
        b.swapfile = swapfile;
        b.compressedStore = compressedStore;
        b.compressedPages = compressedPages;
        b.hives = hives;
        b.bulk = bulk;
        b.vbs = vbs;
        b.plants = plants;
        b.extraProcess = extraProcess;
        b.dense = dense;
        return b;
    }

    /**
     * Builds {@link SynthOptions}; every setter names what it sets, and {@link #build()} checks the whole.
     *
     * @since 0.1
     */
    public static final class Builder {
        private long seed = 1;
        private int build;
        private boolean lowStub = true;
        private boolean encodedKdbg;
        private int svchostCount = 6;
        private Smear smear = Smear.NONE;
        private long physicalSize = 2L << 30;
        private boolean swapfile;
        private CompressedStore compressedStore = CompressedStore.NONE;
        private int compressedPages;
        private HiveMemoryWriter.HivePlacement hives;
        private Bulk bulk;
        private boolean vbs;
        private boolean plants = true;
        private String extraProcess;
        private boolean dense;

        private Builder() {
        }

        /** The seed every random choice derives from. */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** The Windows build number (e.g. 19041); 0 (the default) takes it from the profile. */
        public Builder windowsBuild(int number) {
            build = number;
            return this;
        }

        /** Whether a {@code _PROCESSOR_START_BLOCK} is left in low memory (default: yes). */
        public Builder lowStub(boolean present) {
            lowStub = present;
            return this;
        }

        /** Whether the KDBG block is encoded (needs the KdpDataBlockEncoded and KiWait* symbols). */
        public Builder encodedKdbg(boolean encoded) {
            encodedKdbg = encoded;
            return this;
        }

        /** How many svchost.exe processes to create (0..200, default 6). */
        public Builder svchostCount(int count) {
            svchostCount = count;
            return this;
        }

        /** Damage to a kernel list or tree, as acquisition smear leaves it. */
        public Builder smear(Smear kind) {
            smear = kind;
            return this;
        }

        /** The machine's physical memory in bytes. */
        public Builder physicalSize(long bytes) {
            physicalSize = bytes;
            return this;
        }

        /** The machine's physical memory in MiB. */
        public Builder sizeMib(long mib) {
            return physicalSize(mib << 20);
        }

        /** Also swaps a page of notepad.exe's image out to swapfile.sys (page-file number 1). */
        public Builder swapfile(boolean swapped) {
            swapfile = swapped;
            return this;
        }

        /**
         * Gives the image a memory-compression store ({@link CompressedStore#NONE} for none): pages of
         * notepad.exe's image, lsass.exe and explorer.exe held compressed in two stores of MemCompression.
         */
        public Builder compressedStore(CompressedStore kind) {
            compressedStore = kind;
            return this;
        }

        /** Adds {@code count} further compressed pages (a private VAD of explorer.exe) to the store. */
        public Builder compressedPages(int count) {
            compressedPages = count;
            return this;
        }

        /**
         * Loads SYSTEM, SAM, SECURITY and SOFTWARE hives in memory, linked from CmpHiveListHead, with the SAM's
         * pages resident, in pagefile.sys, in the compressed store (which then needs {@link #compressedStore}) or
         * scattered; null for none.
         */
        public Builder hives(HiveMemoryWriter.HivePlacement placement) {
            hives = placement;
            return this;
        }

        /** Gives explorer.exe bulk private memory, resident and paged out, for throughput benchmarks; null for none. */
        public Builder bulk(Bulk memory) {
            bulk = memory;
            return this;
        }

        /** Whether Virtual Secure Mode was running (see {@link SynthOptions#vbs()}). */
        public Builder vbs(boolean running) {
            vbs = running;
            return this;
        }

        /** Whether the image carries the malware plants (see {@link SynthOptions#plants()}). */
        public Builder plants(boolean carried) {
            plants = carried;
            return this;
        }

        /** One further process started by explorer.exe, by image name (see {@link SynthOptions#extraProcess()}). */
        public Builder extraProcess(String imageName) {
            extraProcess = imageName;
            return this;
        }

        /** Whether free frames hold what a running machine leaves in them (see {@link SynthOptions#dense()}). */
        public Builder dense(boolean filled) {
            dense = filled;
            return this;
        }

        /** @throws IllegalArgumentException when the options contradict each other or are out of range */
        public SynthOptions build() {
            return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapfile,
                    compressedStore, compressedPages, hives, bulk, vbs, plants, extraProcess, dense);
        }
    }
}
