package org.vestige.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.cli.internal.CommandLineSpec;
import org.vestige.cli.internal.CliHints;
import org.vestige.cli.internal.ConsoleProgressMonitor;
import org.vestige.cli.internal.PluginHelp;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.UsageException;
import org.vestige.core.plugin.OutputPaths;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.RendererDescriptor;
import org.vestige.core.render.CaseWriter;
import org.vestige.core.render.Renderer;
import org.vestige.core.store.PageStates;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec.Builder;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code vestige} command line, independent of how it is launched (the Equinox application,
 * or tests calling {@link #run(String[])} inside the OSGi runtime).
 *
 * <pre>
 * vestige -f EVIDENCE [--pagefile [N=]FILE]... [-r text|json|csv] [-o OUTDIR] PLUGIN [plugin options]...
 * vestige -f EVIDENCE [global options] shell
 * vestige plugins
 * vestige help PLUGIN
 * </pre>
 *
 * Global options may stand before or after the plugin's name; the plugin's own options are
 * generated from its {@code plugin.xml} declaration.
 *
 * @since 0.1
 */
public final class Cli {

    static final String VERSION = "Vestige 0.1.0";

    private final Extensions extensions;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean cancelled;
    private volatile IProgressMonitor monitor;
    private int cacheNotesShown;
    /** -q: cache notes that only say the cache was used as recorded are not shown */
    private boolean quiet;
    /** The command being run, as given (recorded in case files). */
    private List<String> args = List.of();

    public Cli(Extensions extensions, PrintStream out, PrintStream err) {
        this(extensions, System.in, out, err);
    }

    /**
     * @param in where {@code vestige shell} reads its lines (the terminal, or a script)
     * @since 0.1
     */
    public Cli(Extensions extensions, InputStream in, PrintStream out, PrintStream err) {
        this.extensions = extensions;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * What one command printed and its exit code.
     *
     * @param exitCode the exit code (see {@link ExitCode})
     * @param out      what it wrote to standard output (the rendered result)
     * @param err      what it wrote to standard error (progress, diagnostics, written files, errors)
     */
    public record Invocation(int exitCode, String out, String err) {
    }

    /** Runs one command with its output captured, e.g. to embed Vestige or to test a plugin end to end. */
    public static Invocation capture(Extensions extensions, String... args) {
        return captureWithInput(extensions, "", args);
    }

    /** Runs one command reading {@code input} as its standard input (a {@code shell} script), output captured. */
    public static Invocation captureWithInput(Extensions extensions, String input, String... args) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        int code = new Cli(extensions, new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8))
                .run(args);
        return new Invocation(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Global options, shared by every command. */
    static final class Globals {
        Path evidence;
        /** the further files of the evidence set, given with repeated {@code -f} (the other AFF4 volumes) */
        List<Path> companions = List.of();
        String format;
        List<String> pagefiles = new ArrayList<>();
        List<Path> symbols = new ArrayList<>();
        java.util.Set<String> disabledStores = new java.util.TreeSet<>();
        java.util.Set<String> excludedProfiles = new java.util.TreeSet<>();
        String renderer = "text";
        Path outputDir = Paths.get(".");
        boolean noHash;
        Path caseDir;
        boolean noCache;
        boolean save;
        boolean quiet;
        boolean help;
        boolean version;
    }

    /**
     * Cancels the command from any thread (the launcher does on Ctrl-C): the running analysis's
     * monitor is cancelled, and work not yet begun does not start. {@link #run(String[])} then
     * returns {@link ExitCode#CANCELLED}.
     *
     * @since 0.1
     */
    public void cancel() {
        cancelled = true;
        IProgressMonitor m = monitor;
        if (m != null) {
            m.setCanceled(true);
        }
    }

    /**
     * Waits for {@link #run(String[])} to return, its output flushed.
     *
     * @return whether it returned within the timeout
     * @since 0.1
     */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /**
     * Runs one command.
     *
     * @return the process exit code, see {@link ExitCode}
     */
    public int run(String[] args) {
        try {
            return execute(args);
        } finally {
            out.flush();
            err.flush();
            finished.countDown();
        }
    }

    /** @return the arguments of the command running, as given */
    List<String> arguments() {
        return args;
    }

    private int execute(String[] args) {
        this.args = List.of(args);
        for (String p : extensions.problems()) {
            err.println("vestige: warning: " + p);
        }
        Globals globals = new Globals();
        List<String> rest;
        try {
            ParseResult parsed = new CommandLine(CommandLineSpec.command()).parseArgs(args);
            readGlobals(parsed, globals);
            quiet = globals.quiet;
            rest = parsed.matchedPositionals().isEmpty() ? List.of() : parsed.matchedPositional(0).getValue();
        } catch (ParameterException e) {
            return usage(e.getMessage());
        }
        if (globals.version) {
            out.println(VERSION);
            out.flush();
            return ExitCode.OK;
        }
        if (rest.isEmpty()) {
            if (globals.help) {
                printUsage();
                return ExitCode.OK;
            }
            return usage("no plugin given");
        }
        String command = rest.get(0);
        List<String> tail = rest.subList(1, rest.size());
        return switch (command) {
            case "plugins" -> listPlugins(globals, tail);
            case "shell" -> runShell(globals, tail);
            case "forensic" -> new ForensicRun(this, extensions, err).run(globals, tail);
            case "help" -> help(tail);
            default -> runPlugins(rest, globals);
        };
    }

    static void readGlobals(ParseResult p, Globals g) {
        if (p.hasMatchedOption("-f")) {
            List<Path> files = p.matchedOptionValue("-f", List.<Path>of());
            g.evidence = files.get(0);
            g.companions = List.copyOf(files.subList(1, files.size()));
        }
        if (p.hasMatchedOption("--format")) {
            g.format = p.matchedOptionValue("--format", null);
        }
        if (p.hasMatchedOption("--pagefile")) {
            g.pagefiles.addAll(p.matchedOptionValue("--pagefile", List.<String>of()));
        }
        if (p.hasMatchedOption("--symbols")) {
            g.symbols.addAll(p.matchedOptionValue("--symbols", List.<Path>of()));
        }
        if (p.hasMatchedOption("--no-compressed-store")) {
            g.disabledStores.add(PageStates.COMPRESSED);
        }
        if (p.hasMatchedOption("--disable-store")) {
            g.disabledStores.addAll(p.matchedOptionValue("--disable-store", List.<String>of()));
        }
        if (p.hasMatchedOption("--exclude-profile")) {
            g.excludedProfiles.addAll(p.matchedOptionValue("--exclude-profile", List.<String>of()));
        }
        if (p.hasMatchedOption("-r")) {
            g.renderer = p.matchedOptionValue("-r", "text");
        }
        if (p.hasMatchedOption("-o")) {
            g.outputDir = p.matchedOptionValue("-o", Paths.get("."));
        }
        g.noHash |= p.hasMatchedOption("--no-hash");
        if (p.hasMatchedOption("--case")) {
            g.caseDir = p.matchedOptionValue("--case", null);
        }
        g.noCache |= p.hasMatchedOption("--no-cache");
        g.save |= p.hasMatchedOption("--save");
        g.quiet |= p.hasMatchedOption("-q");
        g.help |= p.hasMatchedOption("-h");
        g.version |= p.hasMatchedOption("-V");
    }

    /** One analysis the command line asks for, with its options. */
    record Planned(PluginDescriptor descriptor, Options options) {

        String id() {
            return descriptor.info().id();
        }
    }

    /**
     * Runs the analyses of one command line on one case, in order: {@code PLUGIN [options] [PLUGIN [options]]...},
     * a plugin id among the arguments starting the next analysis. The evidence is opened (and hashed) once, and
     * every analysis shares the session's caches. An analysis that fails is reported and the rest still run; the
     * exit code is the most serious of theirs.
     */
    private int runPlugins(List<String> command, Globals globals) {
        List<Planned> plan;
        try {
            plan = plan(command, globals);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (globals.help) {
            plan.forEach(p -> out.print(PluginHelp.describe(p.descriptor().info())));
            out.flush();
            return ExitCode.OK;
        }
        RendererDescriptor renderer = extensions.renderer(globals.renderer).orElse(null);
        if (renderer == null) {
            return usage(unknownRenderer(globals.renderer));
        }
        if (plan.size() > 1 && !globals.save && !"text".equals(renderer.id()) && !renderer.writesCaseFile()) {
            return usage(plan.size() + " analyses would write " + renderer.id() + " to one stream; give --save to "
                    + "write each to its own file under -o");
        }
        for (Planned p : plan) {
            if (p.descriptor().info().requires(org.vestige.core.plugin.Requirement.EVIDENCE)
                    && globals.evidence == null) {
                return usage(p.id() + " needs evidence: give a memory image with -f IMAGE");
            }
        }
        Path caseFile = null;
        if (renderer.writesCaseFile()) {
            caseFile = globals.outputDir;
            String refused = unusableCaseFile(caseFile, renderer);
            if (refused != null) {
                return usage("-o " + caseFile + ": " + refused);
            }
            // the files analyses write go beside the case file
            globals.outputDir = caseFile.toAbsolutePath().normalize().getParent();
        }
        String unusable = unusableGlobals(globals);
        if (unusable != null) {
            return usage(unusable);
        }
        java.time.Instant started = java.time.Instant.now();
        IProgressMonitor monitor = newMonitor(globals);
        // opening is quick: the evidence is hashed in the background while the analyses run
        SubMonitor progress = SubMonitor.convert(monitor, 1 + 99 * plan.size());
        String first = plan.get(0).id();
        EvidenceCase evidenceCase;
        try {
            evidenceCase = openEvidence(globals, progress.split(1, SubMonitor.SUPPRESS_NONE));
        } catch (EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        } catch (OperationCanceledException e) {
            return cancelled(first);
        }
        try (AnalysisSession session = newSession(evidenceCase, globals);
                CaseWriter caseWriter = caseFile == null ? null : renderer.createCaseRenderer().create(caseFile)) {
            int code = ExitCode.OK;
            for (Planned p : plan) {
                if (monitor.isCanceled()) {
                    return cancelled(p.id());
                }
                if (plan.size() > 1 && !globals.save && caseWriter == null) {
                    out.println((p == plan.get(0) ? "" : "\n") + "== " + p.id() + " ==");
                    out.flush();
                }
                code = ExitCode.moreSerious(code, runOne(session, p, renderer, globals.save, globals.outputDir,
                        caseWriter, progress.split(99, SubMonitor.SUPPRESS_NONE)));
                if (code == ExitCode.CANCELLED) {
                    return code;
                }
            }
            finishHashing(evidenceCase, monitor);
            if (caseWriter != null) {
                caseWriter.finish(CaseFiles.record(evidenceCase, session, args, started));
                err.println("vestige: wrote " + caseFile + " (" + renderer.name() + ")");
            }
            return code;
        } catch (EvidenceException e) {
            err.println("vestige: evidence error: " + e.getMessage());
            return ExitCode.EVIDENCE;
        } catch (OperationCanceledException e) {
            return cancelled(first);
        } catch (IllegalStateException e) {
            err.println("vestige: " + e.getMessage());
            return ExitCode.ANALYSIS;
        } catch (IOException e) {
            err.println("vestige: " + (caseFile == null ? "closing the case failed: " : caseFile + ": ")
                    + e.getMessage());
            return caseFile == null ? ExitCode.EVIDENCE : ExitCode.ANALYSIS;
        } finally {
            monitor.done();
        }
    }

    /**
     * @return why {@code file} cannot be the case file a case renderer writes (it is a folder or exists, or its
     *         folder cannot be written), or {@code null} when it can
     */
    static String unusableCaseFile(Path file, RendererDescriptor renderer) {
        if (Files.isDirectory(file)) {
            return "is a folder; " + renderer.id() + " writes one file: give its name, e.g. -o case."
                    + renderer.fileExtension();
        }
        if (Files.exists(file)) {
            return "exists; " + renderer.id() + " writes a new file and never overwrites one";
        }
        return unusableOutputFolder(file.toAbsolutePath().normalize().getParent());
    }

    /**
     * @return the analyses of a command line, each with its parsed options (global options among them are read
     *         into {@code globals})
     * @throws IllegalArgumentException with a usage message naming an unknown plugin or a bad option
     */
    List<Planned> plan(List<String> command, Globals globals) {
        List<Planned> plan = new ArrayList<>();
        for (List<String> segment : splitAtPluginIds(command)) {
            String id = segment.get(0);
            PluginDescriptor descriptor = extensions.plugin(id).orElse(null);
            if (descriptor == null) {
                List<String> close = extensions.suggest(id, 3);
                throw new IllegalArgumentException("unknown plugin '" + id + "'" + (close.isEmpty()
                        ? "; 'vestige plugins' lists them" : "; did you mean " + String.join(", ", close) + "?"));
            }
            try {
                plan.add(new Planned(descriptor, parsePluginArgs(descriptor.info(), segment.subList(1, segment
                        .size()), globals)));
            } catch (ParameterException | IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (see 'vestige help " + id + "')", e);
            }
        }
        return plan;
    }

    /** @return why the global options cannot be used (a usage message), or {@code null} when they can */
    private String unusableGlobals(Globals globals) {
        try {
            globals.pagefiles.forEach(PagefileSpec::parse);
        } catch (IllegalArgumentException e) {
            return "--pagefile: " + e.getMessage();
        }
        String unusable = unusableOutputFolder(globals.outputDir);
        if (unusable != null) {
            return "-o " + globals.outputDir + ": " + unusable;
        }
        unusable = globals.caseDir == null || globals.noCache ? null : unusableCaseFolder(globals.caseDir,
                globals.evidence);
        return unusable == null ? null : "--case " + globals.caseDir + ": " + unusable;
    }

    /** @return the command's progress monitor (silent with -q), which {@link #cancel()} cancels */
    IProgressMonitor newMonitor(Globals globals) {
        IProgressMonitor m = globals.quiet ? new NullProgressMonitor() : new ConsoleProgressMonitor(err);
        this.monitor = m;
        if (cancelled) {
            m.setCanceled(true);
        }
        return m;
    }

    /**
     * Opens the evidence of {@code -f} with its paging files, hashing in the background and through the case
     * cache, and prints what the open had to say; {@code null} when no evidence was given.
     */
    EvidenceCase openEvidence(Globals globals, IProgressMonitor monitor) throws EvidenceException {
        if (globals.evidence == null) {
            return null;
        }
        List<PagefileSpec> pagefiles = globals.pagefiles.stream().map(PagefileSpec::parse).toList();
        CaseCache cache = globals.noCache ? null : globals.caseDir != null ? CaseCache.at(globals.caseDir)
                : CaseCache.userDefault();
        EvidenceCase c = EvidenceCase.open(globals.evidence, pagefiles, extensions.formats(), EvidenceCase.Options
                .defaults().withHash(!globals.noHash).withHashWhileAnalysing(true).withFormat(globals.format)
                .withCache(cache).withCompanions(globals.companions), monitor);
        c.problems().forEach(p -> err.println("vestige: warning: " + p));
        cacheNotesShown = 0;
        showCacheNotes(c);
        return c;
    }

    AnalysisSession newSession(EvidenceCase evidenceCase, Globals globals) {
        return new AnalysisSession(evidenceCase, extensions, SessionSettings.builder(globals.outputDir).symbols(
                globals.symbols).disableStores(globals.disabledStores).excludeProfiles(globals.excludedProfiles)
                .build());
    }

    /** Runs one analysis of the command line on the open session, renders its result and says how it went. */
    int runOne(AnalysisSession session, Planned p, RendererDescriptor renderer, boolean save, Path outputDir,
            IProgressMonitor progress) {
        return runOne(session, p, renderer, save, outputDir, null, progress);
    }

    /**
     * Runs one analysis of the command line on the open session, renders its result (into the case file when
     * {@code caseWriter} is given) and says how it went.
     */
    int runOne(AnalysisSession session, Planned p, RendererDescriptor renderer, boolean save, Path outputDir,
            CaseWriter caseWriter, IProgressMonitor progress) {
        String id = p.id();
        try {
            Analysis analysis;
            try {
                analysis = p.descriptor().create();
            } catch (IllegalStateException e) {
                err.println("vestige: " + e.getMessage());
                return ExitCode.ANALYSIS;
            }
            AnalysisResult result = session.run(p.descriptor().info(), analysis, p.options(), outputDir,
                    progress);
            if (caseWriter != null) {
                caseWriter.add(result);
            } else if (save) {
                save(result, renderer, outputDir);
            } else {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                renderer.create().render(result, w, CliHints.INSTANCE);
                w.flush();
            }
            report(result);
            // an analysis that stops early on cancel returns what it found so far: rendered above
            return monitor.isCanceled() ? cancelled(id) : switch (result.outcome()) {
                case COMPLETE -> ExitCode.OK;
                case NOTHING_READ -> {
                    err.println("vestige: " + id + ": nothing it was asked for could be read");
                    yield ExitCode.ANALYSIS;
                }
                case INTEGRITY_FAILURE -> {
                    err.println("vestige: " + id + ": the evidence failed its integrity check");
                    yield ExitCode.INTEGRITY;
                }
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (AnalysisException e) {
            if (e.getCause() instanceof EvidenceException evidence) {
                err.println("vestige: evidence error: " + evidence.getMessage());
                return ExitCode.EVIDENCE;
            }
            err.println("vestige: " + id + " failed: " + e.getMessage());
            return ExitCode.ANALYSIS;
        } catch (OperationCanceledException e) {
            return cancelled(id);
        } catch (IOException | RuntimeException e) {
            err.println("vestige: " + id + " failed: " + e);
            if (Boolean.getBoolean("vestige.debug")) {
                e.printStackTrace(err);
            }
            return ExitCode.ANALYSIS;
        }
    }

    /** Writes a result to {@code OUTDIR/<plugin>.<extension>} in the chosen format and reports the file. */
    private void save(AnalysisResult result, RendererDescriptor renderer, Path outputDir) throws IOException,
            AnalysisException {
        Path file = OutputPaths.resolve(outputDir, result.pluginId() + "." + renderer.fileExtension());
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            renderer.create().render(result, w, CliHints.INSTANCE);
        }
        OutputFile f = OutputFile.of(file, result.pluginId() + " result (" + renderer.id() + ")");
        err.println("vestige: wrote " + f.path() + " (" + f.size() + " bytes, sha256 " + f.sha256() + "): "
                + f.description());
    }

    /**
     * @return the command split into analyses: each plugin id among the arguments starts the next one (the first
     *         argument is always a plugin id)
     */
    List<List<String>> splitAtPluginIds(List<String> command) {
        List<List<String>> segments = new ArrayList<>();
        for (String arg : command) {
            if (segments.isEmpty() || (!arg.startsWith("-") && extensions.plugin(arg).isPresent())) {
                segments.add(new ArrayList<>());
            }
            segments.get(segments.size() - 1).add(arg);
        }
        return segments;
    }

    /**
     * Collects the digests of the files hashed while the analysis ran (the run takes the longer of the two, not
     * their sum) and prints them, with what the case cache did with them.
     */
    void finishHashing(EvidenceCase c, IProgressMonitor monitor) throws EvidenceException {
        if (c == null) {
            return;
        }
        if (c.digestsPending()) {
            showCacheNotes(c);
            for (EvidenceRecord r : c.awaitDigests(monitor)) {
                err.println("vestige: " + r.path().getFileName() + " hashed while the analysis ran: MD5 " + r
                        .digests().md5() + ", SHA-1 " + r.digests().sha1() + ", SHA-256 " + r.digests().sha256());
            }
        }
        showCacheNotes(c);
    }

    /** Prints what the case cache did since the last time: digests reused or recorded, discovery facts used. */
    private void showCacheNotes(EvidenceCase c) {
        List<String> notes = c.cacheNotes();
        notes.stream().skip(cacheNotesShown).filter(n -> !(quiet && c.routine(n))).forEach(n -> err.println(
                "vestige: case cache: " + n));
        cacheNotesShown = notes.size();
    }

    /**
     * @return why {@code folder} cannot hold the case cache (it cannot be created or written, or it is the
     *         evidence's own folder: nothing is written beside the evidence), or {@code null} if it can
     */
    static String unusableCaseFolder(Path folder, Path evidence) {
        Path f = folder.toAbsolutePath().normalize();
        if (evidence != null && f.equals(evidence.toAbsolutePath().normalize().getParent())) {
            return "is the evidence's own folder; the case cache is never written beside the evidence";
        }
        String unusable = unusableOutputFolder(f);
        return unusable == null ? null : unusable.replace("the files analyses write", "the case cache");
    }

    /**
     * @return why {@code folder} cannot take the files analyses write (it is a file, or neither it nor the
     *         nearest folder above it that exists can be written), or {@code null} when it can
     */
    static String unusableOutputFolder(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        if (Files.exists(f) && !Files.isDirectory(f)) {
            return "is a file, not a folder: give a folder for the files analyses write";
        }
        Path existing = f;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return "cannot be created: " + (existing == null ? "no part of it exists" : existing
                    + " is a file");
        }
        if (!Files.isWritable(existing)) {
            return (existing.equals(f) ? "" : "cannot be created: " + existing + " ") + "is not writable";
        }
        return null;
    }

    private int cancelled(String id) {
        err.println("vestige: " + id + " cancelled");
        return ExitCode.CANCELLED;
    }

    private void report(AnalysisResult result) {
        for (Diagnostic d : result.diagnostics()) {
            err.println("vestige: " + d);
        }
        for (OutputFile f : result.files()) {
            err.println("vestige: wrote " + f.path() + " (" + f.size() + " bytes, sha256 " + f.sha256() + ")"
                    + (f.description().isEmpty() ? "" : ": " + f.description()));
        }
    }

    private Options parsePluginArgs(PluginInfo info, List<String> args, Globals globals) {
        CommandSpec spec = CommandSpec.create().name("vestige " + info.id());
        CommandLineSpec.addGlobals(spec);
        Map<String, OptionSpec> byFlag = new LinkedHashMap<>();
        for (OptionSpec o : info.options()) {
            String flag = "--" + o.name();
            Builder b = picocli.CommandLine.Model.OptionSpec.builder(flag).description(o.description());
            if (o.type() == OptionType.BOOLEAN) {
                b.arity("0..1").type(String.class).fallbackValue("true");
            } else {
                b.arity("1").type(o.multiple() ? List.class : String.class).paramLabel(o.type().id().toUpperCase(
                        java.util.Locale.ROOT));
                if (o.multiple()) {
                    b.auxiliaryTypes(String.class);
                }
            }
            spec.addOption(b.build());
            byFlag.put(flag, o);
        }
        ParseResult parsed = new CommandLine(spec).parseArgs(args.toArray(String[]::new));
        readGlobals(parsed, globals);
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (Map.Entry<String, OptionSpec> e : byFlag.entrySet()) {
            if (parsed.hasMatchedOption(e.getKey())) {
                Object v = parsed.matchedOptionValue(e.getKey(), null);
                List<String> values = new ArrayList<>();
                if (v instanceof List<?> l) {
                    l.forEach(x -> values.add(String.valueOf(x)));
                } else {
                    values.add(String.valueOf(v));
                }
                given.put(e.getValue().name(), values);
            }
        }
        return Options.parse(info, given);
    }

    private Renderer renderer(String id) {
        RendererDescriptor d = extensions.renderer(id).orElseThrow(() -> new IllegalArgumentException(
                unknownRenderer(id)));
        if (d.writesCaseFile()) {
            throw new IllegalArgumentException(caseFileOnly(d));
        }
        return d.create();
    }

    /** @return the usage message for a case-file format asked for where results go to a stream */
    static String caseFileOnly(RendererDescriptor d) {
        return "-r " + d.id() + " writes a case file: give it with the analyses to run, and -o FILE."
                + d.fileExtension();
    }

    private String unknownRenderer(String id) {
        return "unknown output format '" + id + "' (available: " + extensions.renderers().stream().map(
                RendererDescriptor::id).collect(Collectors.joining(", ")) + ")";
    }

    /** {@code vestige -f IMAGE shell}: an interactive session on the case (see {@link Shell}). */
    private int runShell(Globals globals, List<String> args) {
        try {
            CommandSpec spec = CommandSpec.create().name("vestige shell");
            CommandLineSpec.addGlobals(spec);
            readGlobals(new CommandLine(spec).parseArgs(args.toArray(String[]::new)), globals);
        } catch (ParameterException e) {
            return usage("shell: " + e.getMessage());
        }
        if (extensions.renderer(globals.renderer).isEmpty()) {
            return usage(unknownRenderer(globals.renderer));
        }
        if (extensions.renderer(globals.renderer).get().writesCaseFile()) {
            return usage(caseFileOnly(extensions.renderer(globals.renderer).get()));
        }
        String unusable = unusableGlobals(globals);
        if (unusable != null) {
            return usage(unusable);
        }
        CaseCache cache = globals.noCache ? null : globals.caseDir != null ? CaseCache.at(globals.caseDir)
                : CaseCache.userDefault();
        Path history = cache == null ? null : cache.folder().resolve("shell-history");
        IProgressMonitor monitor = newMonitor(globals);
        try {
            return new Shell(this, extensions, out, err, globals).run(in, history, monitor);
        } finally {
            monitor.done();
        }
    }

    int listPlugins(Globals globals, List<String> args) {
        try {
            CommandSpec spec = CommandSpec.create().name("vestige plugins");
            CommandLineSpec.addGlobals(spec);
            readGlobals(new CommandLine(spec).parseArgs(args.toArray(String[]::new)), globals);
        } catch (ParameterException e) {
            return usage("plugins: " + e.getMessage());
        }
        Renderer renderer;
        try {
            renderer = renderer(globals.renderer);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            renderer.render(PluginHelp.listing(extensions.plugins()), w);
            w.flush();
        } catch (IOException e) {
            err.println("vestige: cannot write the listing: " + e.getMessage());
            return ExitCode.ANALYSIS;
        }
        return ExitCode.OK;
    }

    private int help(List<String> args) {
        if (args.isEmpty()) {
            printUsage();
            return ExitCode.OK;
        }
        String id = args.get(0);
        return extensions.plugin(id).map(d -> {
            out.print(PluginHelp.describe(d.info()));
            out.flush();
            return ExitCode.OK;
        }).orElseGet(() -> {
            List<String> close = extensions.suggest(id, 3);
            return usage("unknown plugin '" + id + "'" + (close.isEmpty() ? "" : "; did you mean " + String.join(
                    ", ", close) + "?"));
        });
    }

    private void printUsage() {
        out.print(CommandLineSpec.usage());
        out.flush();
    }

    int usage(String message) {
        err.println("vestige: " + message);
        err.println();
        err.print(CommandLineSpec.usage());
        err.flush();
        return ExitCode.USAGE;
    }
}
