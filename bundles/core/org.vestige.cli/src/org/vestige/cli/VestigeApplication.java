package org.vestige.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.vestige.core.registry.Extensions;

/**
 * The headless Equinox application: {@code vestige -f IMAGE PLUGIN [options]}. Its exit code is
 * the launcher's exit code (see {@link ExitCode}).
 *
 * <p>Ctrl-C (SIGINT) starts the JVM's shutdown; a shutdown hook then cancels the running
 * analysis's monitor and waits a few seconds for the command to stop, so files it was writing are
 * closed and its output and the "cancelled" message are flushed. The JVM then exits with 130,
 * which is {@link ExitCode#CANCELLED}.
 *
 * @since 0.1
 */
public final class VestigeApplication implements IApplication {

    /** How long Ctrl-C waits for the analysis to notice it was cancelled. */
    private static final long STOP_SECONDS = 5;

    private volatile Cli cli;

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        Cli command = new Cli(Extensions.fromPlatform(), out, err);
        cli = command;
        Thread hook = new Thread(() -> stopAndWait(command), "vestige-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = command.run(args == null ? new String[0] : args);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came as the command ended: the hook is running and returns at once
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    private static void stopAndWait(Cli command) {
        command.cancel();
        try {
            command.awaitFinished(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        // the framework is shutting down: stop the analysis as Ctrl-C would
        Cli command = cli;
        if (command != null) {
            stopAndWait(command);
        }
    }
}
