package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.registry.Extensions;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code vestige shell} driven by a script on its input: one case, commands and settings between them. */
public class ShellTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path image;

    @Before
    public void setUp() throws Exception {
        image = tmp.newFolder("evidence").toPath().resolve("memory.raw");
        byte[] data = new byte[2 << 20];
        new Random(5).nextBytes(data);
        Files.write(image, data);
    }

    private Cli.Invocation shell(String script, String... globals) {
        String[] args = new String[globals.length + 4];
        args[0] = "-f";
        args[1] = image.toString();
        args[2] = "-q";
        System.arraycopy(globals, 0, args, 3, globals.length);
        args[args.length - 1] = "shell";
        return Cli.captureWithInput(Extensions.fromPlatform(), script, args);
    }

    @Test
    public void commandsRunOnTheOneCaseAndRenderAsTheCommandLineDoes() throws Exception {
        Path caseFolder = tmp.getRoot().toPath().resolve("case");
        Cli.Invocation o = shell("""
                example.entropy
                renderer json
                evidence.info --probes false
                bogus.plugin
                settings
                quit
                example.entropy
                """, "--case", caseFolder.toString());
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        List<String> lines = o.out().lines().toList();
        assertTrue(o.out(), lines.get(0).startsWith("Start"));
        assertEquals(o.out(), 2, lines.stream().filter(l -> l.startsWith("0x")).count());
        JsonNode info = JsonLines.parse(lines.get(lines.size() - 1)).get(0);
        assertEquals("image", info.get("Role").asText());
        assertEquals("the digests were taken once, while the first command ran", "computed on open", info.get(
                "Digests").asText());
        assertTrue(o.err(), o.err().contains("vestige: unknown plugin 'bogus.plugin'"));
        assertTrue(o.err(), o.err().contains("vestige: renderer json, output ., save off, pid any"));
        assertEquals("nothing after quit ran", 4, lines.size());
        // the history lives in the case folder, never beside the evidence
        assertEquals(List.of(image), Files.list(image.getParent()).toList());
    }

    @Test
    public void outputFolderAndSaveApplyToTheCommandsAfterThem() throws Exception {
        Path out = tmp.newFolder("out").toPath();
        Cli.Invocation o = shell("output " + out + "\nsave on\nrenderer csv\nevidence.info example.entropy\n",
                "--no-cache", "--no-hash");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertEquals("", o.out());
        assertTrue(Files.readString(out.resolve("evidence.info.csv")).startsWith("Depth,Role,"));
        assertTrue(Files.readString(out.resolve("example.entropy.csv")).lines().count() == 3);
    }

    @Test
    public void aDefaultPidIsGivenToAnalysesThatTakeOne() {
        // the default reaches the analysis as its --pid option: a value it refuses names that option
        Cli.Invocation o = shell("pid notanumber\nwindows.pslist\nexample.entropy --block-size 1048576\n",
                "--no-cache", "--no-hash");
        assertEquals(o.err(), ExitCode.OK, o.exitCode());
        assertTrue(o.err(), o.err().contains("--pid") && o.err().contains("notanumber"));
        assertFalse("an analysis without --pid is not given one", o.err().contains("example.entropy'"));
        assertEquals(o.out(), 2, o.out().lines().filter(l -> l.startsWith("0x")).count());
    }
}
