package org.vestige.windows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * Where the pages of a virtual range come from, counted by source in the order the sources first occur:
 * {@code ram}, {@code transition}, {@code pagefile}, {@code compressed}, {@code demand-zero}, {@code file},
 * or {@code missing} with the cause ({@code not mapped}, {@code paged out}, {@code store unavailable}, …).
 * At most {@link #MAX_PAGES} pages are looked at; a longer range says how many were.
 *
 * @param counts  pages by source label, in order of first occurrence
 * @param pages   the pages looked at
 * @param skipped pages of the range beyond {@link #MAX_PAGES}, not looked at
 * @since 0.1
 */
public record PageSources(Map<String, Long> counts, long pages, long skipped) {

    /** The most pages of one range whose provenance is asked for. */
    public static final long MAX_PAGES = 1 << 16;

    public PageSources {
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** @return the sources of every page of {@code vad} in {@code layer} (without reading their bytes) */
    public static PageSources of(Layer layer, WinVad vad) {
        return of(layer, vad.start(), vad.pages());
    }

    /** @return the sources of {@code pages} pages from {@code start} in {@code layer} (without reading their bytes) */
    public static PageSources of(Layer layer, long start, long pages) {
        long looked = Math.min(pages, MAX_PAGES);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (long i = 0; i < looked; i++) {
            counts.merge(label(layer.provenance(start + (i << 12))), 1L, Long::sum);
        }
        return new PageSources(counts, looked, pages - looked);
    }

    /** @return the label a page's source is counted under: its kind, or "missing: " and the cause */
    public static String label(PageProvenance p) {
        return p instanceof PageProvenance.Missing m ? "missing: " + cause(m.cause()) : p.kind();
    }

    /** @return a missing page's cause in the analyst's words */
    public static String cause(MissingCause cause) {
        return switch (cause) {
            case MissingCause.NotMapped n -> "not mapped";
            case MissingCause.PagedOut p -> "paged out to page-file " + p.slot();
            case MissingCause.StoreUnavailable s -> "store " + s.store() + (s.disabled() ? " disabled" : " unavailable");
            case MissingCause.OutsideImage o -> "outside the image";
            case MissingCause.NotCaptured n -> "not captured";
            case MissingCause.InFile f -> "only in file";
            case MissingCause.Unreadable u -> "unreadable";
            case MissingCause.OtherVolume v -> "in a volume not opened";
        };
    }

    /** @return e.g. {@code ram 1, missing: not mapped 15} */
    @Override
    public String toString() {
        String s = counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(
                ", "));
        return skipped == 0 ? s : s + " (" + skipped + " further pages not looked at)";
    }
}
