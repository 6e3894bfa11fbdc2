package org.vestige.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.vestige.cli.Cli.Globals;
import org.vestige.cli.Cli.Planned;
import org.vestige.cli.internal.PluginHelp;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.RendererDescriptor;

/**
 * {@code vestige -f IMAGE shell}: an interactive session on one case. The evidence is opened (and hashed, in the
 * background) once; each line runs analyses as the command line would ({@code PLUGIN [options] [PLUGIN
 * [options]]...}), against the same session, so what the first analysis discovered — the kernel, its profile, the
 * process list, the backing stores — is not discovered again. Lines are edited with history (kept in the case
 * cache's folder, never beside the evidence) and completion of analysis names and options.
 *
 * <p>Besides analyses, a line may be {@code renderer text|json|csv}, {@code output DIR}, {@code save on|off},
 * {@code pid [N]} (a process every analysis with a {@code --pid} option is given unless the line names one),
 * {@code plugins}, {@code help [PLUGIN]}, {@code settings} or {@code quit}. Ctrl-C stops the running analysis
 * and returns to the prompt; Ctrl-D or {@code quit} ends the session.
 */
final class Shell {

    /** The words a line may start with besides a plugin id. */
    static final List<String> BUILTINS = List.of("renderer", "output", "save", "pid", "plugins", "help", "settings",
            "quit", "exit");

    private static final DefaultParser PARSER = new DefaultParser();

    private final Cli cli;
    private final Extensions extensions;
    private final PrintStream out;
    private final PrintStream err;
    private final Globals globals;
    private String renderer;
    private Path output;
    private boolean save;
    private String pid;

    Shell(Cli cli, Extensions extensions, PrintStream out, PrintStream err, Globals globals) {
        this.cli = cli;
        this.extensions = extensions;
        this.out = out;
        this.err = err;
        this.globals = globals;
        this.renderer = globals.renderer;
        this.output = globals.outputDir;
        this.save = globals.save;
    }

    /**
     * Reads and runs lines until the input ends or {@code quit}.
     *
     * @param in      where lines come from: the terminal when it is one, else any stream (a script)
     * @param history the history file, or {@code null} to keep history in memory only
     * @return the exit code of the session: 0, or the evidence error that stopped it from opening
     */
    int run(InputStream in, Path history, IProgressMonitor openMonitor) {
        EvidenceCase evidenceCase;
        try {
            evidenceCase = cli.openEvidence(globals, openMonitor);
        } catch (org.vestige.core.evidence.EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        }
        try (AnalysisSession session = cli.newSession(evidenceCase, globals); Lines lines = lines(in, history)) {
            err.println("vestige: shell on " + (evidenceCase == null ? "no evidence" : evidenceCase.image().path())
                    + "; 'help' lists the commands, 'quit' or Ctrl-D ends");
            while (true) {
                String line = lines.next();
                if (line == null) {
                    break;
                }
                List<String> words = new ArrayList<>(PARSER.parse(line, line.length()).words());
                words.removeIf(String::isBlank);
                if (words.isEmpty()) {
                    continue;
                }
                if (words.get(0).equals("quit") || words.get(0).equals("exit")) {
                    break;
                }
                execute(words, session, lines.terminal());
            }
            cli.finishHashing(evidenceCase, cli.newMonitor(globals));
            return ExitCode.OK;
        } catch (org.vestige.core.evidence.EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        } catch (OperationCanceledException e) {
            return ExitCode.OK;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("vestige: shell: " + e.getMessage());
            return ExitCode.ANALYSIS;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Where lines come from: the terminal (edited, with history and completion) or a script. */
    private interface Lines extends AutoCloseable {

        /** @return the next line, or {@code null} at the end of the input */
        String next() throws IOException;

        /** @return the terminal the analyst types at, or {@code null} for a script */
        Terminal terminal();

        @Override
        void close() throws IOException;
    }

    /**
     * @return the system terminal with line editing when the analyst types at one; otherwise (a script piped in)
     *         the input's lines as they are, with no prompt, so that stdout holds only results
     */
    private Lines lines(InputStream in, Path history) throws IOException {
        if (in == System.in && interactive()) {
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("vestige").parser(PARSER)
                    .completer(new Completions(extensions)).variable(LineReader.HISTORY_FILE, history).build();
            return new Lines() {
                @Override
                public String next() {
                    while (true) {
                        try {
                            return reader.readLine("vestige> ");
                        } catch (UserInterruptException e) {
                            // Ctrl-C at the prompt: a new line
                        } catch (EndOfFileException e) {
                            return null;
                        }
                    }
                }

                @Override
                public Terminal terminal() {
                    return terminal;
                }

                @Override
                public void close() throws IOException {
                    reader.getHistory().save();
                    terminal.close();
                }
            };
        }
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                java.nio.charset.StandardCharsets.UTF_8));
        return new Lines() {
            @Override
            public String next() throws IOException {
                return reader.readLine();
            }

            @Override
            public Terminal terminal() {
                return null;
            }

            @Override
            public void close() {
                // the input belongs to the caller
            }
        };
    }

