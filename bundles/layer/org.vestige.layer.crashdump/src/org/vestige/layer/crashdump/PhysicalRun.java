package org.vestige.layer.crashdump;

/**
 * A run of physically contiguous pages stored contiguously in a dump file.
 *
 * @param basePage   page frame number of the first page
 * @param pageCount  number of pages in the run
 * @param fileOffset where the run's first page is stored in the dump file
 * @since 0.1
 */
public record PhysicalRun(long basePage, long pageCount, long fileOffset) {

    /** @return the physical address of the first byte of the run */
    public long physicalAddress() {
        return basePage << 12;
    }

    /** @return the run's length in bytes */
    public long byteCount() {
        return pageCount << 12;
    }
}
