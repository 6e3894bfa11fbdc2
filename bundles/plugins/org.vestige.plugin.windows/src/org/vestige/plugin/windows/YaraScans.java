package org.vestige.plugin.windows;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.layer.Layer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;

/** What the YARA analyses share around a scan: making the scanner, reporting libyara's refusals and the totals. */
final class YaraScans {

    private YaraScans() {
    }

    static YaraScanner scanner(Layer layer, YaraRules rules, YaraFindings findings, IProgressMonitor monitor) {
        return new YaraScanner(layer, rules, monitor::isCanceled, findings);
    }

    /** Finishes a scanner's last window and reports what libyara refused in it, as warnings on {@code subject}. */
    static boolean finish(YaraScanner scanner, String subject, AnalysisResult result) {
        boolean go = scanner.finish();
        scanner.errors().forEach(e -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, e)));
        scanner.errors().clear();
        return go;
    }

    /** Says how many matches and unread ranges there were, and when {@code --limit} stopped the scan. */
    static void summarize(AnalysisResult result, YaraFindings findings, boolean complete) {
        if (!complete) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "--limit", "stopped after " + findings.matches()
                    + " matches; the rest of memory was not scanned"));
        }
        if (findings.unread() > 0) {
            result.add(new Diagnostic(Diagnostic.Severity.INFO, "unread memory", findings.unread()
                    + " ranges could not be read and were not scanned (listed as rows with the cause)"));
        }
    }
}
