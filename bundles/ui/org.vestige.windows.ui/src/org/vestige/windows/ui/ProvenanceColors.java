package org.vestige.windows.ui;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.swt.graphics.RGB;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * One colour per kind of page provenance, the same in every view that colours memory: resident
 * (RAM), transition, paging file, compressed store, demand-zero, mapped file, missing, and unmapped (no page
 * at all).
 *
 * @since 0.1
 */
public final class ProvenanceColors {

    /**
     * The kind shown for an address no page table or VAD maps: nothing is missing there, there is nothing, so it
     * is not coloured as a page the evidence lacks.
     */
    public static final String UNMAPPED = "unmapped";

    private static final Map<String, RGB> COLORS = new LinkedHashMap<>();

    static {
        COLORS.put("ram", new RGB(0xC8, 0xE6, 0xC9));
        COLORS.put("transition", new RGB(0xFF, 0xF5, 0x9D));
        COLORS.put("pagefile", new RGB(0xBB, 0xDE, 0xFB));
        COLORS.put("compressed", new RGB(0xE1, 0xBE, 0xE7));
        COLORS.put("demand-zero", new RGB(0xEE, 0xEE, 0xEE));
        COLORS.put("file", new RGB(0xB2, 0xDF, 0xDB));
        COLORS.put("missing", new RGB(0xFF, 0xCD, 0xD2));
        COLORS.put(UNMAPPED, new RGB(0xBD, 0xBD, 0xBD));
        COLORS.put("evidence", new RGB(0xFF, 0xFF, 0xFF));
    }

    private ProvenanceColors() {
    }

    /** @return the colour of a provenance's kind */
    public static RGB of(PageProvenance p) {
        return of(kindOf(p));
    }

    /** @return the kind a provenance is coloured as: its own, or {@link #UNMAPPED} for an address nothing maps */
    public static String kindOf(PageProvenance p) {
        return p instanceof PageProvenance.Missing m && m.cause() instanceof MissingCause.NotMapped ? UNMAPPED : p
                .kind();
    }

    public static RGB of(String kind) {
        return COLORS.getOrDefault(kind, new RGB(0xFF, 0xFF, 0xFF));
    }

    /**
     * @return the colour of text on a background: black on a light one, white on a dark one, whatever the
     *         theme's own text colour (a dark theme's light text is unreadable on these light colours)
     */
    public static RGB textOn(RGB background) {
        // relative luminance weights of ITU-R BT.601
        double luma = 0.299 * background.red + 0.587 * background.green + 0.114 * background.blue;
        return luma >= 128 ? new RGB(0, 0, 0) : new RGB(0xFF, 0xFF, 0xFF);
    }

    /** @return the legend: kind to colour, in display order */
    public static Map<String, RGB> legend() {
        return java.util.Collections.unmodifiableMap(COLORS);
    }
}
