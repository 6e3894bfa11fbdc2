package org.vestige.windows;

/**
 * One paging file the kernel has open, from its {@code _MMPAGING_FILE}.
 *
 * @param slot         PageFileNumber: the number software PTEs name (PageFileLow)
 * @param name         PageFileName (e.g. {@code \??\C:\pagefile.sys}), or why it cannot be read
 * @param sizePages    Size, in 4 KiB pages
 * @param swapfile     WsSwapPagefile: swapfile.sys, holding the working sets of suspended apps
 * @param virtualStore VirtualStorePagefile: the memory-compression store's virtual paging file
 * @param address      virtual address of the _MMPAGING_FILE
 * @since 0.1
 */
public record PagingFile(int slot, Readout<String> name, long sizePages, boolean swapfile, boolean virtualStore,
        long address) {
}
