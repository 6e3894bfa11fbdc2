package org.vestige.fleet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code vestige -r json --save} launch said on stderr, read back: each analysis's diagnostics (printed
 * after the line saying its result was written), the analyses that failed and an evidence error. A message may
 * run over several lines; the lines that follow it without the {@code vestige: } prefix belong to it.
 */
public final class LaunchLog {

    /**
     * One diagnostic of a case.
     *
     * @param analysis the analysis that reported it, or null when the launch itself did (opening the evidence)
     * @param severity info, warning or error
     * @param message  what it said, subject first
     */
    public record Diagnostic(String analysis, String severity, String message) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static final Pattern WROTE = Pattern.compile("vestige: wrote .* \\(\\d+ bytes, sha256 \\w+\\): (\\S+) result \\(json\\)");
    private static final Pattern DIAGNOSTIC = Pattern.compile("vestige: (info|warning|error): (.*)", Pattern.DOTALL);
    private static final Pattern FAILED = Pattern.compile("vestige: (\\S+) failed: (.*)", Pattern.DOTALL);
    private static final Pattern NOTHING = Pattern.compile("vestige: (\\S+): (nothing it was asked for could be read)");
    private static final Pattern EVIDENCE = Pattern.compile("vestige: evidence error: (.*)", Pattern.DOTALL);

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String evidenceError;

    /** Reads the launch's stderr. */
    public static LaunchLog parse(List<String> lines) {
        LaunchLog log = new LaunchLog();
        List<String> messages = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("vestige: ") || messages.isEmpty()) {
                messages.add(line);
            } else {
                messages.set(messages.size() - 1, messages.get(messages.size() - 1) + "\n" + line);
            }
        }
        String current = null;
        for (String m : messages) {
            Matcher x;
            if ((x = WROTE.matcher(m)).matches()) {
                current = x.group(1);
            } else if ((x = DIAGNOSTIC.matcher(m)).matches()) {
                log.diagnostics.add(new Diagnostic(current, x.group(1), x.group(2).strip()));
            } else if ((x = FAILED.matcher(m)).matches()) {
                log.diagnostics.add(new Diagnostic(x.group(1), "error", "failed: " + x.group(2).strip()));
                log.failures.add(x.group(1) + " failed: " + firstLine(x.group(2)));
            } else if ((x = NOTHING.matcher(m)).matches()) {
                log.diagnostics.add(new Diagnostic(x.group(1), "error", x.group(2)));
                log.failures.add(x.group(1) + ": " + x.group(2));
            } else if ((x = EVIDENCE.matcher(m)).matches()) {
                log.evidenceError = x.group(1).strip();
                log.diagnostics.add(new Diagnostic(null, "error", "evidence error: " + log.evidenceError));
            }
        }
        return log;
    }

    private static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }

    /** @return every diagnostic, in the order printed */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** @return one line per analysis that failed or read nothing: the analysis and why */
    public List<String> failures() {
        return failures;
    }

    /** @return why the evidence could not be opened, or null when it was */
    public String evidenceError() {
        return evidenceError;
    }
}
