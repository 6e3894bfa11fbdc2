package org.vestige.synth.internal;

/**
 * Constant kernel tables that analyses of any tool read, with the values a running kernel holds, and the
 * debugger's version block.
 */
final class KernelTables {

    private static final int PAGE_NOACCESS = 0x01;
    private static final int PAGE_READONLY = 0x02;
    private static final int PAGE_READWRITE = 0x04;
    private static final int PAGE_WRITECOPY = 0x08;
    private static final int PAGE_EXECUTE = 0x10;
    private static final int PAGE_EXECUTE_READ = 0x20;
    private static final int PAGE_EXECUTE_READWRITE = 0x40;
    private static final int PAGE_EXECUTE_WRITECOPY = 0x80;
    private static final int PAGE_GUARD = 0x100;
    private static final int PAGE_NOCACHE = 0x200;
    private static final int PAGE_WRITECOMBINE = 0x400;

    /**
     * {@code nt!MmProtectToValue}: the PAGE_* value of each of the 32 MM_* protection indices a VAD or PTE
     * holds. Rows of eight: the plain protections, then the same OR'd with PAGE_NOCACHE, PAGE_GUARD and
     * PAGE_WRITECOMBINE, each row's index 0 being PAGE_NOACCESS. Source: the Windows Research Kernel's
     * {@code base/ntos/mm/mminit.c} (the table's definition), matched by ReactOS's {@code ntoskrnl/mm/ARM3}.
     */
    static int[] protectToValue() {
        int[] plain = {PAGE_NOACCESS, PAGE_READONLY, PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_READWRITE,
            PAGE_WRITECOPY, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY};
        int[] modifiers = {0, PAGE_NOCACHE, PAGE_GUARD, PAGE_WRITECOMBINE};
        int[] table = new int[32];
        for (int row = 0; row < 4; row++) {
            for (int i = 0; i < 8; i++) {
                table[row * 8 + i] = i == 0 ? PAGE_NOACCESS : plain[i] | modifiers[row];
            }
        }
        return table;
    }

    /** @return the 128 bytes of {@code MmProtectToValue} (32 little-endian ULONGs) */
    static byte[] protectToValueBytes() {
        int[] t = protectToValue();
        byte[] b = new byte[t.length * 4];
        for (int i = 0; i < t.length; i++) {
            Le.put(b, i * 4, t[i], 4);
        }
        return b;
    }

    /** Size of {@code _DBGKD_GET_VERSION64}. */
    static final int VERSION_BLOCK_SIZE = 0x28;

    /**
     * {@code nt!KdVersionBlock}, a {@code _DBGKD_GET_VERSION64} (layout from the Debugging Tools'
     * {@code wdbgexts.h}/{@code windbgkd.h}): MajorVersion 0xF (a free build), MinorVersion the build number,
     * protocol 6, flags MP | DATA | PTR64, machine AMD64 (the packet-count bytes stay 0), then KernBase,
     * PsLoadedModuleList and DebuggerDataList (the list the KDBG block's header is linked into).
     */
    static byte[] versionBlock(int build, long kernBase, long psLoadedModuleList, long debuggerDataList) {
        byte[] b = new byte[VERSION_BLOCK_SIZE];
        Le.put(b, 0, 0xF, 2);
        Le.put(b, 2, build, 2);
        b[4] = 6;
        Le.put(b, 6, 0x1 | 0x2 | 0x4, 2);
        Le.put(b, 8, 0x8664, 2);
        Le.put(b, 0x10, kernBase, 8);
        Le.put(b, 0x18, psLoadedModuleList, 8);
        Le.put(b, 0x20, debuggerDataList, 8);
        return b;
    }

    private KernelTables() {
    }
}
