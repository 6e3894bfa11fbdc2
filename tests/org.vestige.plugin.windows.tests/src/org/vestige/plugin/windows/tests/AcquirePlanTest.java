package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code acquire.plan}: the plan it lists and the kit it writes. No PowerShell runs here, so the script is
 * read with {@link PowerShellTokens}, a tokenizer for the subset of PowerShell it is written in: it must
 * tokenize with no error and balanced brackets, hold the steps in the order responders take them (memory
 * with the paging files, files, process dumps, disk), skip the protected processes by name and its own
 * console host by walking its ParentProcessId ancestry, keep 7-Zip's working folder on the output drive,
 * and hash every file it writes into the manifest.
 */
public class AcquirePlanTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path plan(String output, String... more) throws Exception {
        Path out = tmp.newFolder().toPath();
        List<String> args = new ArrayList<>(List.of("-q", "-o", out.toString(), "acquire.plan", "--evidence-folder", output,
                "-r", "json"));
        args.addAll(List.of(more));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), 0, o.exitCode());
        Files.writeString(out.resolve("plan.jsonl"), o.out());
        return out;
    }

    private static PowerShellTokens script(Path out) throws Exception {
        PowerShellTokens t = new PowerShellTokens(Files.readString(out.resolve("collect.ps1"), StandardCharsets.UTF_8));
        assertEquals(List.of(), t.errors);
        return t;
    }

    private static int index(List<PowerShellTokens.Statement> statements, Predicate<PowerShellTokens.Statement> p,
            String what) {
        for (int i = 0; i < statements.size(); i++) {
            if (p.test(statements.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no statement " + what);
    }

    private static int step(List<PowerShellTokens.Statement> statements, String step) {
        return index(statements, s -> s.first().equals("Write-Step") && s.tokens().size() >= 3 && s.tokens().get(1)
                .value().equals(step) && s.tokens().get(2).value().equals("begin"), "Write-Step '" + step
                        + "' 'begin'");
    }

    @Test
    public void theScriptTokenizesAndHoldsTheStepsInOrder() throws Exception {
        List<PowerShellTokens.Statement> st = script(plan("E:\\case-42")).statements();
        int memory = step(st, "memory");
        int files = step(st, "files");
        int dumps = step(st, "process-dump");
        int disk = step(st, "disk");
        assertTrue(memory < files && files < dumps && dumps < disk);
        int winpmem = index(st, s -> s.first().equals("&") && s.has("$WinPmem"), "running WinPmem");
        assertTrue(memory < winpmem && winpmem < files);
        // -p for each paging file that exists, in the same WinPmem run
        assertTrue(index(st, s -> s.has("$paging") && s.has("-p"), "adding -p") < winpmem);
        assertTrue(st.get(winpmem).has("@paging"));
        int procdump = index(st, s -> s.first().equals("&") && s.has("$ProcDump"), "running ProcDump");
        assertTrue(dumps < procdump && procdump < disk);
        assertTrue(st.get(procdump).has("-ma"));
    }

    @Test
    public void theProtectedProcessesAreSkippedAndRecorded() throws Exception {
        List<PowerShellTokens.Statement> st = script(plan("E:\\case-42")).statements();
        PowerShellTokens.Statement param = st.get(index(st, s -> s.has("$Skip") && s.has("@("), "declaring $Skip"));
        for (String name : List.of("System", "Registry", "Secure System", "MemCompression")) {
            assertTrue(name, param.has(name));
        }
        int test = index(st, s -> s.first().equals("if") && s.has("$Skip") && s.has("-contains") && s.has("$p.Name"),
                "testing $Skip");
        assertTrue(st.get(test + 1).text(), st.get(test + 1).text().startsWith("$who.refused ="));
        assertEquals("Add-Manifest", st.get(test + 2).first());
        assertEquals("continue", st.get(test + 3).first());
        assertTrue(test < index(st, s -> s.first().equals("&") && s.has("$ProcDump"), "running ProcDump"));
    }

    @Test
    public void itsOwnConsoleHostIsFoundByAncestryNotByName() throws Exception {
        List<PowerShellTokens.Statement> st = script(plan("E:\\case-42")).statements();
        // the ancestry walks ParentProcessId from $PID
        int function = index(st, s -> s.first().equals("function") && s.has("Get-Ancestry"), "Get-Ancestry");
        int start = index(st, s -> s.has("$id") && s.has("=") && s.has("$PID"), "starting from $PID");
        int parent = index(st, s -> s.has("$id") && s.has("$p.ParentProcessId"), "following ParentProcessId");
        assertTrue(function < start && start < parent);
        // the console host is the conhost.exe whose parent is in that chain
        PowerShellTokens.Statement own = st.get(index(st, s -> s.has("$ownConsole") && s.has("=") && s.has(
                "Name = 'conhost.exe'"), "selecting conhost.exe"));
        assertTrue(own.text(), own.has("$ancestry") && own.has("$_.ParentProcessId") && own.has("-contains"));
        int skip = index(st, s -> s.first().equals("if") && s.has("$ownConsole"), "skipping the own console");
        assertTrue(st.get(skip).has("$PID"));
        assertEquals("continue", st.get(skip + 3).first());
        // nothing is skipped because it is named conhost.exe
        for (PowerShellTokens.Statement s : st) {
            assertFalse(s.text(), s.first().equals("if") && s.tokens().stream().anyMatch(t -> t.value().contains(
                    "conhost")));
        }
    }

    @Test
    public void sevenZipWorksOnTheOutputDriveAndEveryFileIsHashedIntoTheManifest() throws Exception {
        List<PowerShellTokens.Statement> st = script(plan("E:\\case-42")).statements();
        assertTrue(st.get(index(st, s -> s.first().equals("$Work"), "$Work")).has("$Root"));
        PowerShellTokens.Statement sevenZip = st.get(index(st, s -> s.first().equals("&") && s.has("$SevenZip") && s
                .has("a"), "7-Zip's a"));
        assertTrue(sevenZip.text(), sevenZip.has("-w$Work") && sevenZip.has("-t7z"));
        int test = index(st, s -> s.first().equals("&") && s.has("$SevenZip") && s.has("t"), "7-Zip's t");
        int remove = index(st, s -> s.first().equals("Remove-Item") && s.has("$dump"), "deleting the dump");
        assertTrue(test < remove);
        assertTrue(st.get(remove - 1).has("$LASTEXITCODE"));
        PowerShellTokens.Statement hash = st.get(index(st, s -> s.has("Get-FileHash") && s.has("$file"),
                "hashing in Add-Manifest"));
        assertTrue(hash.has("SHA256"));
        for (String step : List.of("memory", "files", "process-dump")) {
            index(st, s -> s.first().equals("Add-Manifest") && s.tokens().get(1).value().equals(step) && !s.tokens()
                    .get(2).text().equals("$null"), "Add-Manifest " + step + " of a file");
        }
        // TEMP of every tool run from the script is on the output drive too
        assertTrue(index(st, s -> s.first().equals("$env:TEMP"), "setting TEMP") < index(st, s -> s.first().equals(
                "&") && s.has("$WinPmem"), "running WinPmem"));
    }

    @Test
    public void valuesAreLiteralsAndTheSystemDriveIsRefused() throws Exception {
        Path out = plan("E:\\o'brien case", "--skip", "System", "--skip", "it's");
        PowerShellTokens t = script(out);
        PowerShellTokens.Statement param = t.statements().stream().filter(s -> s.has("$Output")).findFirst()
                .orElseThrow();
        assertTrue(param.text(), param.has("E:\\o'brien case"));
        assertTrue(t.statements().stream().anyMatch(s -> s.has("$Skip") && s.has("it's")));
        List<JsonNode> rows = JsonLines.parse(Files.readString(plan("C:\\collection").resolve("plan.jsonl")));
        assertTrue(rows.get(0).get("Why").asText().contains("refuses unless run with -AllowSystemDrive"));
        List<PowerShellTokens.Statement> st = script(plan("C:\\collection")).statements();
        int check = index(st, s -> s.first().equals("if") && s.has("$OutputDrive") && s.has("-eq") && s.has(
                "$AllowSystemDrive"), "comparing the output's drive with the system drive");
        assertEquals("exit 2", st.get(check + 2).text());
        assertTrue(check < index(st, s -> s.first().equals("New-Item"), "creating the output folders"));
    }

    @Test
    public void thePlanListsTheStepsBeforeTheyRunAndTheFallbackKeepsTheirOrder() throws Exception {
        Path out = plan("F:\\ir");
        List<JsonNode> rows = JsonLines.parse(Files.readString(out.resolve("plan.jsonl")));
        assertEquals(List.of("prepare", "memory", "files", "process-dump", "process-dump", "disk", "manifest"), rows
                .stream().map(r -> r.get("Step").asText()).toList());
        for (JsonNode r : rows) {
            assertFalse(r.toString(), r.get("Why").asText().isBlank());
        }
        assertTrue(rows.get(1).get("Why").asText().contains("winpmem-3.3.rc3.exe"));
        String cmd = Files.readString(out.resolve("collect.cmd"));
        assertTrue(cmd.contains("\r\n"));
        int memory = cmd.indexOf("call :step memory begin");
        int files = cmd.indexOf("call :step files begin");
        int dumps = cmd.indexOf("call :step process-dump");
        int disk = cmd.indexOf("call :step disk begin");
        assertTrue(memory > 0 && memory < files && files < dumps && dumps < disk);
        assertTrue(cmd.contains("set \"OUT=F:\\ir\""));
        assertFalse("the fallback runs no ProcDump", cmd.contains(" -ma "));
    }

    @Test
    public void theTokenizerReportsWhatPowerShellWouldNotParse() {
        assertEquals(List.of("line 1: unterminated single-quoted string"), new PowerShellTokens("Write-Host 'a").errors);
        assertEquals(1, new PowerShellTokens("if ($a) { Write-Host \"x\" ").errors.size());
        assertEquals(1, new PowerShellTokens("$a = @(1, 2))").errors.size());
        assertTrue(new PowerShellTokens("Write-Host \"on $drive: now\"").errors.get(0).contains("not valid"));
        assertEquals(List.of(), new PowerShellTokens("Write-Host \"on ${drive}: $env:TEMP $(Get-Date) `$x\"").errors);
        assertEquals(List.of(), new PowerShellTokens("$s = @'\nit's \"here\"\n'@\n<# block\n #> # line").errors);
    }
}
