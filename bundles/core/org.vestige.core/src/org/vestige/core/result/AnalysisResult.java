package org.vestige.core.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What an analysis returns: a typed table (or tree), the diagnostics it raised, and the files it
 * wrote. Never pre-formatted text.
 *
 * @since 0.1
 */
public final class AnalysisResult {

    private final String pluginId;
    private final ResultTable table;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<OutputFile> files = new ArrayList<>();

    public AnalysisResult(String pluginId, ResultTable table) {
        this.pluginId = Objects.requireNonNull(pluginId);
        this.table = Objects.requireNonNull(table);
    }

    public String pluginId() {
        return pluginId;
    }

    public ResultTable table() {
        return table;
    }

    public List<Diagnostic> diagnostics() {
        return Collections.unmodifiableList(diagnostics);
    }

    public List<OutputFile> files() {
        return Collections.unmodifiableList(files);
    }

    public AnalysisResult add(Diagnostic diagnostic) {
        diagnostics.add(Objects.requireNonNull(diagnostic));
        return this;
    }

    public AnalysisResult addAll(List<Diagnostic> more) {
        more.forEach(this::add);
        return this;
    }

    public AnalysisResult addFile(OutputFile file) {
        files.add(Objects.requireNonNull(file));
        return this;
    }
}
