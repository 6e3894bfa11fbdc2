package org.vestige.core.plugin;

/**
 * The analysis was asked for something in a way it cannot take (an option's value it cannot use, such as
 * rule text that does not compile or a file that does not exist): a mistake on the command line, not a
 * failure of the analysis. The CLI maps it to the usage exit code (2); the message says what is wrong and
 * where.
 *
 * @since 0.1
 */
public class UsageException extends AnalysisException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
