package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.registry.Extensions;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code vestige forensic} on a synthesized Windows 10 image: the case database of a run cancelled after a few
 * analyses and given again holds what a run never interrupted holds — every analysis once, each table with as
 * many rows — and a third run adds nothing. The databases are read with Debian's {@code sqlite3}.
 * Analyses that fail write nothing and are tried again by each run.
 */
public class ForensicRunTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private final ImageSynthesizer.Output image = SynthesizedImages.installed(
            "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", SynthOptions.builder().seed(33).windowsBuild(
                    19041).build());

    private String[] command(Path db) {
        return new String[] {"-f", image.image().toString(), "--no-hash", "-q", "forensic", "-o", db.toString(),
            "--jobs", "2"};
    }

    /** @return the number of rows of every table of the database, by table */
    static Map<String, Long> rowCounts(Path db) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode t : CaseExportTest.query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
            String name = t.get("name").asText();
            if (name.equals("case_facts") || name.equals("evidence")) {
                continue; // the command and when it started differ from run to run
            }
            counts.put(name, CaseExportTest.query(db, "SELECT count(*) AS n FROM \"" + name + "\"").get(0).get("n")
                    .asLong());
        }
        return counts;
    }

    /** @return the analyses table's plugins with their options, in id order */
    static List<String> analyses(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : CaseExportTest.query(db, "SELECT plugin, options FROM analyses ORDER BY plugin")) {
            out.add(r.get("plugin").asText() + " [" + r.get("options").asText() + "]");
        }
        return out;
    }

    @Test
    public void aRunCancelledAndGivenAgainHoldsWhatAnUninterruptedRunHolds() throws Exception {
        Path clean = tmp.newFolder("clean").toPath().resolve("case.db");
        Cli.Invocation whole = WindowsAnalysesTest.vestige(command(clean));
        assertTrue(whole.err(), whole.exitCode() == ExitCode.OK || whole.exitCode() == ExitCode.ANALYSIS);
        List<String> all = analyses(clean);
        assertTrue("analyses: " + all, all.size() > 20 && all.stream().anyMatch(a -> a.startsWith(
                "windows.timeliner ")));
        assertFalse("an analysis that needs a file of rules is not run: " + all, all.stream().anyMatch(a -> a
                .startsWith("windows.yarascan ")));
        assertEquals("each once: " + all, all.size(), all.stream().map(a -> a.substring(0, a.indexOf(' '))).distinct()
                .count());

        Path resumed = tmp.newFolder("resumed").toPath().resolve("case.db");
        int cancelled = runCancelledAfter(6, command(resumed));
        assertEquals(ExitCode.CANCELLED, cancelled);
        int partial = analyses(resumed).size();
        // of the six that ended some may have failed, and written nothing
        assertTrue("cancelled after 6: " + partial, partial >= 1 && partial <= 6 && partial < all.size());
        Cli.Invocation again = WindowsAnalysesTest.vestige(command(resumed));
        assertEquals(again.err(), whole.exitCode(), again.exitCode());
        assertEquals(all, analyses(resumed));
        assertEquals(rowCounts(clean), rowCounts(resumed));

        Cli.Invocation third = WindowsAnalysesTest.vestige(command(resumed));
        // only the analyses that failed (and wrote nothing) are tried again
        assertTrue(third.err(), third.err().contains("(" + all.size() + " already in "));
        assertEquals(rowCounts(clean), rowCounts(resumed));
    }

    /** Runs the command and cancels it once {@code n} analyses have ended (as the progress lines say). */
    private static int runCancelledAfter(int n, String[] args) throws InterruptedException {
        Cli[] cli = new Cli[1];
        StringBuilder seen = new StringBuilder();
        OutputStream err = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                seen.append(text).append('\n');
                if (text.startsWith("vestige: forensic: [" + n + "/")) {
                    cli[0].cancel();
                }
            }
        };
        List<String> withProgress = new ArrayList<>(List.of(args));
        withProgress.remove("-q");
        cli[0] = new Cli(Extensions.fromPlatform(), new ByteArrayInputStream(new byte[0]), new PrintStream(
                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true,
                        StandardCharsets.UTF_8));
        int code = cli[0].run(withProgress.toArray(String[]::new));
        assertTrue(seen.toString(), seen.indexOf("cancelled") >= 0);
        return code;
    }
}
