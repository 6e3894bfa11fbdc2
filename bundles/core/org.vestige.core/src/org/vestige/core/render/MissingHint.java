package org.vestige.core.render;

import org.vestige.core.layer.MissingCause;

/**
 * What a front end adds after the reason of a missing value so the analyst knows how to fill the gap
 * in that front end: the CLI names its {@code --pagefile} option, the workbench its Open Evidence page.
 * Engines never write such hints into reasons; each front end keeps its hints in one place and hands
 * them to the renderers and views.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MissingHint {

    /** Adds nothing: the reason alone (exports, and front ends that have no hint to give). */
    MissingHint NONE = cause -> "";

    /**
     * @param cause why the bytes are missing
     * @return the text appended to the reason, starting with its own separator (e.g. {@code "; "}), or
     *         empty
     */
    String hint(MissingCause cause);

    /** @return the reason followed by this front end's hint for the cause, if there is a cause */
    default String explain(String reason, MissingCause cause) {
        return cause == null ? reason : reason + hint(cause);
    }
}
