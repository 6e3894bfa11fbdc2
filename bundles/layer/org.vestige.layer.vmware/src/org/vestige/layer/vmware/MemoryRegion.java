package org.vestige.layer.vmware;

/**
 * One run of guest physical memory as a checkpoint's {@code memory} group describes it with its
 * {@code regionPPN[i]}, {@code regionPageNum[i]} and {@code regionSize[i]} tags: {@code pages} pages
 * starting at guest page {@code physicalPage} are stored from page {@code memoryPage} of the memory
 * (the {@code .vmem}, or the {@code Memory} block of the state file). Guest addresses between regions
 * (the PCI hole below 4 GiB) are not memory.
 *
 * @param physicalPage first guest physical page number
 * @param memoryPage   first page within the memory file or block
 * @param pages        number of 4 KiB pages
 * @since 0.1
 */
public record MemoryRegion(long physicalPage, long memoryPage, long pages) {

    /** The page size of every VMware x86 guest. */
    public static final int PAGE_SIZE = 4096;

    /** @return the first guest physical address */
    public long physicalStart() {
        return physicalPage * PAGE_SIZE;
    }

    /** @return one past the last guest physical address */
    public long physicalEnd() {
        return (physicalPage + pages) * PAGE_SIZE;
    }

    /** @return the offset of the region's first byte within the memory */
    public long memoryOffset() {
        return memoryPage * PAGE_SIZE;
    }

    /** @return the region's length in bytes */
    public long length() {
        return pages * PAGE_SIZE;
    }
}
