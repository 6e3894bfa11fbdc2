package org.vestige.ui;

import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.swt.widgets.Display;

/**
 * Measures how long the UI thread leaves events waiting: a thread posts a ping to the display every few
 * milliseconds and records the longest time one waited before it ran; both as measured, and less the time
 * the JVM's collectors stopped every thread meanwhile (which is no work of the UI thread's, and on a loaded
 * machine can alone exceed the budget).
 */
final class UiWatchdog implements AutoCloseable {

    private static final long PERIOD_MILLIS = 5;

    private final Display display;
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong longestWorkNanos = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private static final int MAX_SAMPLES = 20;
    private final java.util.List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();

    UiWatchdog(Display display) {
        this.display = display;
        thread = new Thread(this::ping, "UI watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private void ping() {
        while (running && !display.isDisposed()) {
            long posted = System.nanoTime();
            long gcAtPost = gcMillis();
            Object done = new Object();
            boolean[] ran = {false};
            display.asyncExec(() -> {
                long waited = System.nanoTime() - posted;
                longestNanos.accumulateAndGet(waited, Math::max);
                longestWorkNanos.accumulateAndGet(waited - (gcMillis() - gcAtPost) * 1_000_000, Math::max);
                synchronized (done) {
                    ran[0] = true;
                    done.notifyAll();
                }
            });
            synchronized (done) {
                while (!ran[0] && running) {
                    try {
                        done.wait(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    // a ping that has not run yet counts as it waits, so a UI thread that never returns is seen
                    if (!ran[0]) {
                        longestNanos.accumulateAndGet(System.nanoTime() - posted, Math::max);
                        sample();
                    }
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records where the UI thread is while a ping waits (at most a few samples), to say what blocked it. */
    private void sample() {
        if (samples.size() >= MAX_SAMPLES) {
            return;
        }
        StringBuilder b = new StringBuilder();
        StackTraceElement[] stack = display.getThread().getStackTrace();
        for (int i = 0; i < Math.min(12, stack.length); i++) {
            b.append("\n    at ").append(stack[i]);
        }
        samples.add(b.toString());
    }

    /** @return where the UI thread was, sampled while pings waited for it */
    java.util.List<String> samples() {
        return java.util.List.copyOf(samples);
    }

    /** @return the longest a ping waited for the UI thread, in milliseconds */
    long longestMillis() {
        return longestNanos.get() / 1_000_000;
    }

    /** @return the longest a ping waited for the UI thread less the collectors' pauses meanwhile, in milliseconds */
    long longestWorkMillis() {
        return longestWorkNanos.get() / 1_000_000;
    }

    /** @return how long the JVM's collectors have run so far, in milliseconds */
    static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory
                .getGarbageCollectorMXBeans()) {
            total += Math.max(0, b.getCollectionTime());
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(1000);
    }
}
