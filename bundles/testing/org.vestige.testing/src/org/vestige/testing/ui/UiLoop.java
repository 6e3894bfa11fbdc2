package org.vestige.testing.ui;

import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;

/**
 * The event loop for workbench tests that run on the UI thread: jobs report back through
 * {@code asyncExec}, so a test waits by dispatching events, never by sleeping alone.
 *
 * @since 0.1
 */
public final class UiLoop {

    /** How long a test waits for a job or a view before it fails. */
    private static final long TIMEOUT_MILLIS = 180_000;

    private UiLoop() {
    }

    /** Dispatches every pending event of the current thread's display. */
    public static void drain() {
        Display d = Display.getCurrent();
        while (d.readAndDispatch()) {
            // drain
        }
    }

    /**
     * Dispatches events until the condition holds, then drains what is left.
     *
     * @param what what is awaited, for the failure message
     * @throws AssertionError when it does not hold within three minutes
     */
    public static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        Display d = Display.getCurrent();
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (!d.readAndDispatch()) {
                Thread.sleep(10);
            }
        }
        drain();
    }
}
