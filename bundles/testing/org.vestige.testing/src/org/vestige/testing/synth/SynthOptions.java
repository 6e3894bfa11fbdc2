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
 * @since 0.1
 */
public record SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
        long physicalSize, boolean swapfile) {

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

    public SynthOptions {
        if (svchostCount < 0 || svchostCount > 200) {
            throw new IllegalArgumentException("svchostCount " + svchostCount + " outside 0..200");
        }
    }

    /** Options without swapfile.sys. */
    public SynthOptions(long seed, int build, boolean lowStub, boolean encodedKdbg, int svchostCount, Smear smear,
            long physicalSize) {
        this(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, false);
    }

    /** Defaults: low stub present, plain KDBG, six svchost.exe, no smear, 2 GiB. */
    public static SynthOptions of(long seed, int build) {
        return new SynthOptions(seed, build, true, false, 6, Smear.NONE, 2L << 30, false);
    }

    public SynthOptions withLowStub(boolean present) {
        return new SynthOptions(seed, build, present, encodedKdbg, svchostCount, smear, physicalSize, swapfile);
    }

    public SynthOptions withEncodedKdbg(boolean encoded) {
        return new SynthOptions(seed, build, lowStub, encoded, svchostCount, smear, physicalSize, swapfile);
    }

    public SynthOptions withSmear(Smear kind) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, kind, physicalSize, swapfile);
    }

    public SynthOptions withSvchostCount(int count) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, count, smear, physicalSize, swapfile);
    }

    /** Also swaps a page of notepad.exe's image out to swapfile.sys (page-file number 1). */
    public SynthOptions withSwapfile(boolean swapped) {
        return new SynthOptions(seed, build, lowStub, encodedKdbg, svchostCount, smear, physicalSize, swapped);
    }
}
