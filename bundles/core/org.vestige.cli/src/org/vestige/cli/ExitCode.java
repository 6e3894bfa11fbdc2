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
    /** The command line is wrong: unknown plugin or option, bad value, missing argument. */
    public static final int USAGE = 2;
    /** The evidence is missing, unreadable, empty, or no format can open it. */
    public static final int EVIDENCE = 3;
    /** The analysis failed to produce a result. */
    public static final int ANALYSIS = 4;
    /**
     * The command was cancelled (Ctrl-C, or {@link Cli#cancel()}): 128 + SIGINT, the status the JVM
     * exits with on Ctrl-C, so a script sees the same code whichever way the run stopped.
     */
    public static final int CANCELLED = 130;

    private ExitCode() {
    }
}
