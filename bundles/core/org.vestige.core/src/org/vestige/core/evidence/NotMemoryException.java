package org.vestige.core.evidence;

import java.nio.file.Path;

/**
 * The file is evidence a format recognises and reads, but it holds no memory image (an AFF4 volume of logical
 * files, say). Opening the case stops with the format's account of what the file holds: no other format is tried,
 * since reading such a file as raw memory would only hide what it is.
 *
 * @since 0.1
 */
public class NotMemoryException extends EvidenceException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file     the evidence file
     * @param contents what the file holds instead of memory, in the analyst's words, and how to get at it
     */
    public NotMemoryException(Path file, String contents) {
        super(file, contents);
    }
}
