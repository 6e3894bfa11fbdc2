package org.vestige.layer.compressed.internal;

import org.vestige.core.layer.MissingCause;

/**
 * A structure of the store could not be read or does not make sense; the message names the
 * structure, its address and why, in the analyst's words.
 */
public final class Unreadable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient MissingCause gap;

    public Unreadable(String message) {
        this(message, new MissingCause.Unreadable());
    }

    /** @param gap why the memory read could not be completed (a page paged out, a gap in the image…) */
    public Unreadable(String message, MissingCause gap) {
        super(message, null, false, false);
        this.gap = gap;
    }

    /** @return why the bytes are missing */
    public MissingCause gap() {
        return gap;
    }
}
