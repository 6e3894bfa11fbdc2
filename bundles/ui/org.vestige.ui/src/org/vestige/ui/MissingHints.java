package org.vestige.ui;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.result.Unavailable;

/**
 * The workbench's hints after the reason of a missing value: the one place that tells the analyst which
 * part of the workbench fills a gap (the paging files and the compressed-store switch of File &gt; Open
 * Evidence), so views render missing values alike and no engine text names a workbench control.
 *
 * @since 0.1
 */
public final class MissingHints implements MissingHint {

    /** The workbench's hints, for views and tool tips. */
    public static final MissingHints WORKBENCH = new MissingHints();

    private MissingHints() {
    }

    @Override
    public String hint(MissingCause cause) {
        return switch (cause) {
            case MissingCause.PagedOut p -> "; attach the paging file in File > Open Evidence";
            case MissingCause.StoreUnavailable s when s.disabled() ->
                    "; turn the store on in File > Open Evidence";
            case MissingCause.StoreUnavailable s -> "";
            case MissingCause.InFile f -> "";
            case MissingCause.NotMapped n -> "";
            case MissingCause.OutsideImage o -> "";
            case MissingCause.NotCaptured n -> "";
            case MissingCause.Unreadable u -> "";
            case MissingCause.OtherVolume v -> "; put the volume in the folder of the one opened";
        };
    }

    /** @return a missing cell as a view shows it in a tool tip: "missing: " with its reason and hint */
    public static String describe(Unavailable cell) {
        return "missing: " + CellFormat.reason(cell, WORKBENCH);
    }

    /** @return a provenance as a view shows it, a missing range with its reason and hint */
    public static String describe(PageProvenance provenance) {
        return CellFormat.provenance(provenance, WORKBENCH);
    }
}
