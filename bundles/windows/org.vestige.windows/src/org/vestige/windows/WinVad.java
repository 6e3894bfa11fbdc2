package org.vestige.windows;

/**
 * One virtual address descriptor: a reserved range of a process's user address space.
 *
 * @param node          virtual address of the _MMVAD_SHORT / _MMVAD
 * @param start         first byte of the range
 * @param end           last byte of the range (inclusive)
 * @param protection    VadFlags.Protection, an MM_* protection index (see {@link #protectionName()})
 * @param vadType       VadFlags.VadType (0 none, 1 device physical memory, 2 image map, 3 AWE, 4 write
 *                      watch, 5 large pages, 6 rotate physical, 7 large page section)
 * @param privateMemory VadFlags.PrivateMemory: private (heap, stack) rather than a mapped section
 * @param commitCharge  committed pages charged to the range
 * @param file          for a mapped section, the file's name (_FILE_OBJECT.FileName through
 *                      Subsection → ControlArea → FilePointer) or why it cannot be read; null for
 *                      private memory
 * @since 0.1
 */
public record WinVad(long node, long start, long end, int protection, int vadType, boolean privateMemory,
        long commitCharge, Readout<String> file) {

    /** VadFlags.VadType of an image map: a PE image mapped as the loader maps modules. */
    public static final int IMAGE = 2;

    /** @return whether the VAD maps an image ({@link #IMAGE}) */
    public boolean image() {
        return vadType == IMAGE;
    }

    private static final String[] PROTECTIONS = {"PAGE_NOACCESS", "PAGE_READONLY", "PAGE_EXECUTE",
        "PAGE_EXECUTE_READ", "PAGE_READWRITE", "PAGE_WRITECOPY", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY"};

    /** @return the Win32 name of the protection (modifiers in bits 3–4: NOCACHE, GUARD, WRITECOMBINE) */
    public String protectionName() {
        String base = PROTECTIONS[protection & 7];
        return switch (protection >>> 3) {
            case 1 -> base + "|PAGE_NOCACHE";
            case 2 -> base + "|PAGE_GUARD";
            case 3 -> base + "|PAGE_WRITECOMBINE";
            default -> base;
        };
    }

    /** @return the number of pages the range spans */
    public long pages() {
        return ((end - start) >>> 12) + 1;
    }

    public boolean contains(long va) {
        return Long.compareUnsigned(va, start) >= 0 && Long.compareUnsigned(va, end) <= 0;
    }
}
