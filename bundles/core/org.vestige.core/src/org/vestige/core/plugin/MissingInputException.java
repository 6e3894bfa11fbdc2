package org.vestige.core.plugin;

/**
 * The analysis was given none of the inputs it can work from (for example neither hive files nor a
 * memory image): a mistake on the command line, not a failure of the analysis. The CLI maps it to the
 * usage exit code (2); the message says which inputs would do.
 *
 * @since 0.1
 */
public class MissingInputException extends UsageException {

    private static final long serialVersionUID = 1L;

    public MissingInputException(String message) {
        super(message);
    }
}
