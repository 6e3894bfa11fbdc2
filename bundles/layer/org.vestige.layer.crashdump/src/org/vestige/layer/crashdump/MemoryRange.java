package org.vestige.layer.crashdump;

/**
 * A captured range of process memory: {@code size} bytes at virtual address {@code base}, stored at
 * {@code fileOffset} in the minidump (from a {@code MINIDUMP_MEMORY_DESCRIPTOR} or, in full-memory
 * dumps, a {@code MINIDUMP_MEMORY_DESCRIPTOR64} placed after the ones before it).
 *
 * @since 0.1
 */
public record MemoryRange(long base, long size, long fileOffset) {

    /** @return one past the range's last address */
    public long end() {
        return base + size;
    }

    /** @return whether {@code address} lies in the range */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address - base, size) < 0;
    }
}
