package org.vestige.core.plugin;

/**
 * An analysis could not produce a result (as opposed to a partial result with diagnostics). The
 * message says what failed and where; the CLI maps it to exit code 4.
 *
 * @since 0.1
 */
public class AnalysisException extends Exception {

    private static final long serialVersionUID = 1L;

    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
