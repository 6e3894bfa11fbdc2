package org.vestige.core.store;

import java.util.List;

import org.vestige.core.evidence.EvidenceCase;

/**
 * Builds the backing stores of one kind for a case, contributed through the
 * {@code org.vestige.core.backingStores} extension point: from paging files the analyst supplied,
 * from streams inside the evidence, or from kernel structures.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface BackingStoreProvider {

    /**
     * @return the stores this provider can offer for the case (possibly none), each with a page-file
     *         number; problems (a file too small for the kernel's record, say) are reported by the
     *         stores' provenance, not thrown
     */
    List<BackingStore> create(EvidenceCase evidenceCase);
}
