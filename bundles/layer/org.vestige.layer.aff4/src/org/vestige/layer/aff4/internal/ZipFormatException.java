package org.vestige.layer.aff4.internal;

import java.io.IOException;

/** A zip container that is truncated, corrupt or uses a feature this reader does not support. */
public class ZipFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ZipFormatException(String message) {
        super(message);
    }

    public ZipFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
