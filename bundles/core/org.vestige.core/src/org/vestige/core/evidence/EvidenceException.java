package org.vestige.core.evidence;

import java.nio.file.Path;

/**
 * Evidence that cannot be opened or read: missing, unreadable, empty, truncated or corrupt. The
 * message always names the file and the problem; the CLI maps it to exit code 3.
 *
 * @since 0.1
 */
public class EvidenceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public EvidenceException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public EvidenceException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the evidence file concerned, or null when the problem is not tied to one file */
    public Path file() {
        return file;
    }
}
