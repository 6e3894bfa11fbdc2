package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.TimelineContribution;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.TimeEvent;
import org.vestige.core.result.Timeline;

/**
 * {@code windows.timeliner}: one table of every time the case's analyses know, in order. It runs each
 * analysis whose {@code plugin.xml} declares a {@code <timeline>} contribution (third parties' too) with the
 * options declared there, and takes the values of its result's time columns that carry a meaning. An
 * analysis that fails is a diagnostic naming it, and the others go on.
 *
 * @since 0.1
 */
public final class Timeliner implements Analysis {

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        List<PluginDescriptor> sources = context.extensions().plugins().stream().filter(p -> p.info()
                .timelineContribution().isPresent() && !p.id().equals(context.plugin().id())).toList();
        ResultTable table = Timeline.table();
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        SubMonitor progress = SubMonitor.convert(monitor, sources.size());
        List<TimeEvent> events = new ArrayList<>();
        int failed = 0;
        for (PluginDescriptor source : sources) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            progress.subTask(source.id());
            try {
                events.addAll(contribute(context, source, result, progress.split(1)));
            } catch (AnalysisException | IllegalArgumentException e) {
                failed++;
                result.add(new Diagnostic(Diagnostic.Severity.ERROR, source.id(), "its times are missing from "
                        + "the timeline: " + e.getMessage()));
            }
        }
        Timeline.addAll(table, events);
        if (events.isEmpty() && failed > 0) {
            result.outcome(AnalysisResult.Outcome.NOTHING_READ);
        }
        return result;
    }

    /** Runs one contributing analysis and returns its events; its diagnostics join the timeline's. */
    private static List<TimeEvent> contribute(AnalysisContext context, PluginDescriptor source,
            AnalysisResult timeline, IProgressMonitor monitor) throws AnalysisException {
        TimelineContribution contribution = source.info().timelineContribution().orElseThrow();
        AnalysisResult r;
        try {
            r = context.run(source, Options.parse(source.info(), contribution.options()), monitor);
        } catch (RuntimeException e) {
            if (e instanceof OperationCanceledException) {
                throw e;
            }
            throw new AnalysisException(e.toString(), e);
        }
        List<TimeEvent> events = Timeline.events(r);
        if (events.isEmpty() && !r.diagnostics().isEmpty()) {
            // a source with no times (printkey on an image without hives) is one line, not its every warning
            Diagnostic first = r.diagnostics().get(0);
            int more = r.diagnostics().size() - 1;
            timeline.add(new Diagnostic(Diagnostic.Severity.WARNING, source.id(), "no times: " + (first.subject()
                    .isEmpty() ? "" : first.subject() + ": ") + first.message() + (more > 0 ? " (and " + more
                            + " more of its diagnostics)" : "")));
        } else {
            for (Diagnostic d : r.diagnostics()) {
                timeline.add(new Diagnostic(d.severity(), source.id() + (d.subject().isEmpty() ? "" : ": "
                        + d.subject()), d.message()));
            }
            if (r.outcome() == AnalysisResult.Outcome.NOTHING_READ) {
                timeline.add(new Diagnostic(Diagnostic.Severity.WARNING, source.id(),
                        "nothing it was asked for could be read"));
            }
        }
        if (r.outcome() == AnalysisResult.Outcome.INTEGRITY_FAILURE) {
            timeline.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE);
        }
        return events;
    }
}
