package org.vestige.windows;

/**
 * The stretches of a process's (or the kernel's) address space worth reading when scanning its memory. A
 * mapped or image VAD up to {@value #WHOLE_VAD} bytes is read whole, since its pages may be found through
 * prototype PTEs; larger ones, private memory and ranges without VADs only where page-table entries exist
 * (a 2 TiB CFG reservation is almost all unbacked), joined into stretches where pages follow one another.
 * A page table that is itself not resident is handed over as a page, not read.
 *
 * @since 0.1
 */
public final class MemoryStretches {

    /** The largest mapped or image VAD read whole. */
    public static final long WHOLE_VAD = 256L << 20;

    private MemoryStretches() {
    }

    /**
     * Receives stretches in address order.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Sink {
        /** @return false to stop */
        boolean stretch(long address, long length);

        /**
         * A span whose page table is not resident (its whole span is unreadable): by default it is passed on as
         * a stretch.
         *
         * @return false to stop
         */
        default boolean tableMissing(MappedPage span) {
            return stretch(span.va(), span.size());
        }
    }

    /** @return false when the sink stopped */
    public static boolean ofVad(WinVad vad, PageMapper pages, Sink sink) {
        long size = vad.end() - vad.start() + 1;
        if (!vad.privateMemory() && size <= WHOLE_VAD) {
            return sink.stretch(vad.start(), size);
        }
        return mapped(pages, vad.start(), vad.end() + 1, sink);
    }

    /**
     * Hands over the pages whose first byte lies in {@code [start, end)} (unsigned) that have page-table
     * entries, pages that follow one another as one stretch.
     *
     * @return false when the sink stopped
     */
    public static boolean mapped(PageMapper pages, long start, long end, Sink sink) {
        long[] span = {0, 0};
        boolean more = pages.forEach(start, end, page -> {
            if (page.size() > 4096 && page.provenance() instanceof org.vestige.core.layer.PageProvenance.Missing) {
                boolean go = span[1] == 0 || sink.stretch(span[0], span[1]);
                span[1] = 0;
                return go && sink.tableMissing(page);
            }
            if (span[1] != 0 && span[0] + span[1] == page.va()) {
                span[1] += page.size();
                return true;
            }
            boolean go = span[1] == 0 || sink.stretch(span[0], span[1]);
            span[0] = page.va();
            span[1] = page.size();
            return go;
        });
        return more && (span[1] == 0 || sink.stretch(span[0], span[1]));
    }
}
