package org.vestige.cli.internal;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.render.MissingHint;

/**
 * The command line's hints after the reason of a missing value: the one place that names the CLI's own
 * options for a cause, so the engine's reasons stay free of any front end's syntax.
 */
public final class CliHints implements MissingHint {

    public static final CliHints INSTANCE = new CliHints();

    private CliHints() {
    }

    @Override
    public String hint(MissingCause cause) {
        return switch (cause) {
            case MissingCause.PagedOut p -> "; supply it with --pagefile";
            case MissingCause.StoreUnavailable s -> "";
            case MissingCause.NotMapped n -> "";
            case MissingCause.OutsideImage o -> "";
            case MissingCause.NotCaptured n -> "";
            case MissingCause.InFile f -> "";
            case MissingCause.Unreadable u -> "";
            case MissingCause.OtherVolume v -> "; give the volume with another -f, or put it beside the first";
        };
    }
}
