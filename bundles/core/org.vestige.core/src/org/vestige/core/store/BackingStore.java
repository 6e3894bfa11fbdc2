package org.vestige.core.store;

import org.vestige.core.layer.PageProvenance;

/**
 * Satisfies pages that are not resident: a paging file (pagefile.sys, swapfile.sys) or the
 * memory-compression store. A translating layer hands a software PTE's page-file number and page
 * offset to the store registered for that number.
 *
 * @since 0.1
 */
public interface BackingStore {

    /** @return a name for provenance and messages, e.g. {@code pagefile.sys} */
    String name();

    /** @return the kernel's page-file number this store serves (0..15) */
    int slot();

    /** @return the size in bytes of what the store holds, or -1 when it has no size (a store in memory) */
    default long size() {
        return -1;
    }

    /**
     * Reads one 4 KiB page.
     *
     * @param pageOffset byte offset of the page in the store (PageFileHigh × 4096)
     * @param buffer     receives 4096 bytes at {@code offset}
     * @return where the page came from, or {@link PageProvenance.Missing} with the reason when the
     *         store cannot supply it (the buffer is then zero-filled)
     */
    PageProvenance readPage(long pageOffset, byte[] buffer, int offset);
}
