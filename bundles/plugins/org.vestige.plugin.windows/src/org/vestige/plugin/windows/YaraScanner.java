package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

import com.sun.jna.Memory;

/**
 * Runs compiled YARA rules over stretches of an address space as they are read. Readable bytes that follow
 * one another, across pages and across stretches that touch, are scanned together in windows of
 * {@value #WINDOW} bytes; consecutive windows overlap by {@value #OVERLAP} bytes so a match across a window's
 * end is found in the next one, and each match is reported once, with its address and where the page holding
 * its first byte came from. Bytes the layer cannot supply end a window and are reported as unread ranges
 * (adjacent pages missing for the same kind of cause as one range); pages that were never mapped are not
 * content and are left out. A rule's condition is evaluated per window, as for any buffer libyara is given.
 */
final class YaraScanner {

    static final int WINDOW = 4 << 20;
    static final int OVERLAP = 64 << 10;
    private static final int READ = 1 << 20;

    /** A match: its address, length, rule, string (null for a rule that matched without one) and bytes. */
    record Hit(long address, int length, String rule, String string, byte[] data, PageProvenance provenance) {
    }

    /** Receives matches and unread ranges in address order. */
    interface Sink {
        /** @return false to stop the scan */
        boolean hit(Hit hit);

        /** A range of {@code length} bytes at {@code address} that could not be read, and why (its first page). */
        void unread(long address, long length, PageProvenance.Missing why);
    }

    private final Layer layer;
    private final YaraRules rules;
    private final BooleanSupplier cancelled;
    private final Sink sink;
    private final byte[] chunk = new byte[READ];
    private final Memory window = new Memory(WINDOW);
    /** the provenance of each run of the window's bytes, by the run's first address */
    private final TreeMap<Long, PageProvenance> runs = new TreeMap<>();
    private final List<String> errors = new ArrayList<>();
    private long start;
    private int fill;
    /** whether the window is the first of its run of readable bytes (rules matching without strings report there) */
    private boolean first = true;
    private long unreadStart;
    private long unreadLength;
    private PageProvenance.Missing unreadWhy;
    private boolean stopped;

    YaraScanner(Layer layer, YaraRules rules, BooleanSupplier cancelled, Sink sink) {
        this.layer = layer;
        this.rules = rules;
        this.cancelled = cancelled;
        this.sink = sink;
    }

    /** @return what libyara refused while scanning (for example a string matching too often), one line each */
    List<String> errors() {
        return errors;
    }

    /**
     * Scans {@code length} bytes at {@code address}. Bytes that continue the previous stretch are scanned with
     * it; call {@link #finish} when no stretch touching this one follows.
     *
     * @return false when the sink asked to stop
     */
    boolean scan(long address, long length) {
        long done = 0;
        while (done < length && !stopped) {
            if (cancelled.getAsBoolean()) {
                throw new OperationCanceledException();
            }
            long at = address + done;
            int n = (int) Math.min(READ - (at & (READ - 1)), length - done);
            layer.read(at, chunk, 0, n, (runAddress, runLength, p) -> {
                if (p instanceof PageProvenance.Missing m) {
                    flush(true);
                    unread(runAddress, runLength, m);
                } else {
                    append(runAddress, (int) (runAddress - at), (int) runLength, p);
                }
            });
            done += n;
        }
        return !stopped;
    }

    /** Records {@code length} bytes at {@code address} as unread without reading them. */
    void missing(long address, long length, PageProvenance.Missing why) {
        flush(true);
        unread(address, length, why);
    }

    /** Scans what is left of the window and reports the last unread range. */
    boolean finish() {
        flush(true);
        unread(0, 0, null);
        return !stopped;
    }

    private void append(long address, int from, int length, PageProvenance p) {
        unread(0, 0, null);
        if (fill > 0 && start + fill != address) {
            flush(true);
        }
        int done = 0;
        while (done < length && !stopped) {
            if (fill == 0) {
                start = address + done;
            }
            int n = Math.min(length - done, WINDOW - fill);
            runs.put(address + done, StringScanner.at(p, done));
            window.write(fill, chunk, from + done, n);
            fill += n;
            done += n;
            if (fill == WINDOW) {
                flush(false);
            }
        }
    }

    /**
     * Scans the window. When {@code last} is false the window's final {@value #OVERLAP} bytes become the start
     * of the next one, and matches starting there are left to it.
     */
    private void flush(boolean last) {
        if (fill == 0 || stopped) {
            first |= last;
            return;
        }
        long keep = last ? fill : fill - OVERLAP;
        int status = rules.scan(window, fill, m -> {
            if (stopped || m.offset() >= keep || (m.string() == null && !first)) {
                return;
            }
            long address = start + m.offset();
            Map.Entry<Long, PageProvenance> run = runs.floorEntry(address);
            stopped = !sink.hit(new Hit(address, m.length(), m.rule(), m.string(), m.data(), StringScanner.at(run
                    .getValue(), address - run.getKey())));
        });
        if (status != YaraLibrary.ERROR_SUCCESS) {
            errors.add("libyara stopped scanning 0x" + Long.toHexString(start) + "-0x" + Long.toHexString(start + fill
                    - 1) + " with error " + status + (status == 30 ? " (a string matched too many times)" : ""));
        }
        if (last) {
            fill = 0;
            runs.clear();
            first = true;
            return;
        }
        long next = start + keep;
        Map.Entry<Long, PageProvenance> run = runs.floorEntry(next);
        PageProvenance carried = StringScanner.at(run.getValue(), next - run.getKey());
        runs.headMap(next, true).clear();
        runs.put(next, carried);
        byte[] tail = window.getByteArray(keep, OVERLAP);
        window.write(0, tail, 0, OVERLAP);
        start = next;
        fill = OVERLAP;
        first = false;
    }

    /** Adds a missing run to the pending unread range, reporting the pending one when this does not extend it. */
    private void unread(long address, long length, PageProvenance.Missing why) {
        if (why != null && why.cause() instanceof MissingCause.NotMapped) {
            why = null; // never committed: nothing was there to read
            length = 0;
        }
        if (unreadWhy != null && why != null && unreadStart + unreadLength == address && sameKind(unreadWhy.cause(),
                why.cause())) {
            unreadLength += length;
            return;
        }
        if (unreadWhy != null) {
            sink.unread(unreadStart, unreadLength, unreadWhy);
        }
        unreadStart = address;
        unreadLength = length;
        unreadWhy = why;
    }

    private static boolean sameKind(MissingCause a, MissingCause b) {
        return switch (a) {
            case MissingCause.PagedOut p -> b instanceof MissingCause.PagedOut q && p.slot() == q.slot();
            case MissingCause.StoreUnavailable s -> b instanceof MissingCause.StoreUnavailable t && s.slot() == t
                    .slot();
            case MissingCause.InFile f -> b instanceof MissingCause.InFile g && f.file().equals(g.file());
            default -> a.getClass() == b.getClass();
        };
    }
}
