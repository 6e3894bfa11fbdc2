package org.vestige.core.registry;

/**
 * A malformed contribution: the host skips it and reports this message, which names the bundle.
 *
 * @since 0.1
 */
public class InvalidContributionException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidContributionException(String bundle, String problem) {
        super("bundle " + bundle + ": " + problem);
    }
}
