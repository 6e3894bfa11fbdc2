package org.vestige.core.layer;

/**
 * Receives the provenance of each run of bytes a {@link Layer#read} touched, in address order.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProvenanceSink {

    /** A sink that discards provenance, for callers that only want the bytes. */
    ProvenanceSink IGNORE = (address, length, provenance) -> {
    };

    /**
     * @param address    first address of the run, in the reading layer's address space
     * @param length     length of the run in bytes (&gt; 0)
     * @param provenance where the run's bytes came from
     */
    void accept(long address, int length, PageProvenance provenance);
}
