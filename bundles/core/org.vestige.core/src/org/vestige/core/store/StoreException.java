package org.vestige.core.store;

/**
 * A backing store could not be built for a case: the message says what and where, in the
 * analyst's words (for example "the memory-compression store layout of build 10586 is unknown").
 *
 * @since 0.1
 */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
