package org.vestige.windows;

/** Walks the page tables of one address space over a virtual range, visiting resident pages. */
final class MappedPageWalk {

    private static final int[] SHIFTS = {39, 30, 21, 12};

    private final X64Translator translator;
    private final long dtb;
    private final long start;
    private final long end;
    private final X64Layer.MappedPageVisitor visitor;
    private final long stride;
    private final long frameMask;

    MappedPageWalk(X64Translator translator, long dtb, long start, long end, long stride,
            X64Layer.MappedPageVisitor visitor) {
        this.stride = stride;
        this.translator = translator;
        this.dtb = dtb;
        this.start = start;
        this.end = end;
        this.visitor = visitor;
        this.frameMask = translator.layout().frameMask();
    }

    boolean run() {
        return table(dtb & frameMask, 0, 0L);
    }

    /** @param prefix virtual address bits decided by the upper levels (not yet sign-extended) */
    private boolean table(long tablePa, int level, long prefix) {
        int shift = SHIFTS[level];
        long span = 1L << shift;
        for (int i = 0; i < 512; i++) {
            long raw = prefix | ((long) i << shift);
            long va = (raw << 16) >> 16;
            long last = va + span - 1;
            if (Long.compareUnsigned(last, start) < 0) {
                continue;
            }
            if (Long.compareUnsigned(va, end) >= 0) {
                return true;
            }
            if (span < stride && (va & (stride - 1)) != 0) {
                // only pages on a stride boundary are wanted; skip the entries in between
                continue;
            }
            long entry = translator.physicalQword(tablePa + ((long) i << 3), 0);
            if ((entry & 1) == 0) {
                continue;
            }
            if (level == 0 && (entry & frameMask) == (dtb & frameMask)) {
                // the self-referencing slot maps the page tables themselves, not data
                continue;
            }
            boolean leaf = level == 3 || (level > 0 && (entry & 0x80) != 0);
            if (leaf) {
                long pa = entry & frameMask & ~(span - 1);
                if (!visitor.visit(va, pa, span)) {
                    return false;
                }
            } else if (!table(entry & frameMask, level + 1, raw)) {
                return false;
            }
        }
        return true;
    }
}
