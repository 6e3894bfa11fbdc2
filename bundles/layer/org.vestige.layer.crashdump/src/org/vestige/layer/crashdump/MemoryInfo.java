package org.vestige.layer.crashdump;

/**
 * A region of the process's address space as {@code VirtualQuery} described it
 * ({@code MINIDUMP_MEMORY_INFO}): whether it was committed, reserved or free and its protection,
 * whether or not its bytes were captured.
 *
 * @param baseAddress       region start
 * @param allocationBase    start of the allocation the region belongs to
 * @param allocationProtect protection given at allocation
 * @param regionSize        region length
 * @param state             {@code MEM_COMMIT} 0x1000, {@code MEM_RESERVE} 0x2000, {@code MEM_FREE} 0x10000
 * @param protect           current protection ({@code PAGE_*})
 * @param type              {@code MEM_PRIVATE} 0x20000, {@code MEM_MAPPED} 0x40000, {@code MEM_IMAGE} 0x1000000
 * @since 0.1
 */
public record MemoryInfo(long baseAddress, long allocationBase, int allocationProtect, long regionSize, int state,
        int protect, int type) {
}
