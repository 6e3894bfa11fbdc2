package org.vestige.layer.crashdump;

import java.util.List;

/** Small kernel crash dumps for the fuzzing corpus, made by the crash dump tests' {@link KernelDumpBuilder}. */
public final class CrashDumpSeeds {

    private CrashDumpSeeds() {
    }

    /** A complete dump of two runs, a 32-bit one, a kernel bitmap dump and a triage-less bitmap full dump. */
    public static List<byte[]> dumps(byte[] image) {
        int pages = image.length / KernelDumpBuilder.PAGE;
        long[][] runs = {{0, 2}, {4, pages - 4}};
        boolean[] present = new boolean[pages];
        for (int i = 0; i < pages; i += 2) {
            present[i] = true;
        }
        return List.of(KernelDumpBuilder.fullDump(image, runs), KernelDumpBuilder.fullDump32(image, runs),
                KernelDumpBuilder.bitmapDump(image, present, "SDMP", 5),
                KernelDumpBuilder.bitmapDump(image, present, "FDMP", 6));
    }
}
