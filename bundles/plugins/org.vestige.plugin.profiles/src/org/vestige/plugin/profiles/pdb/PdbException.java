package org.vestige.plugin.profiles.pdb;

import java.io.IOException;

/**
 * A PDB file that cannot be read as MSF 7.0 program database: the message names the file, the
 * stream or record, and the offset where reading stopped.
 *
 * @since 0.1
 */
public final class PdbException extends IOException {

    private static final long serialVersionUID = 1L;

    public PdbException(String message) {
        super(message);
    }
}
