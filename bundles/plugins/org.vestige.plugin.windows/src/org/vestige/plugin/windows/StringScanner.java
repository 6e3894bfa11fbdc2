package org.vestige.plugin.windows;

import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;

/**
 * Finds printable strings in stretches of an address space as they are read, chunk by chunk: ASCII
 * (bytes 0x20–0x7e and tab) and UTF-16LE (the same characters as 16-bit units at even addresses). A
 * string that runs on into the next chunk of the same stretch is carried over; one that meets a byte
 * the layer cannot supply, or the end of a stretch, ends there. Memory stays bounded: one chunk, and
 * at most {@link #MAX_TEXT} characters of each string being built (longer strings keep their full
 * length but only that much text).
 */
final class StringScanner {

    static final int MAX_TEXT = 1024;
    private static final int CHUNK = 64 * 1024;

    /** A string found: where it starts, its encoding, its length in characters and its (capped) text. */
    record Found(long address, String encoding, long length, String text, PageProvenance provenance) {
    }

    /** Receives strings in the order they end; returns false to stop the scan. */
    @FunctionalInterface
    interface Sink {
        boolean accept(Found string);
    }

    private final Layer layer;
    private final int minLength;
    private final boolean ascii;
    private final boolean utf16;
    private final Sink sink;
    private final BooleanSupplier cancelled;
    private final byte[] chunk = new byte[CHUNK];
    private final Run ascii8 = new Run("ascii");
    private final Run wide = new Run("utf-16le");
    private boolean stopped;
    /** the byte before the current one at an even address, when it may start a UTF-16 unit */
    private int low = -1;
    private long lowAddress;
    private PageProvenance lowRun;
    private long lowDelta;

    /** A string being built. */
    private final class Run {
        final String encoding;
        final StringBuilder text = new StringBuilder();
        long start;
        long length;
        PageProvenance provenance;

        Run(String encoding) {
            this.encoding = encoding;
        }

        void add(long address, char c, PageProvenance at) {
            if (length == 0) {
                start = address;
                provenance = at;
            }
            length++;
            if (text.length() < MAX_TEXT) {
                text.append(c);
            }
        }

        void end() {
            if (length >= minLength && !stopped) {
                stopped = !sink.accept(new Found(start, encoding, length, text.toString(), provenance));
            }
            length = 0;
            text.setLength(0);
        }
    }

    StringScanner(Layer layer, int minLength, boolean ascii, boolean utf16, BooleanSupplier cancelled, Sink sink) {
        this.cancelled = cancelled;
        this.layer = layer;
        this.minLength = Math.max(1, minLength);
        this.ascii = ascii;
        this.utf16 = utf16;
        this.sink = sink;
    }

    /** @return whether the sink asked to stop */
    boolean stopped() {
        return stopped;
    }

    /**
     * Scans {@code length} bytes at {@code address}; a stretch is read in chunks and ends every string
     * still open at its end.
     *
     * @return false when the sink asked to stop
     */
    boolean scan(long address, long length) {
        long done = 0;
        while (done < length && !stopped) {
            if (cancelled.getAsBoolean()) {
                throw new OperationCanceledException();
            }
            int n = (int) Math.min(CHUNK - ((address + done) & (CHUNK - 1)), length - done);
            long at = address + done;
            layer.read(at, chunk, 0, n, (runAddress, runLength, p) -> {
                int from = (int) (runAddress - at);
                if (!p.isAvailable()) {
                    breakAll();
                    return;
                }
                for (int i = 0; i < runLength && !stopped; i++) {
                    feed(runAddress + i, chunk[from + i] & 0xff, p, i);
                }
            });
            done += n;
        }
        breakAll();
        return !stopped;
    }

    private void breakAll() {
        ascii8.end();
        wide.end();
        low = -1;
    }

    private void feed(long address, int b, PageProvenance run, long delta) {
        if (ascii) {
            if (printable(b)) {
                ascii8.add(address, (char) b, ascii8.length == 0 ? at(run, delta) : null);
            } else {
                ascii8.end();
            }
        }
        if (utf16) {
            if ((address & 1) == 0) {
                low = b;
                lowAddress = address;
                lowRun = run;
                lowDelta = delta;
            } else {
                if (low >= 0 && lowAddress == address - 1 && b == 0 && printable(low)) {
                    wide.add(lowAddress, (char) low, wide.length == 0 ? at(lowRun, lowDelta) : null);
                } else {
                    wide.end();
                }
                low = -1;
            }
        }
    }

    private static boolean printable(int b) {
        return (b >= 0x20 && b < 0x7f) || b == '\t';
    }

    /**
     * @return the provenance of the byte {@code delta} bytes into a run (a run's provenance describes its
     *         first byte and continues linearly)
     */
    static PageProvenance at(PageProvenance run, long delta) {
        if (delta <= 0) {
            return run;
        }
        return switch (run) {
            case PageProvenance.Evidence e -> new PageProvenance.Evidence(e.source(), e.offset() + delta);
            case PageProvenance.Physical p -> new PageProvenance.Physical(p.physicalAddress() + delta);
            case PageProvenance.Transition t -> new PageProvenance.Transition(t.physicalAddress() + delta);
            case PageProvenance.Pagefile f -> new PageProvenance.Pagefile(f.slot(), f.offset() + delta, f.file());
            case PageProvenance.FileBacked f -> new PageProvenance.FileBacked(f.file(), f.offset() + delta);
            default -> run;
        };
    }
}
