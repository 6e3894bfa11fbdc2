package org.vestige.core.store;

import java.util.List;
import java.util.Optional;

import org.vestige.core.evidence.EvidenceCase;

/**
 * What a {@link BackingStoreProvider} builds its stores from: the case, and — once an operating
 * system engine has found the kernel in it — what the kernel records about its own paging files
 * and the engine's services, reached by type like Eclipse's {@code IAdaptable}. A paging-file
 * provider needs only the case and the records; a store kept in kernel memory (the Windows
 * memory-compression store) adapts the context to the engine's view of the kernel.
 *
 * @since 0.1
 */
public interface StoreContext {

    /** @return the open case */
    EvidenceCase evidenceCase();

    /**
     * @return the kernel's records of its paging files, by page-file number; empty when no kernel was
     *         found or its records could not be read
     */
    List<PagingFileRecord> kernelPagingFiles();

    /**
     * @return a service of the operating-system engine that found the kernel (for example its kernel
     *         address space and profile), or empty when there is none of that type
     */
    <T> Optional<T> adapt(Class<T> type);

    /** @return a context holding only the case: no kernel records, no engine services */
    static StoreContext of(EvidenceCase evidenceCase) {
        return new StoreContext() {
            @Override
            public EvidenceCase evidenceCase() {
                return evidenceCase;
            }

            @Override
            public List<PagingFileRecord> kernelPagingFiles() {
                return List.of();
            }

            @Override
            public <T> Optional<T> adapt(Class<T> type) {
                return Optional.empty();
            }
        };
    }
}
