package org.vestige.core.render;

import java.io.Closeable;
import java.io.IOException;

import org.vestige.core.result.AnalysisResult;

/**
 * Fills one case file made by a {@link CaseRenderer}: the results as the analyses finish, then the case's
 * record once the evidence's digests are known. Closing it without {@link #finish(CaseRecord)} keeps the
 * results written so far.
 *
 * @since 0.1
 */
public interface CaseWriter extends Closeable {

    /** Writes one analysis's result: its table, its diagnostics and the files it wrote. */
    void add(AnalysisResult result) throws IOException;

    /** Writes what the case was: its evidence files with their digests, how they were opened, the profile. */
    void finish(CaseRecord record) throws IOException;
}
