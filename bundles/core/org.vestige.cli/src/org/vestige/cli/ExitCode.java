package org.vestige.cli;

/**
 * Exit codes of the {@code vestige} command, distinct so scripts can tell a typo from bad
 * evidence from a failed analysis.
 *
 * @since 0.1
 */
public final class ExitCode {

    /** The analysis ran (it may still have reported diagnostics). */
    public static final int OK = 0;
    /**
     * The command line is wrong: unknown plugin or option, bad value, missing argument or evidence, an output
     * folder that is a file or cannot be written.
     */
    public static final int USAGE = 2;
    /**
     * The evidence (the image, a paging file, a hive file) is missing, unreadable, empty, not a regular file,
     * recognised but damaged, or no format can open it.
     */
    public static final int EVIDENCE = 3;
    /**
     * The analysis failed to produce a result, or could read nothing it was asked for
     * ({@link org.vestige.core.result.AnalysisResult.Outcome#NOTHING_READ}).
     */
    public static final int ANALYSIS = 4;
    /**
     * The evidence failed an integrity check: a hash it stores, or a manifest, does not match what was read
     * ({@link org.vestige.core.result.AnalysisResult.Outcome#INTEGRITY_FAILURE}); the result is still printed.
     */
    public static final int INTEGRITY = 5;
    /**
     * The command was cancelled (Ctrl-C, or {@link Cli#cancel()}): 128 + SIGINT, the status the JVM
     * exits with on Ctrl-C, so a script sees the same code whichever way the run stopped.
     */
    public static final int CANCELLED = 130;

    private static final java.util.List<Integer> SERIOUSNESS = java.util.List.of(CANCELLED, INTEGRITY, EVIDENCE,
            USAGE, ANALYSIS, OK);

    private ExitCode() {
    }

    /**
     * The exit code of a command that ran several analyses: the more serious of two codes, in the order
     * cancelled, integrity failure, evidence error, usage error, analysis failure, success.
     */
    public static int moreSerious(int a, int b) {
        return SERIOUSNESS.indexOf(a) <= SERIOUSNESS.indexOf(b) ? a : b;
    }
}
