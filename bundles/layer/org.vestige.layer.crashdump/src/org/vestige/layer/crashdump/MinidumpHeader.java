package org.vestige.layer.crashdump;

import java.time.Instant;

/**
 * A minidump's {@code MINIDUMP_HEADER} (32 bytes at offset 0).
 *
 * @param version               the format version (low 16 bits of {@code Version}, 0xa793)
 * @param implementationVersion the writer-specific high 16 bits of {@code Version}
 * @param numberOfStreams       entries in the stream directory
 * @param streamDirectoryRva    file offset of the stream directory
 * @param checkSum              {@code CheckSum} (usually 0)
 * @param timeDateStamp         when the dump was written
 * @param flags                 the {@code MINIDUMP_TYPE} flags the writer used (2 = full memory)
 * @since 0.1
 */
public record MinidumpHeader(int version, int implementationVersion, long numberOfStreams, long streamDirectoryRva,
        int checkSum, Instant timeDateStamp, long flags) {

    /** "MDMP" read as a little-endian integer. */
    public static final int SIGNATURE = 0x504d444d;

    /** {@code MINIDUMP_VERSION}. */
    public static final int VERSION = 0xa793;

    /** {@code MiniDumpWithFullMemory}. */
    public static final long WITH_FULL_MEMORY = 0x2;
}
