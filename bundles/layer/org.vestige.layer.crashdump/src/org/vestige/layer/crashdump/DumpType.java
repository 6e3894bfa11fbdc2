package org.vestige.layer.crashdump;

/**
 * The {@code DumpType} of a kernel crash dump header, which says how the file stores memory.
 *
 * @since 0.1
 */
public enum DumpType {

    /** 1: complete memory dump; pages follow the header in the order of the PhysicalMemoryBlock runs. */
    FULL(1, "full (runs)"),
    /** 2: kernel (summary) dump; a bitmap header follows the main header (older x86 kernels: runs). */
    SUMMARY(2, "kernel summary"),
    /** 3: header only, no memory. */
    HEADER(3, "header only"),
    /** 4: triage (small memory) dump: the crashing context, driver list and selected kernel data blocks. */
    TRIAGE(4, "triage"),
    /** 5: bitmap complete dump ('FDMP' bitmap header). */
    BITMAP_FULL(5, "bitmap full"),
    /** 6: bitmap kernel dump ('SDMP' bitmap header), also written for live kernel dumps. */
    BITMAP_KERNEL(6, "bitmap kernel"),
    /** 7: automatic dump (written as a kernel summary dump). */
    AUTOMATIC(7, "automatic"),
    /** 8: kernel memory dump with an 'RDMP' header and PFN ranges ({@code .dump /k}). */
    KERNEL_MEMORY(8, "kernel memory (RDMP)"),
    /** 9: kernel and user memory dump with an 'RDMP' header and PFN ranges ({@code .dump /ka}). */
    KERNEL_AND_USER_MEMORY(9, "kernel and user memory (RDMP)"),
    /** 10: complete memory dump with an 'RDMP' header and PFN ranges ({@code .dump /f}). */
    COMPLETE_MEMORY(10, "complete memory (RDMP)"),
    /** Any other value. */
    UNKNOWN(-1, "unknown");

    private final int code;
    private final String label;

    DumpType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** @return the header's numeric value (-1 for {@link #UNKNOWN}) */
    public int code() {
        return code;
    }

    /** @return a short description, e.g. {@code "bitmap kernel"} */
    public String label() {
        return label;
    }

    /** @return the type with header value {@code code}, or {@link #UNKNOWN} */
    public static DumpType fromCode(int code) {
        for (DumpType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return UNKNOWN;
    }
}
