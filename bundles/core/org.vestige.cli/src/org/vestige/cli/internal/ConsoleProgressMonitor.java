package org.vestige.cli.internal;

import java.io.PrintStream;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * Progress on stderr for headless runs: the task name and a percentage, at most a few times a
 * second, on one line rewritten in place when stderr is a terminal and as plain lines otherwise.
 * Short work (under a second) prints nothing.
 */
public final class ConsoleProgressMonitor extends NullProgressMonitor {

    private static final long QUIET_MILLIS = 1000;
    private static final long INTERVAL_MILLIS = 250;

    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private final long started = System.currentTimeMillis();
    private String task = "";
    private double total;
    private double worked;
    private long lastPrint;
    private int lastPercent = -1;
    private boolean printed;

    public ConsoleProgressMonitor(PrintStream err) {
        this.err = err;
    }

    @Override
    public void beginTask(String name, int totalWork) {
        if (total <= 0) {
            task = name == null ? "" : name;
            total = totalWork;
        }
    }

    @Override
    public void setTaskName(String name) {
        task = name == null ? "" : name;
    }

    @Override
    public void subTask(String name) {
        if (name != null && !name.isEmpty()) {
            task = name;
        }
    }

    @Override
    public synchronized void internalWorked(double work) {
        worked += work;
        print(false);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    @Override
    public synchronized void done() {
        if (printed && terminal) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    private void print(boolean force) {
        long now = System.currentTimeMillis();
        if (total <= 0 || (!force && (now - started < QUIET_MILLIS || now - lastPrint < INTERVAL_MILLIS))) {
            return;
        }
        int percent = (int) Math.min(100, worked * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        lastPrint = now;
        printed = true;
        if (terminal) {
            err.print("\r\033[K" + task + ": " + percent + "%");
        } else {
            err.println("vestige: " + task + ": " + percent + "%");
        }
        err.flush();
    }
}