    /** @return whether standard input and output are a terminal (Console.isTerminal where the JVM has it) */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console exists only for a terminal
        }
    }

    /** Runs one line: a built-in, or analyses on the session. */
    private void execute(List<String> words, AnalysisSession session, Terminal terminal) {
        String first = words.get(0);
        List<String> rest = words.subList(1, words.size());
        switch (first) {
            case "renderer" -> setRenderer(rest);
            case "output" -> setOutput(rest);
            case "save" -> save = rest.isEmpty() || rest.get(0).equalsIgnoreCase("on");
            case "pid" -> pid = rest.isEmpty() ? null : rest.get(0);
            case "settings" -> err.println("vestige: renderer " + renderer + ", output " + output + ", save "
                    + (save ? "on" : "off") + ", pid " + (pid == null ? "any" : pid));
            case "plugins" -> {
                Globals g = new Globals();
                g.renderer = renderer;
                cli.listPlugins(g, List.of());
            }
            case "help" -> {
                if (rest.isEmpty()) {
                    err.println("vestige: PLUGIN [options] [PLUGIN [options]]... runs analyses on the case; "
                            + String.join(", ", BUILTINS) + " are the shell's own commands");
                } else {
                    extensions.plugin(rest.get(0)).ifPresentOrElse(d -> out.print(PluginHelp.describe(d.info())),
                            () -> err.println("vestige: unknown plugin '" + rest.get(0) + "'"));
                }
            }
            default -> analyse(words, session, terminal);
        }
        out.flush();
    }

    private void setRenderer(List<String> rest) {
        if (rest.isEmpty() || extensions.renderer(rest.get(0)).isEmpty()) {
            err.println("vestige: renderer " + String.join(" ", rest) + ": give one of " + extensions.renderers()
                    .stream().filter(r -> !r.writesCaseFile()).map(RendererDescriptor::id).toList());
            return;
        }
        if (extensions.renderer(rest.get(0)).get().writesCaseFile()) {
            err.println("vestige: renderer " + rest.get(0) + ": " + Cli.caseFileOnly(extensions.renderer(rest.get(0))
                    .get()));
            return;
        }
        renderer = rest.get(0);
    }

    private void setOutput(List<String> rest) {
        if (rest.isEmpty()) {
            err.println("vestige: output " + output);
            return;
        }
        Path folder = Paths.get(rest.get(0));
        String unusable = Cli.unusableOutputFolder(folder);
        if (unusable != null) {
            err.println("vestige: output " + folder + ": " + unusable);
            return;
        }
        output = folder;
    }

    private void analyse(List<String> words, AnalysisSession session, Terminal terminal) {
        List<Planned> plan;
        try {
            plan = cli.plan(withPid(words), new Globals());
        } catch (IllegalArgumentException e) {
            err.println("vestige: " + e.getMessage());
            return;
        }
        RendererDescriptor r = extensions.renderer(renderer).orElseThrow();
        if (plan.size() > 1 && !save && !"text".equals(r.id())) {
            err.println("vestige: " + plan.size() + " analyses would write " + r.id() + " to one stream; 'save on' "
                    + "writes each to its own file under the output folder");
            return;
        }
        IProgressMonitor monitor = cli.newMonitor(globals);
        Terminal.SignalHandler previous = terminal == null ? null : terminal.handle(Terminal.Signal.INT,
                s -> monitor.setCanceled(true));
        try {
            for (Planned p : plan) {
                if (monitor.isCanceled()) {
                    break;
                }
                if (plan.size() > 1 && !save) {
                    out.println("== " + p.id() + " ==");
                }
                cli.runOne(session, p, r, save, output, monitor);
                out.flush();
            }
        } finally {
            if (terminal != null) {
                terminal.handle(Terminal.Signal.INT, previous);
            }
            monitor.done();
        }
    }

    /** @return the line's words with {@code --pid} added to each analysis that takes one and names none */
    private List<String> withPid(List<String> words) {
        if (pid == null) {
            return words;
        }
        List<String> result = new ArrayList<>();
        for (List<String> segment : cli.splitAtPluginIds(words)) {
            result.addAll(segment);
            boolean takesPid = extensions.plugin(segment.get(0)).map(d -> d.info().options().stream().anyMatch(
                    o -> o.name().equals("pid"))).orElse(false);
            if (takesPid && !segment.contains("--pid")) {
                result.add("--pid");
                result.add(pid);
            }
        }
        return result;
    }

    /** Completes the first word with plugin ids and the shell's commands, later words with the plugin's options. */
    static final class Completions implements Completer {

        private final Extensions extensions;

        Completions(Extensions extensions) {
            this.extensions = extensions;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            complete(line.words().subList(0, line.wordIndex()), line.word()).forEach(c -> candidates.add(
                    new Candidate(c)));
        }

        /**
         * @param before the words before the one being completed
         * @param word   the word being completed (its beginning)
         * @return what it may become
         */
        List<String> complete(List<String> before, String word) {
            List<String> found = new ArrayList<>();
            PluginDescriptor current = null;
            for (String w : before) {
                current = extensions.plugin(w).orElse(current);
            }
            if (word.startsWith("-") && current != null) {
                for (OptionSpec o : current.info().options()) {
                    found.add("--" + o.name());
                }
            } else {
                extensions.plugins().forEach(d -> found.add(d.info().id()));
                if (before.isEmpty()) {
                    found.addAll(BUILTINS);
                }
            }
            String prefix = word.toLowerCase(Locale.ROOT);
            found.removeIf(c -> !c.toLowerCase(Locale.ROOT).startsWith(prefix));
            return found.stream().sorted().distinct().toList();
        }
    }
}
