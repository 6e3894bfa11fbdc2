package org.vestige.windows;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/** The outcome of translating one virtual page (mutable, reused by one reader). */
final class PageWalk {

    static final int RESIDENT = 0;
    static final int TRANSITION = 1;
    static final int DEMAND_ZERO = 2;
    static final int PAGEFILE = 3;
    static final int MISSING = 4;

    int kind;
    /** physical address of the byte asked for (RESIDENT, TRANSITION) */
    long physical;
    /** size of the page that mapped it (4 KiB, 2 MiB, 1 GiB) */
    long pageSize;
    int slot;
    /** byte offset of the 4 KiB page in the paging file */
    long fileOffset;
    MissingCause cause;
    String reason;
    /** the prototype PTE being decoded (kernel address), or -1 */
    long prototypeAddress = -1;

    void resident(long pa, long size) {
        kind = RESIDENT;
        physical = pa;
        pageSize = size;
    }

    void transition(long pa) {
        kind = TRANSITION;
        physical = pa;
        pageSize = 4096;
    }

    void demandZero() {
        kind = DEMAND_ZERO;
        pageSize = 4096;
    }

    void pagefile(int pageFile, long offset) {
        kind = PAGEFILE;
        slot = pageFile;
        fileOffset = offset;
        pageSize = 4096;
    }

    void missing(MissingCause because, String why) {
        kind = MISSING;
        cause = because;
        reason = why;
        pageSize = 4096;
    }

    void missing(PageProvenance.Missing m) {
        missing(m.cause(), m.reason());
    }

    /** @return the MISSING outcome as provenance */
    PageProvenance.Missing asMissing() {
        return new PageProvenance.Missing(cause, reason);
    }

    PageProvenance provenance(X64Translator translator) {
        return switch (kind) {
            case RESIDENT -> new PageProvenance.Physical(physical);
            case TRANSITION -> new PageProvenance.Transition(physical);
            case DEMAND_ZERO -> new PageProvenance.DemandZero();
            case PAGEFILE -> translator.store(slot).map(s -> s.locate(fileOffset)).orElseGet(
                    () -> X64Translator.pagedOut(slot, fileOffset));
            default -> asMissing();
        };
    }
}
