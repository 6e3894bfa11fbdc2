package org.vestige.layer.compressed.internal;

/**
 * A structure of the store could not be read or does not make sense; the message names the
 * structure, its address and why, in the analyst's words.
 */
public final class Unreadable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Unreadable(String message) {
        super(message, null, false, false);
    }
}
