package org.vestige.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.RendererDescriptor;
import org.vestige.core.render.CaseRecord;
import org.vestige.core.render.CaseWriter;
import org.vestige.core.result.AnalysisResult;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code vestige -f IMAGE forensic -o case.db [--analyses ID,ID…] [--jobs N]}: a named set of analyses, by
 * default every analysis of the image's memory that needs no options ({@link #defaultSet}), into one case
 * database, then the case's timeline.
 * Analyses run side by side on every core (they share the session's caches, and each is written to the
 * database whole as it finishes); the analyses of the {@value #GATHERING} category, which gather from the
 * others, run once the rest are done and take their results from the session.
 *
 * <p>A case database that exists is extended: the runs it already holds (the same analysis with the same
 * options) are skipped, so a run that was cancelled or killed is resumed by giving the same command again.
 * An analysis cut short leaves nothing in the database, so a resumed run holds no row twice.
 */
final class ForensicRun {

    /** The category of the analyses that gather from the others' results (the timeline): they run last. */
    static final String GATHERING = "Timeline";

    private final Cli cli;
    private final Extensions extensions;
    private final PrintStream err;
    private boolean quiet;

    ForensicRun(Cli cli, Extensions extensions, PrintStream err) {
        this.cli = cli;
        this.extensions = extensions;
        this.err = err;
    }

    /**
     * @return every analysis of the memory of an operating system (not of an evidence file as such: its
     *         conversion, export or verification) that needs no options: none is required, and none names an
     *         input file (a path); the gathering ones last
     */
    static List<PluginDescriptor> defaultSet(Extensions extensions) {
        List<PluginDescriptor> set = new ArrayList<>();
        for (PluginDescriptor d : extensions.plugins()) {
            PluginInfo info = d.info();
            if (info.requires(Requirement.EVIDENCE) && !"any".equals(info.os()) && info.options().stream()
                    .noneMatch(ForensicRun::needed)) {
                set.add(d);
            }
        }
        set.sort(java.util.Comparator.comparing((PluginDescriptor d) -> GATHERING.equals(d.info().category())));
        return set;
    }

    private static boolean needed(OptionSpec o) {
        return o.required() || o.type() == OptionType.PATH;
    }

    /** Runs the command: {@code args} are what follows {@code forensic}. */
    int run(Cli.Globals globals, List<String> args) {
        List<String> asked;
        int jobs;
        try {
            CommandSpec spec = CommandSpec.create().name("vestige forensic");
            org.vestige.cli.internal.CommandLineSpec.addGlobals(spec);
            spec.addOption(CommandLine.Model.OptionSpec.builder("--analyses").arity("1").type(String.class)
                    .paramLabel("ID,ID…").description("the analyses to run (default: every analysis that needs no "
                            + "options)").build());
            spec.addOption(CommandLine.Model.OptionSpec.builder("--jobs").arity("1").type(Integer.class)
                    .paramLabel("N").description("analyses run at once (default: the cores)").build());
            ParseResult parsed = new CommandLine(spec).parseArgs(args.toArray(String[]::new));
            Cli.readGlobals(parsed, globals);
            String list = parsed.matchedOptionValue("--analyses", null);
            asked = list == null ? null : List.of(list.split(","));
            jobs = parsed.matchedOptionValue("--jobs", Runtime.getRuntime().availableProcessors());
        } catch (ParameterException e) {
            return cli.usage("forensic: " + e.getMessage());
        }
        quiet = globals.quiet;
        if (globals.evidence == null) {
            return cli.usage("forensic needs evidence: give a memory image with -f IMAGE");
        }
        if (jobs < 1) {
            return cli.usage("forensic: --jobs must be at least 1");
        }
        RendererDescriptor renderer = extensions.renderer("text".equals(globals.renderer) ? "sqlite"
                : globals.renderer).orElse(null);
        if (renderer == null || !renderer.writesCaseFile()) {
            return cli.usage("forensic writes a case database: give -r with a case format (" + String.join(", ",
                    extensions.renderers().stream().filter(RendererDescriptor::writesCaseFile).map(
                            RendererDescriptor::id).toList()) + ") and -o FILE");
        }
        Path caseFile = globals.outputDir;
        if (Files.isDirectory(caseFile)) {
            return cli.usage("forensic: -o " + caseFile + " is a folder; give the case database's file, e.g. -o case."
                    + renderer.fileExtension());
        }
        List<Cli.Planned> plan;
        try {
            plan = plan(asked);
        } catch (IllegalArgumentException e) {
            return cli.usage("forensic: " + e.getMessage());
        }
        globals.outputDir = caseFile.toAbsolutePath().normalize().getParent();
        String unusable = Cli.unusableOutputFolder(globals.outputDir);
        if (unusable != null) {
            return cli.usage("-o " + caseFile + ": " + unusable);
        }
        return execute(globals, plan, renderer, caseFile, jobs);
    }

    /** @return the analyses asked for (all with their default options), or the default set */
    List<Cli.Planned> plan(List<String> asked) {
        List<PluginDescriptor> chosen = new ArrayList<>();
        if (asked == null) {
            chosen.addAll(defaultSet(extensions));
        } else {
            for (String id : asked) {
                chosen.add(extensions.plugin(id.strip()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown plugin '" + id.strip() + "'; 'vestige plugins' lists them")));
            }
        }
        List<Cli.Planned> plan = new ArrayList<>();
        for (PluginDescriptor d : chosen) {
            plan.add(new Cli.Planned(d, Options.defaults(d.info())));
        }
        return plan;
    }

    private int execute(Cli.Globals globals, List<Cli.Planned> plan, RendererDescriptor renderer, Path caseFile,
            int jobs) {
        java.time.Instant started = java.time.Instant.now();
        IProgressMonitor monitor = cli.newMonitor(globals);
        boolean extending = Files.exists(caseFile);
        EvidenceCase evidenceCase;
        try {
            evidenceCase = cli.openEvidence(globals, new NullProgressMonitor());
        } catch (EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        }
        try (AnalysisSession session = cli.newSession(evidenceCase, globals);
                CaseWriter writer = extending ? renderer.createCaseRenderer().extend(caseFile)
                        : renderer.createCaseRenderer().create(caseFile)) {
            Path recorded = writer.evidence().get("image");
            if (recorded != null && !recorded.toAbsolutePath().normalize().equals(globals.evidence.toAbsolutePath()
                    .normalize())) {
                return cli.usage("forensic: " + caseFile + " is the case of " + recorded + ", not of "
                        + globals.evidence);
            }
            Set<CaseWriter.Run> done = new HashSet<>(writer.completed());
            List<Cli.Planned> todo = plan.stream().filter(p -> !done.contains(new CaseWriter.Run(p.id(), p.options()
                    .text()))).toList();
            err.println("vestige: forensic: " + todo.size() + " of " + plan.size() + " analyses to run" + (extending
                    ? " (" + (plan.size() - todo.size()) + " already in " + caseFile + ")" : "") + ", " + jobs
                    + " at once");
            int code = runAll(session, todo, renderer, globals.outputDir, new WholeRuns(writer, todo, monitor), jobs, monitor);
            if (code == ExitCode.CANCELLED) {
                err.println("vestige: forensic: cancelled; " + caseFile + " holds every analysis that finished: give "
                        + "the same command to go on");
                return code;
            }
            cli.finishHashing(evidenceCase, monitor);
            CaseRecord record = CaseFiles.record(evidenceCase, session, cli.arguments(), started);
            writer.finish(record);
            err.println("vestige: wrote " + caseFile + " (" + renderer.name() + ")");
            return code;
        } catch (EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        } catch (OperationCanceledException e) {
            return ExitCode.CANCELLED;
        } catch (IOException e) {
            err.println("vestige: " + caseFile + ": " + e.getMessage());
            return ExitCode.ANALYSIS;
        } finally {
            monitor.done();
        }
    }

    /**
     * Runs the independent analyses {@code jobs} at once, then the gathering ones, reporting each as it ends.
     *
     * @return the most serious exit code of theirs
     */
    private int runAll(AnalysisSession session, List<Cli.Planned> todo, RendererDescriptor renderer, Path outputDir,
            CaseWriter writer, int jobs, IProgressMonitor monitor) {
        List<Cli.Planned> independent = todo.stream().filter(p -> !GATHERING.equals(p.descriptor().info()
                .category())).toList();
        List<Cli.Planned> gathering = todo.stream().filter(p -> GATHERING.equals(p.descriptor().info().category()))
                .toList();
        AtomicInteger finished = new AtomicInteger();
        int code = ExitCode.OK;
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "vestige-forensic");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Integer>> running = new ArrayList<>();
            for (Cli.Planned p : independent) {
                running.add(pool.submit(() -> runOne(session, p, renderer, outputDir, writer, monitor, finished,
                        todo.size())));
            }
            for (Future<Integer> f : running) {
                code = ExitCode.moreSerious(code, f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            monitor.setCanceled(true);
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("vestige: forensic: " + e.getCause());
            code = ExitCode.moreSerious(code, ExitCode.ANALYSIS);
        } finally {
            pool.shutdownNow();
        }
        for (Cli.Planned p : gathering) {
            code = ExitCode.moreSerious(code, runOne(session, p, renderer, outputDir, writer, monitor, finished, todo
                    .size()));
        }
        return monitor.isCanceled() ? ExitCode.CANCELLED : code;
    }

    private int runOne(AnalysisSession session, Cli.Planned p, RendererDescriptor renderer, Path outputDir,
            CaseWriter writer, IProgressMonitor monitor, AtomicInteger finished, int total) {
        if (monitor.isCanceled()) {
            return ExitCode.CANCELLED;
        }
        long start = System.nanoTime();
        int code = cli.runOne(session, p, renderer, false, outputDir, writer, new Linked(monitor));
        if (code != ExitCode.CANCELLED && !quiet) {
            err.printf("vestige: forensic: [%d/%d] %s %s in %.1f s%n", finished.incrementAndGet(), total, p.id(),
                    code == ExitCode.OK ? "done" : "ended (exit code " + code + ")", (System.nanoTime() - start)
                            / 1e9);
        }
        return code;
    }

    /** A monitor of one analysis among several: cancelled with the command's monitor. */
    private static final class Linked extends NullProgressMonitor {

        private final IProgressMonitor command;

        Linked(IProgressMonitor command) {
            this.command = command;
        }

        @Override
        public boolean isCanceled() {
            return super.isCanceled() || command.isCanceled();
        }
    }

    /**
     * The case writer the analyses of one run share: one result at a time, each with the options it ran with;
     * once the command is cancelled, none (an analysis cut short returns what it found so far, which the
     * database must not hold as its result).
     */
    private static final class WholeRuns implements CaseWriter {

        private final CaseWriter writer;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final IProgressMonitor command;

        WholeRuns(CaseWriter writer, List<Cli.Planned> plan, IProgressMonitor command) {
            this.writer = writer;
            this.command = command;
            plan.forEach(p -> options.put(p.id(), p.options().text()));
        }

        @Override
        public synchronized void add(AnalysisResult result) throws IOException {
            if (!command.isCanceled()) {
                writer.add(result, options.getOrDefault(result.pluginId(), ""));
            }
        }

        @Override
        public synchronized void finish(CaseRecord record) throws IOException {
            writer.finish(record);
        }

        @Override
        public void close() {
            // the command closes the writer it opened
        }
    }
}
