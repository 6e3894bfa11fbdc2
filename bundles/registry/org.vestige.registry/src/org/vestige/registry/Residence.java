package org.vestige.registry;

import org.vestige.core.layer.PageProvenance;

/**
 * Where the page behind a block of a loaded hive is, as the page tables say: the question an analyst
 * asks before trusting (or explaining the absence of) what an in-memory hive reads as. A page may be
 * where its PTE says and still not be readable, for instance compressed when the store is not read;
 * {@link HiveResidence} counts both.
 *
 * @since 0.1
 */
public enum Residence {
    /** In a physical frame of the image. */
    RESIDENT("resident"),
    /** On the standby or modified list: still in its frame. */
    TRANSITION("transition"),
    /** Paged out to a paging file (pagefile.sys, swapfile.sys). */
    PAGEFILE("pagefile"),
    /** Held in the memory-compression store. */
    COMPRESSED("compressed"),
    /** Committed but never written: zero by definition, which a hive block never legitimately is. */
    DEMAND_ZERO("demand-zero"),
    /** Nowhere the evidence can reach: not captured, no valid entry, no cell-map entry. */
    MISSING("missing");

    private final String label;

    Residence(String label) {
        this.label = label;
    }

    /** @return a short lower-case label, stable across versions */
    public String label() {
        return label;
    }

    /**
     * @return the residence a read's provenance shows; a {@link PageProvenance.Missing} page is
     *         {@link #MISSING} here (a {@link HiveResidence.Classifier} that can see the page tables
     *         may know better)
     */
    public static Residence of(PageProvenance provenance) {
        return switch (provenance) {
            case PageProvenance.Physical p -> RESIDENT;
            case PageProvenance.Evidence e -> RESIDENT;
            case PageProvenance.FileBacked f -> RESIDENT;
            case PageProvenance.Transition t -> TRANSITION;
            case PageProvenance.Pagefile p -> PAGEFILE;
            case PageProvenance.Compressed c -> COMPRESSED;
            case PageProvenance.DemandZero d -> DEMAND_ZERO;
            case PageProvenance.Missing m -> MISSING;
        };
    }
}
