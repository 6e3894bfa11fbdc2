package org.vestige.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.vestige.core.registry.Extensions;

/**
 * The headless Equinox application: {@code vestige -f IMAGE PLUGIN [options]}. Its exit code is
 * the launcher's exit code (see {@link ExitCode}).
 *
 * @since 0.1
 */
public final class VestigeApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        int code = new Cli(Extensions.fromPlatform(), out, err).run(args == null ? new String[0] : args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void stop() {
        // runs to completion on the main thread; nothing to interrupt
    }
}
