package org.vestige.layer.compressed;

/**
 * Where the memory-compression store keeps one page, as its index says.
 *
 * @param key         the store key (from the PTE: page-file number and PageFileHigh)
 * @param store       the store's index in the manager
 * @param regionKey   the PagesTree's value for the key: chunk and page-record number
 * @param record      the page record's kernel address (after following moved records)
 * @param regionIndex the region's index in the store's region array
 * @param region      the region's address in the MemCompression process
 * @param data        the address of the page's bytes in the MemCompression process
 * @param length      the number of bytes stored: 0 for a zero page, 4096 when stored uncompressed
 * @param encoding    how the bytes are stored
 * @param moves       how many moved records were followed
 * @since 0.1
 */
public record PageLocation(long key, int store, long regionKey, long record, int regionIndex, long region, long data,
        int length, Encoding encoding, int moves) {

    /**
     * How a page's bytes are kept.
     *
     * @since 0.1
     */
    public enum Encoding {
        /** compressed with the store's codec */
        COMPRESSED,
        /** 4096 bytes stored as they are (they did not compress) */
        RAW,
        /** a page of zeros: nothing stored */
        ZERO
    }
}
