package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Assume;
import org.junit.Test;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.cli.internal.CommandLineSpec;

import picocli.CommandLine.Model.OptionSpec;

/**
 * The usage text is picocli's, generated from the command's declaration, and the README's option
 * table says the same as that declaration: the same options, names and descriptions.
 */
public class UsageTest {

    private static final String SECTION = "## Running it on your own evidence";

    @Test
    public void theReadmeTableListsExactlyTheDeclaredOptions() throws IOException {
        Path readme = readme();
        Assume.assumeTrue("README.md with a '" + SECTION + "' section not found above " + System.getProperty(
                "user.dir"), readme != null);
        Map<String, String> table = optionTable(Files.readString(readme));
        Map<String, String> declared = new LinkedHashMap<>();
        for (OptionSpec o : CommandLineSpec.command().options()) {
            declared.put(cell(o), String.join(" ", o.description()));
        }
        assertFalse("no option rows found in " + readme, table.isEmpty());
        assertEquals("README.md's option table (" + readme + ") against the declared options", declared, table);
        assertEquals("the same order", new ArrayList<>(declared.keySet()), new ArrayList<>(table.keySet()));
    }

    @Test
    public void helpPrintsEveryOptionWithItsDescriptionAndTheExitCodes() {
        Cli.Invocation o = CliTest.vestige("--help");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertEquals(CommandLineSpec.usage(), o.out());
        assertTrue(o.out(), o.out().startsWith("Usage: vestige -f EVIDENCE [OPTIONS] PLUGIN [PLUGIN OPTIONS]\n"
                + "       vestige plugins "));
        // in the order they are declared (and the README lists them), the evidence first
        assertTrue(o.out(), o.out().indexOf("--file") < o.out().indexOf("--pagefile") && o.out().indexOf(
                "--pagefile") < o.out().indexOf("--quiet"));
        String text = o.out().replaceAll("\\s+", " ");
        for (OptionSpec spec : CommandLineSpec.command().options()) {
            assertTrue(spec.longestName(), text.contains(spec.longestName()));
            // picocli wraps descriptions; compare with whitespace collapsed
            assertTrue(spec.longestName() + " description in\n" + o.out(), text.contains(String.join(" ", spec
                    .description()).replaceAll("\\s+", " ")));
        }
        assertTrue(o.out(), text.contains("Exit codes:"));
        assertTrue(o.out(), text.contains("130 cancelled (Ctrl-C)"));
        assertTrue(o.out(), text.contains("2 usage error"));
        assertEquals(CliTest.vestige("help").out(), o.out());
    }

    @Test
    public void aUsageErrorPrintsTheMessageAndTheGeneratedUsageOnStderr() {
        Cli.Invocation o = CliTest.vestige("--bogus");
        assertEquals(ExitCode.USAGE, o.exitCode());
        assertEquals("", o.out());
        assertTrue(o.err(), o.err().startsWith("vestige: Unknown option: '--bogus'"));
        assertTrue(o.err(), o.err().endsWith(CommandLineSpec.usage()));
    }

    /** @return the rows of the option table in the README's section, option cell to description */
    static Map<String, String> optionTable(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue("README.md has no '" + SECTION + "' section", start >= 0);
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : section.split("\n")) {
            if (line.startsWith("| option |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|");
            assertEquals("two cells in " + line, 2, cells.length);
            String option = cells[0].strip();
            assertTrue("the option is code: " + line, option.startsWith("`") && option.endsWith("`"));
            String previous = rows.put(option.substring(1, option.length() - 1).replace("\\|", "|"), cells[1]
                    .strip().replace("\\|", "|"));
            assertEquals("one row per option: " + line, null, previous);
        }
        return rows;
    }

    /** @return how the README's table names an option: its names, and its parameter if it takes one */
    private static String cell(OptionSpec o) {
        String names = String.join(", ", o.names());
        return o.arity().max() > 0 ? names + " " + o.paramLabel() : names;
    }

    /** @return README.md of the repository holding the working directory, or null */
    private static Path readme() throws IOException {
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir
                .getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.readString(candidate).contains(SECTION)) {
                return candidate;
            }
        }
        return null;
    }
}
