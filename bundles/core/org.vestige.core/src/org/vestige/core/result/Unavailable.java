package org.vestige.core.result;

import java.util.Objects;

/**
 * A first-class missing value: the cell has no value, and this says why ("paged out to
 * pagefile.sys (slot 0)", "compressed, store reading disabled", "not applicable"). Renderers show
 * the reason; a missing value is never printed as zero or an empty string.
 *
 * @param reason why the value is missing, in the analyst's words
 * @since 0.1
 */
public record Unavailable(String reason) {

    public Unavailable {
        Objects.requireNonNull(reason, "reason");
    }

    /** The value does not apply to this row (e.g. exit time of a running process). */
    public static final Unavailable NOT_APPLICABLE = new Unavailable("not applicable");
}
