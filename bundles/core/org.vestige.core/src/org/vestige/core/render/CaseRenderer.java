package org.vestige.core.render;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output format that holds a whole case in one file (a database): every result of the command, their
 * diagnostics and written files, and the case they came from. Contributed through the
 * {@code org.vestige.core.renderers} extension point with {@code kind="case"}; the command line then takes
 * {@code -o FILE} as the file to write and runs any number of analyses into it.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface CaseRenderer {

    /**
     * Creates the file and returns the writer that fills it.
     *
     * @param file where to write; it does not exist yet
     * @throws IOException when it cannot be created
     */
    CaseWriter create(Path file) throws IOException;

    /**
     * Opens a case file this format wrote, to add results to it ({@code vestige forensic} resumes a run this
     * way): the results it holds stay, and {@link CaseWriter#completed()} names them.
     *
     * @param file an existing case file of this format
     * @throws IOException when it cannot be opened or is not such a file
     * @since 0.1
     */
    default CaseWriter extend(Path file) throws IOException {
        throw new IOException("this format cannot add to an existing case file");
    }
}
