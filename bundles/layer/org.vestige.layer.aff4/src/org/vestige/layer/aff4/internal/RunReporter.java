package org.vestige.layer.aff4.internal;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * Joins consecutive runs that continue each other (the same evidence source at consecutive offsets, or the same
 * reason for missing bytes) before passing them to a {@link ProvenanceSink}, so a read of many chunks reports one
 * run rather than one per chunk.
 */
public final class RunReporter implements ProvenanceSink {

    private final ProvenanceSink sink;
    private long address;
    private long length;
    private PageProvenance provenance;

    public RunReporter(ProvenanceSink sink) {
        this.sink = sink;
    }

    @Override
    public void accept(long runAddress, int runLength, PageProvenance runProvenance) {
        if (runLength <= 0) {
            return;
        }
        if (provenance != null && runAddress == address + length && continues(provenance, length, runProvenance)
                && length + runLength <= Integer.MAX_VALUE) {
            length += runLength;
            return;
        }
        flush();
        address = runAddress;
        length = runLength;
        provenance = runProvenance;
    }

    private static boolean continues(PageProvenance first, long firstLength, PageProvenance next) {
        if (first instanceof PageProvenance.Evidence a && next instanceof PageProvenance.Evidence b) {
            return a.source().equals(b.source()) && a.offset() + firstLength == b.offset();
        }
        if (first instanceof PageProvenance.Missing a) {
            return a.equals(next);
        }
        return false;
    }

    /** Passes the pending run on; call once after the last {@link #accept}. */
    public void flush() {
        if (provenance != null) {
            sink.accept(address, (int) length, provenance);
            provenance = null;
        }
    }
}
