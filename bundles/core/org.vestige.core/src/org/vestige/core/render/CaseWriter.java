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

    /**
     * One run of an analysis a case file holds whole.
     *
     * @param pluginId the analysis
     * @param options  its options as {@link org.vestige.core.plugin.Options#text()} gives them
     * @since 0.1
     */
    record Run(String pluginId, String options) {
    }

    /**
     * Writes one analysis's result with the options it ran with, all of it or nothing: a run that stops
     * midway (the process killed) leaves no part of it in the file.
     *
     * @param options the options as {@link org.vestige.core.plugin.Options#text()} gives them
     * @since 0.1
     */
    default void add(AnalysisResult result, String options) throws IOException {
        add(result);
    }

    /**
     * @return the analysis runs the file already holds whole (a file being extended; see
     *         {@link CaseRenderer#extend(java.nio.file.Path)}), in the order they were written
     * @since 0.1
     */
    default java.util.List<Run> completed() throws IOException {
        return java.util.List.of();
    }

    /**
     * @return the evidence files the case file records, by role ({@code image}, {@code pagefile 0}, …): a file
     *         being extended must be of the same evidence
     * @since 0.1
     */
    default java.util.Map<String, java.nio.file.Path> evidence() throws IOException {
        return java.util.Map.of();
    }

    /** Writes what the case was: its evidence files with their digests, how they were opened, the profile. */
    void finish(CaseRecord record) throws IOException;
}
