package org.vestige.core.render;

import java.io.IOException;
import java.io.Writer;

import org.vestige.core.result.AnalysisResult;

/**
 * Writes a result's table in one output format (text, JSON lines, CSV…). Contributed through the
 * {@code org.vestige.core.renderers} extension point; renderers consume the same result model as
 * the workbench's views, so every format shows the same data.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Renderer {

    /** Writes the result's table (diagnostics and written files are reported by the caller). */
    void render(AnalysisResult result, Writer out) throws IOException;

    /**
     * Writes the result's table, each missing value's reason followed by the front end's hint for its
     * cause. A renderer that shows no reasons may ignore the hint, which the default does.
     *
     * @since 0.1
     */
    default void render(AnalysisResult result, Writer out, MissingHint hint) throws IOException {
        render(result, out);
    }
}
