package org.vestige.registry;

/**
 * A hive bin ("hbin"): a run of 4 KiB blocks holding cells, with a 32-byte header.
 *
 * @param offset    hive offset of the bin (its header)
 * @param size      size in bytes, a multiple of 4096
 * @param timestamp FILETIME in the header (meaningful in the first bin only)
 * @since 0.1
 */
public record HiveBin(long offset, long size, long timestamp) {

    /** Size of the bin header; the first cell follows it. */
    public static final int HEADER_SIZE = 32;
}
