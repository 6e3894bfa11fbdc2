package org.vestige.registry;

import java.io.Closeable;

/**
 * Where the bytes of a hive come from: a hive file, or the cell maps of a hive loaded in memory and
 * read through a virtual address space. Offsets are <em>hive offsets</em> (cell indexes): stable
 * storage counts from the first hive bin (file offset 0x1000 in a hive file); bit 31 selects volatile
 * storage, which exists only in memory.
 *
 * <p>A source never returns filler as if it were data: bytes it cannot supply make
 * {@link #read(long, byte[], int, int)} throw {@link HiveDataMissingException} naming the first offset
 * that is missing and why. Implementations must be safe for concurrent reads.
 *
 * @since 0.1
 */
public interface HiveSource extends Closeable {

    /** Size in bytes of the base block ("regf" header) and of one hive block. */
    int BLOCK_SIZE = 4096;

    /** Bit of a hive offset that selects volatile storage. */
    long VOLATILE_BIT = 0x8000_0000L;

    /** Human-readable name for messages, e.g. the file path or "\REGISTRY\MACHINE\SYSTEM @ 0xffff...". */
    String name();

    /**
     * Reads the 4096-byte base block.
     *
     * @param buffer receives the block; at least {@link #BLOCK_SIZE} bytes
     * @throws HiveDataMissingException when the base block cannot be read (offset {@link HiveException#NO_CELL})
     */
    void readBaseBlock(byte[] buffer);

    /** @return the number of bytes of stable storage this source can address, or -1 when unknown */
    long stableLength();

    /** @return true when the source holds volatile storage (hives read from memory) */
    default boolean hasVolatileStorage() {
        return false;
    }

    /** @return the number of bytes of volatile storage, 0 when there is none */
    default long volatileLength() {
        return 0;
    }

    /**
     * Reads {@code length} bytes at hive offset {@code hiveOffset} into {@code buffer[offset..]}.
     *
     * @throws HiveDataMissingException when any of the bytes is unavailable; it names the first missing
     *                                  hive offset and the reason
     */
    void read(long hiveOffset, byte[] buffer, int offset, int length);

    /** Releases files. The default does nothing. */
    @Override
    default void close() {
    }
}
