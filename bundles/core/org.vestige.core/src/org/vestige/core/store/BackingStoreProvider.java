package org.vestige.core.store;

import java.util.List;

/**
 * Builds the backing stores of one kind for a case, contributed through the
 * {@code org.vestige.core.backingStores} extension point: from paging files the analyst supplied,
 * from streams inside the evidence, or from kernel structures. Providers are called after the
 * operating system's kernel has been found, so they can match supplied files against the kernel's
 * own paging-file records and read stores kept in kernel memory.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface BackingStoreProvider {

    /**
     * @return the stores this provider can offer for the case (possibly none), each with a page-file
     *         number; problems with one page (a file too small for the kernel's record, say) are
     *         reported by the stores' provenance, problems with a whole store by
     *         {@link BackingStore#problems()}
     * @throws StoreException when the store cannot be built at all (an unknown kernel build, say); the
     *                        message names what is missing and is shown to the analyst
     */
    List<BackingStore> create(StoreContext context) throws StoreException;
}
