package org.vestige.core.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What an analysis returns: a typed table (or tree), the diagnostics it raised, the files it wrote,
 * and its {@link Outcome}. Never pre-formatted text.
 *
 * @since 0.1
 */
public final class AnalysisResult {

    /**
     * How the run ended, beyond its rows and diagnostics: front ends tell the analyst (the command's exit
     * code, the workbench's status) when it is not {@link #COMPLETE}.
     *
     * @since 0.1
     */
    public enum Outcome {
        /** The analysis read what it was asked for (its diagnostics may still name parts it could not). */
        COMPLETE,
        /** The analysis could read nothing it was asked for: the rows, if any, say why. */
        NOTHING_READ,
        /** The evidence failed a check of its integrity: a stored hash or a manifest does not match. */
        INTEGRITY_FAILURE
    }

    private final String pluginId;
    private final ResultTable table;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<OutputFile> files = new ArrayList<>();
    private Outcome outcome = Outcome.COMPLETE;

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

    /** @return how the run ended; {@link Outcome#COMPLETE} unless the analysis said otherwise */
    public Outcome outcome() {
        return outcome;
    }

    /** Says how the run ended; the more serious of two outcomes is kept (an integrity failure stays). */
    public AnalysisResult outcome(Outcome newOutcome) {
        Objects.requireNonNull(newOutcome);
        if (newOutcome.compareTo(outcome) > 0) {
            outcome = newOutcome;
        }
        return this;
    }
}
