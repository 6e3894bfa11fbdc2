package org.vestige.registry;

/**
 * One 4 KiB block of a hive loaded in memory and where its cell map puts it.
 *
 * @param hiveOffset     the block's hive offset (bit 31 set for volatile storage)
 * @param virtualAddress the block's virtual address when {@link #mapped()}, else 0
 * @param unmapped       {@code null} when the cell map gives the block an address, else why it gives none
 * @since 0.1
 */
public record HiveBlock(long hiveOffset, long virtualAddress, String unmapped) {

    /** @return true when the cell map gives the block a virtual address */
    public boolean mapped() {
        return unmapped == null;
    }

    /** @return true when the block belongs to volatile storage (exists only in memory) */
    public boolean isVolatile() {
        return (hiveOffset & HiveSource.VOLATILE_BIT) != 0;
    }
}
