package org.vestige.core.result;

import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * A text cell that tells of missing bytes, with their typed cause: for example the detail of a dumped
 * page that could not be read. It is content, not a missing value (the row exists and says what is
 * missing), so it is rendered as text; each front end appends its own hint for the cause, as it does to
 * an {@link Unavailable}'s reason. A text column holds one wherever it holds a {@link String}.
 *
 * @param text  the sentence, in the analyst's words, naming no front end's syntax
 * @param cause why the bytes it tells of are missing
 * @since 0.1
 */
public record MissingText(String text, MissingCause cause) {

    public MissingText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(cause, "cause");
    }

    /** @return the text of a missing range: its reason and its cause */
    public static MissingText of(PageProvenance.Missing missing) {
        return new MissingText(missing.reason(), missing.cause());
    }

    /** @return the text alone, as exports without a front end's hint show it */
    @Override
    public String toString() {
        return text;
    }
}
