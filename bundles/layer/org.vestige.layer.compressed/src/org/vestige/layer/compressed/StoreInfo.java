package org.vestige.layer.compressed;

import java.util.List;

/**
 * One store of the memory-compression store manager, as {@code windows.compressed.info} shows it.
 *
 * @param index          the store's index in the manager (KeyToStoreTree values)
 * @param address        the _SMKM_STORE
 * @param owner          the owning process's _EPROCESS (the store's OwnerProcess)
 * @param ownerName      its ImageFileName, or why it cannot be read
 * @param ownerDtb       its directory table base, or 0
 * @param regionArray    the array of region pointers
 * @param algorithm      the store's CompressionAlgorithm value, or -1 when the build's layout does not say where
 * @param codec          the codec its pages are decoded with
 * @param keys           keys KeyToStoreTree assigns to this store
 * @param pages          entries of the store's PagesTree
 * @param compressed     pages stored compressed
 * @param raw            pages stored uncompressed
 * @param zero           zero pages
 * @param moved          page records that had moved (followed to their new record)
 * @param regions        distinct regions the pages lie in
 * @param storedBytes    bytes the pages occupy in their regions
 * @param unresolved     pages whose record or region could not be read
 * @param problems       what is wrong with the store or its index, in the analyst's words
 * @since 0.1
 */
public record StoreInfo(int index, long address, long owner, String ownerName, long ownerDtb, long regionArray,
        int algorithm, String codec, long keys, long pages, long compressed, long raw, long zero, long moved,
        int regions, long storedBytes, long unresolved, List<String> problems) {

    public StoreInfo {
        problems = List.copyOf(problems);
    }
}
