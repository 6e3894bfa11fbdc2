package org.vestige.codec.internal;

import io.airlift.compress.MalformedInputException;

/**
 * Turns aircompressor's terse exception messages into something an analyst can act on. The library
 * reports where it noticed the problem, which can be some bytes before the offending sequence.
 */
final class LibraryMessages {

    private LibraryMessages() {
    }

    static String describe(MalformedInputException e, int outLen) {
        String message = e.getMessage();
        // The library prefixes its message with "<problem>: offset=<n>"; keep only the problem.
        if (message != null) {
            int cut = message.indexOf(": offset=");
            if (cut >= 0) {
                message = message.substring(0, cut);
            }
        }
        if (message == null || message.isBlank()) {
            message = "rejected by the decoder";
        }
        if (message.contains("output") || message.contains("buffer") || message.contains("destination")) {
            message += ", output room " + outLen + " bytes";
        }
        return "aircompressor: " + message;
    }
}
