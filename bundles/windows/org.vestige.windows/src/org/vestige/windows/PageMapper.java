package org.vestige.windows;

import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * Enumerates the pages of one address space (memmap): every page whose page-table entry is not
 * zero, resident or not. Valid entries are reported as {@link PageProvenance.Physical}; invalid ones
 * are decoded with the kernel's PTE layout exactly as a read would (transition, demand zero, paging
 * file, prototype), and a page table that is itself not resident is reported once for the span it
 * would map. Tables that are absent are skipped whole, so a sparse 128 TiB user space costs only the
 * tables that exist.
 *
 * @since 0.1
 */
public final class PageMapper {

    /** One past the highest user-mode address of x64 Windows. */
    public static final long USER_END = 0x0000800000000000L;
    private static final int[] SHIFTS = {39, 30, 21, 12};
    private static final String[] NAMES = {"PML4E", "PDPTE", "PDE", "PTE"};

    private final X64Layer space;
    private final X64Translator translator;
    private final long frameMask;

    public PageMapper(X64Layer space) {
        this.space = Objects.requireNonNull(space);
        this.translator = space.translator();
        this.frameMask = translator.layout().frameMask();
    }

    /**
     * Receives the pages in address order.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Visitor {
        /** @return false to stop */
        boolean visit(MappedPage page);
    }

    /** Visits the user-mode pages. */
    public boolean forEachUserPage(Visitor visitor) {
        return forEach(0, USER_END, visitor);
    }

    /**
     * Visits the pages whose first byte lies in {@code [start, end)} (unsigned; kernel addresses in
     * canonical form).
     *
     * @return false when the visitor stopped the walk
     */
    public boolean forEach(long start, long end, Visitor visitor) {
        return table(space.dtb() & frameMask, 0, 0L, start, end, visitor);
    }

    private boolean table(long tablePa, int level, long prefix, long start, long end, Visitor visitor) {
        int shift = SHIFTS[level];
        long span = 1L << shift;
        PageWalk walk = new PageWalk();
        for (int i = 0; i < 512; i++) {
            long raw = prefix | ((long) i << shift);
            long va = (raw << 16) >> 16;
            if (Long.compareUnsigned(va + span - 1, start) < 0) {
                continue;
            }
            if (Long.compareUnsigned(va, end) >= 0) {
                return true;
            }
            long entry = translator.physicalQword(tablePa + ((long) i << 3), 0);
            if (entry == 0) {
                continue;
            }
            if (level == 0 && (entry & frameMask) == (space.dtb() & frameMask)) {
                continue; // the self-referencing slot maps the tables themselves
            }
            boolean present = (entry & 1) != 0;
            if (level == 3) {
                translator.decode(space.dtb(), va, entry, walk, 0);
                if (!visitor.visit(new MappedPage(va, span, entry, walk.provenance(translator),
                        walk.kind == PageWalk.PAGEFILE ? walk.slot : -1))) {
                    return false;
                }
                continue;
            }
            if (present && level > 0 && (entry & 0x80) != 0) {
                long pa = entry & frameMask & ~(span - 1);
                if (!visitor.visit(new MappedPage(va, span, entry, new PageProvenance.Physical(pa)))) {
                    return false;
                }
                continue;
            }
            long next;
            if (present) {
                next = entry & frameMask;
            } else if (translator.layout().transition(entry) && !translator.layout().prototype(entry)) {
                next = translator.layout().transitionAddress(entry);
            } else {
                if (!visitor.visit(new MappedPage(va, span, entry, new PageProvenance.Missing(
                        new MissingCause.Unreadable(), "page table not resident ("
                        + NAMES[level] + " 0x" + Long.toHexString(entry) + ")")))) {
                    return false;
                }
                continue;
            }
            if (!table(next, level + 1, raw, start, end, visitor)) {
                return false;
            }
        }
        return true;
    }
}
