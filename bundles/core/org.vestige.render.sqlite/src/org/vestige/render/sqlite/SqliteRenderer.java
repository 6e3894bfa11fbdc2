package org.vestige.render.sqlite;

import java.io.IOException;
import java.nio.file.Path;

import org.vestige.core.render.CaseRenderer;
import org.vestige.core.render.CaseWriter;

/**
 * {@code -r sqlite}: the case in one SQLite database — a typed table per analysis, the diagnostics of every
 * analysis and the files each wrote, the evidence with its digests and what the engines found out about the
 * case. See {@link SqliteCaseWriter} for the schema.
 */
public final class SqliteRenderer implements CaseRenderer {

    @Override
    public CaseWriter create(Path file) throws IOException {
        return SqliteCaseWriter.create(file);
    }

    @Override
    public CaseWriter extend(Path file) throws IOException {
        return SqliteCaseWriter.extend(file);
    }
}
