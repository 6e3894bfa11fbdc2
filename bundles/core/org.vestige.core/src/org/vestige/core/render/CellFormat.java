package org.vestige.core.render;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.MissingText;
import org.vestige.core.result.Unavailable;

/**
 * How cell values read as text, the same in every renderer and view: addresses in 0x-prefixed
 * hex, times as ISO-8601 UTC, provenance as kind and location, missing values with their reason.
 *
 * @since 0.1
 */
public final class CellFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

    private CellFormat() {
    }

    /** Formats a cell of the given column type as text, missing values with their reason alone. */
    public static String text(ColumnType type, Object cell) {
        return text(type, cell, MissingHint.NONE);
    }

    /**
     * Formats a cell of the given column type as text, missing values (and missing provenance) with their
     * reason and the front end's hint for their cause.
     *
     * @since 0.1
     */
    public static String text(ColumnType type, Object cell, MissingHint hint) {
        if (cell instanceof Unavailable u) {
            return notApplicable(u) ? "-" : "[" + reason(u, hint) + "]";
        }
        if (cell == null) {
            return "-";
        }
        if (cell instanceof MissingText t) {
            return hint.explain(t.text(), t.cause());
        }
        return switch (type) {
            case ADDRESS -> address((Long) cell);
            case TIME -> TIME.format((Instant) cell);
            case PROVENANCE -> provenance((PageProvenance) cell, hint);
            case BYTES -> HexFormat.of().formatHex((byte[]) cell);
            default -> cell.toString();
        };
    }

    /** @return an address as 0x-prefixed lower-case hex (unsigned) */
    public static String address(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** @return true for a value that does not apply to its row (rendered as "-", or nothing) */
    public static boolean notApplicable(Unavailable u) {
        return u == Unavailable.NOT_APPLICABLE || u.reason().equals(Unavailable.NOT_APPLICABLE.reason());
    }

    /** @return why a value is missing: its reason and the front end's hint for its cause */
    public static String reason(Unavailable u, MissingHint hint) {
        return hint.explain(u.reason(), u.cause());
    }

    /** @return why a range is missing: its reason and the front end's hint for its cause */
    public static String reason(PageProvenance.Missing m, MissingHint hint) {
        return hint.explain(m.reason(), m.cause());
    }

    /** @return a provenance in the analyst's words, e.g. "pagefile 0 (pagefile.sys) @ 0x1a000" */
    public static String provenance(PageProvenance p) {
        return provenance(p, MissingHint.NONE);
    }

    /**
     * @return a provenance in the analyst's words, a missing range with the front end's hint for its cause
     * @since 0.1
     */
    public static String provenance(PageProvenance p, MissingHint hint) {
        return switch (p) {
            case PageProvenance.Evidence e -> e.source() + " @ " + address(e.offset());
            case PageProvenance.Physical ph -> "ram @ " + address(ph.physicalAddress());
            case PageProvenance.Transition t -> "transition @ " + address(t.physicalAddress());
            case PageProvenance.Pagefile pf -> "pagefile " + pf.slot() + " (" + pf.file() + ") @ " + address(pf.offset());
            case PageProvenance.Compressed c -> "compressed store (key " + address(c.key()) + ", store " + c.store()
                    + (c.region() < 0 ? ", zero page" : ", region " + c.region()) + ")";
            case PageProvenance.DemandZero d -> "demand-zero";
            case PageProvenance.FileBacked f -> "file " + f.file() + " @ " + address(f.offset());
            case PageProvenance.Missing m -> "missing: " + reason(m, hint);
        };
    }
}
