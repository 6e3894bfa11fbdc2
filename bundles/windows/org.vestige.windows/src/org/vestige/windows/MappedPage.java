package org.vestige.windows;

import org.vestige.core.layer.PageProvenance;

/**
 * One page (or large page) of an address space with a non-zero page-table entry, and where its
 * bytes are: resident, in transition, demand zero, in a paging file, behind a prototype PTE, or
 * {@link PageProvenance.Missing} with the reason.
 *
 * @param va         first virtual address of the page
 * @param size       page size (4 KiB, 2 MiB, 1 GiB; or the span of a non-resident page table)
 * @param entry      the raw leaf entry (PTE, or PDE/PDPTE for large pages and non-resident tables)
 * @param provenance where the page's bytes come from
 * @param pageFile   the page-file number a software PTE (its own, or the prototype PTE it leads to) names,
 *                   whether or not a store could supply the page; -1 for other pages
 * @since 0.1
 */
public record MappedPage(long va, long size, long entry, PageProvenance provenance, int pageFile) {

    /** A page whose entry names no paging file. */
    public MappedPage(long va, long size, long entry, PageProvenance provenance) {
        this(va, size, entry, provenance, -1);
    }
}
