package org.vestige.core.render;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.result.ColumnType;
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

    /** Formats a cell of the given column type as text. */
    public static String text(ColumnType type, Object cell) {
        if (cell instanceof Unavailable u) {
            return u == Unavailable.NOT_APPLICABLE || u.reason().equals(Unavailable.NOT_APPLICABLE.reason()) ? "-"
                    : "[" + u.reason() + "]";
        }
        if (cell == null) {
            return "-";
        }
        return switch (type) {
            case ADDRESS -> address((Long) cell);
            case TIME -> TIME.format((Instant) cell);
            case PROVENANCE -> provenance((PageProvenance) cell);
            case BYTES -> HexFormat.of().formatHex((byte[]) cell);
            default -> cell.toString();
        };
    }

    /** @return an address as 0x-prefixed lower-case hex (unsigned) */
    public static String address(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** @return a provenance in the analyst's words, e.g. "pagefile 0 (pagefile.sys) @ 0x1a000" */
    public static String provenance(PageProvenance p) {
        return switch (p) {
            case PageProvenance.Evidence e -> e.source() + " @ " + address(e.offset());
            case PageProvenance.Physical ph -> "ram @ " + address(ph.physicalAddress());
            case PageProvenance.Transition t -> "transition @ " + address(t.physicalAddress());
            case PageProvenance.Pagefile pf -> "pagefile " + pf.slot() + " (" + pf.file() + ") @ " + address(pf.offset());
            case PageProvenance.Compressed c -> "compressed store (key " + address(c.key()) + ", store " + c.store()
                    + (c.region() < 0 ? ", zero page" : ", region " + c.region()) + ")";
            case PageProvenance.DemandZero d -> "demand-zero";
            case PageProvenance.FileBacked f -> "file " + f.file() + " @ " + address(f.offset());
            case PageProvenance.Missing m -> "missing: " + m.reason();
        };
    }
}
