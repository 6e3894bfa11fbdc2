package org.vestige.core.result;

import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * A first-class missing value: the cell has no value, and this says why ("paged out to
 * pagefile.sys (slot 0)", "compressed, store reading disabled", "not applicable"). Renderers show
 * the reason; a missing value is never printed as zero or an empty string.
 *
 * <p>When the value lies on memory that could not be read, {@code cause} says why as a type, so a
 * renderer can add its own front end's hint (the CLI names its {@code --pagefile} option, the
 * workbench its Open Evidence page) without parsing the reason.
 *
 * @param reason why the value is missing, in the analyst's words
 * @param cause  the typed cause when the value lies on memory that could not be read; null when it is
 *               missing for another reason (not applicable, not recorded, a null pointer)
 * @since 0.1
 */
public record Unavailable(String reason, MissingCause cause) {

    public Unavailable {
        Objects.requireNonNull(reason, "reason");
    }

    /** A value missing for a reason that is not unreadable memory. */
    public Unavailable(String reason) {
        this(reason, null);
    }

    /** The value does not apply to this row (e.g. exit time of a running process). */
    public static final Unavailable NOT_APPLICABLE = new Unavailable("not applicable");

    /** @return a value missing because it lies on the given missing range, with its reason and cause */
    public static Unavailable of(PageProvenance.Missing missing) {
        return new Unavailable(missing.reason(), missing.cause());
    }
}
