package org.vestige.core.result;

import java.util.Objects;

/**
 * Something an analysis noticed that the analyst must know about: an inconsistent structure, a
 * page it could not read, a fallback it took. Diagnostics travel with the result; the analysis
 * goes on.
 *
 * @param severity how much it matters
 * @param subject  what it concerns, e.g. "_EPROCESS at 0xffffe0003a2b1080" or "pagefile.sys"
 * @param message  what happened, in the analyst's words
 * @since 0.1
 */
public record Diagnostic(Severity severity, String subject, String message) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        subject = subject == null ? "" : subject;
    }

    /** How much a diagnostic matters. */
    public enum Severity {
        INFO, WARNING, ERROR
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": "
                + (subject.isEmpty() ? "" : subject + ": ") + message;
    }
}
