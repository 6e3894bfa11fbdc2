package org.vestige.core.store;

import java.util.Objects;

/**
 * What an operating system's kernel records about one of its paging files (on Windows, an
 * {@code _MMPAGING_FILE}): the page-file number its software PTEs carry, its name and size, and
 * whether it is the working-set swap file or the memory-compression (virtual) store.
 *
 * @param slot         the page-file number (0..15)
 * @param name         the file name as the kernel has it (e.g. {@code \??\C:\pagefile.sys}); empty for the
 *                     virtual store
 * @param sizeBytes    the file's size as the kernel knows it, in bytes
 * @param swapfile     true for the working-set swap file (swapfile.sys)
 * @param virtualStore true for the memory-compression store, which has no file
 * @param address      where the record was read (kernel virtual address), for messages
 * @since 0.1
 */
public record PagingFileRecord(int slot, String name, long sizeBytes, boolean swapfile, boolean virtualStore,
        long address) {

    public PagingFileRecord {
        if (slot < 0 || slot > 15) {
            throw new IllegalArgumentException("page-file number " + slot + " is outside 0..15");
        }
        Objects.requireNonNull(name, "name");
    }

    /** @return the last component of the name ({@code pagefile.sys}), or "" for the virtual store */
    public String fileName() {
        return name.replaceAll(".*[\\\\/]", "");
    }
}
