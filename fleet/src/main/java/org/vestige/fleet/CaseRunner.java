package org.vestige.fleet;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs one case in a Spark task: the {@code vestige} launcher as a child process, one launch running every
 * analysis on the image opened once ({@code -r json --save}), then the saved results staged as rows (see
 * {@link ResultRows}), the diagnostics it printed staged too, and a {@link CaseReport} handed back. A case that
 * fails (the evidence cannot be opened, no kernel is found, a launch times out) is a report with the reason; it
 * never fails the task, so the other cases complete.
 */
public final class CaseRunner implements Serializable {

    /** The dataset of every case's diagnostics. */
    public static final String DIAGNOSTICS = "diagnostics";

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What {@link #launch} returns for a launch stopped at the timeout. */
    private static final int TIMED_OUT = Integer.MIN_VALUE;

    private final FleetSettings settings;

    /** A runner for the analyses and output {@code settings} name. */
    public CaseRunner(FleetSettings settings) {
        this.settings = settings;
    }

    /** Runs {@code c} and stages its rows; the report says how it went. */
    public CaseReport run(FleetCase c) {
        long start = System.nanoTime();
        Configuration conf = new Configuration();
        Path work = null;
        try {
            work = Files.createTempDirectory("vestige-case-");
            Path evidence = Files.createDirectories(work.resolve("evidence"));
            Path image = CaseFiles.local(c.image(), evidence, conf);
            List<Path> pagefiles = new ArrayList<>();
            for (String pf : c.pagefiles()) {
                pagefiles.add(CaseFiles.local(pf, evidence, conf));
            }
            Path results = work.resolve("results");
            Path stderr = work.resolve("stderr.txt");
            int exit = launch(CaseFiles.product(settings.product()), image, pagefiles, results, stderr);
            LaunchLog log = LaunchLog.parse(exit == TIMED_OUT ? List.of()
                    : Files.readAllLines(stderr, StandardCharsets.UTF_8));
            CaseFacts facts = CaseFacts.read(results);
            Map<String, List<String>> columns = stage(c, facts, results, conf);
            stageDiagnostics(c, facts, log, conf);
            String error = exit == TIMED_OUT ? "stopped after " + settings.timeoutMinutes() + " minutes"
                    : error(facts, log, exit);
            return new CaseReport(c.caseId(), c.image(), c.pagefiles(), facts, exit == TIMED_OUT ? -1 : exit,
                    seconds(start), error, columns);
        } catch (IOException | RuntimeException e) {
            return new CaseReport(c.caseId(), c.image(), c.pagefiles(), CaseFacts.none(), -1, seconds(start),
                    e.getMessage() == null ? e.toString() : e.getMessage(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CaseReport(c.caseId(), c.image(), c.pagefiles(), CaseFacts.none(), -1, seconds(start),
                    "interrupted", Map.of());
        } finally {
            CaseFiles.delete(work);
        }
    }

    /** @return the launch's exit code, or {@link #TIMED_OUT} when it was stopped */
    private int launch(Path product, Path image, List<Path> pagefiles, Path results, Path stderr)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(product.toString(), "-q", "--no-cache", "-f",
                image.toString()));
        for (Path pf : pagefiles) {
            command.add("--pagefile");
            command.add(pf.toString());
        }
        command.addAll(List.of("-o", results.toString(), "-r", "json", "--save"));
        settings.launchAnalyses().forEach(command::addAll);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        if (settings.productJvmOpts() != null) {
            pb.environment().put("VESTIGE_JVM_OPTS", settings.productJvmOpts());
        }
        if (settings.productJavaHome() != null) {
            // a relative JDK is one shipped with --archives, unpacked in the executor's working folder
            pb.environment().put("JAVA_HOME", Path.of(settings.productJavaHome()).toAbsolutePath().toString());
        } else {
            // the executor's own Java (17 for Spark) is too old for the product: let it find its JDK 21+
            pb.environment().remove("JAVA_HOME");
        }
        Process p = pb.start();
        if (!p.waitFor(settings.timeoutMinutes(), TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return TIMED_OUT;
        }
        return p.exitValue();
    }

    /** Stages the rows of every requested analysis the launch saved; @return each one's columns */
    private Map<String, List<String>> stage(FleetCase c, CaseFacts facts, Path results, Configuration conf)
            throws IOException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (String id : settings.analysisIds()) {
            Path saved = results.resolve(id + ".jsonl");
            if (!Files.isRegularFile(saved)) {
                continue;
            }
            ResultRows rows = new ResultRows(c.caseId(), facts.sha256());
            for (String line : Files.readAllLines(saved, StandardCharsets.UTF_8)) {
                rows.add(line);
            }
            Staging.write(settings.output(), id, c.ordinal(), rows.rows(), conf);
            columns.put(id, List.copyOf(rows.columns()));
        }
        return columns;
    }

    private void stageDiagnostics(FleetCase c, CaseFacts facts, LaunchLog log, Configuration conf)
            throws IOException {
        List<String> rows = new ArrayList<>();
        for (LaunchLog.Diagnostic d : log.diagnostics()) {
            ObjectNode row = JSON.createObjectNode();
            row.put(ResultRows.CASE_ID, c.caseId());
            row.put(ResultRows.IMAGE_SHA256, facts.sha256());
            row.put("analysis", d.analysis());
            row.put("severity", d.severity());
            row.put("message", d.message());
            rows.add(JSON.writeValueAsString(row));
        }
        Staging.write(settings.output(), DIAGNOSTICS, c.ordinal(), rows, conf);
    }

    /** @return why the case failed, or null when every analysis ran */
    static String error(CaseFacts facts, LaunchLog log, int exit) {
        if (log.evidenceError() != null) {
            return "evidence error: " + log.evidenceError();
        }
        if (facts.discovery() != null && !facts.discovery().equals("complete")) {
            return "no Windows kernel found: kernel discovery " + facts.discovery();
        }
        if (!log.failures().isEmpty()) {
            return String.join("; ", log.failures());
        }
        return exit == 0 ? null : "vestige exited with " + exit;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
