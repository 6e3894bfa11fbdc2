package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.synth.CollectionTruth;
import org.vestige.synth.CollectionWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code case.import} on the folder the acquisition kit brings back, synthesized for every build: every
 * file verified, every process of the image accounted for (imported, refused, without a dump, its archive
 * damaged) as the collection's truth says, each imported dump matched to its process and compared with
 * the image page by page exactly as the truth says (the pages whose paging-file slot was reused differ,
 * nothing else); a file changed after collection is an integrity failure (exit code 5) and the rest is
 * still imported; an archive entry larger than the limit is refused.
 */
@RunWith(Parameterized.class)
public class CaseImportTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final String profileId;

    public CaseImportTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
    }

    private CollectionWriter.Written collect(String name) throws IOException {
        ProfileDescriptor d = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                .findFirst().orElseThrow(() -> new AssertionError("no installed profile " + profileId));
        ImageSynthesizer synth = new ImageSynthesizer(d.load(), SynthOptions.builder().seed(71).windowsBuild(build)
                .svchostCount(2).sizeMib(512).build());
        return CollectionWriter.write(synth, tmp.newFolder(name + build).toPath(), ImageSynthesizer.Progress.NONE);
    }

    private static Cli.Invocation caseImport(Path folder, int exitCode, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("-q", "-o", folder.resolveSibling(folder.getFileName() + "-out")
                .toString(), "case.import", "--folder", folder.toString(), "-r", "json"));
        args.addAll(List.of(more));
        Cli.Invocation o = WindowsAnalysesTest.vestige(args.toArray(String[]::new));
        assertEquals(o.err(), exitCode, o.exitCode());
        return o;
    }

    private static Map<String, JsonNode> byPath(List<JsonNode> rows) {
        return rows.stream().filter(r -> r.hasNonNull("Path")).collect(Collectors.toMap(r -> r.get("Path").asText(),
                Function.identity()));
    }

    private static Map<Long, JsonNode> processRows(List<JsonNode> rows) {
        return rows.stream().filter(r -> r.get("Step").asText().equals("process-dump")).collect(Collectors.toMap(
                r -> r.get("PID").asLong(), Function.identity()));
    }

    private static Set<String> children(JsonNode row, String field) {
        Set<String> out = new TreeSet<>();
        if (row.has("__children")) {
            row.get("__children").forEach(c -> out.add(c.get(field).asText()));
        }
        return out;
    }

    @Test
    public void everyProcessIsAccountedForAndEachDumpComparesAsTheTruthSays() throws Exception {
        CollectionWriter.Written w = collect("whole");
        CollectionTruth truth = w.truth();
        List<JsonNode> rows = JsonLines.parse(caseImport(w.image().image().getParent(), 0).out());
        Map<String, JsonNode> files = byPath(rows);
        assertEquals("verified", files.get(truth.image()).get("Status").asText());
        assertEquals("verified", files.get(truth.pagefile()).get("Status").asText());
        Map<Long, JsonNode> processes = processRows(rows);
        assertEquals(truth.processes().stream().map(CollectionTruth.Process::pid).collect(Collectors.toSet()),
                processes.keySet());
        int incomplete = 0;
        for (CollectionTruth.Process p : truth.processes()) {
            JsonNode row = processes.get(p.pid());
            String status = row.get("Status").asText();
            assertEquals(p.name(), p.name(), row.get("Process").asText());
            switch (p.outcome()) {
                case REFUSED -> assertEquals(p.name(), "refused", status);
                case MISSING -> assertEquals(p.name(), "no dump", status);
                case CORRUPT -> {
                    assertEquals(p.name(), "damaged archive", status);
                    assertEquals(p.archive(), row.get("Path").asText());
                }
                case IMPORTED -> {
                    boolean reused = !p.differingPages().isEmpty();
                    incomplete += reused ? 1 : 0;
                    assertEquals(p.name(), reused ? "imported: the image's copy is incomplete"
                            : "imported: the image's copy is complete", status);
                    assertEquals(p.name(), p.differingPages().size(), row.get("Differing").asLong());
                    assertEquals(p.name(), 0, row.get("MissingInImage").asLong());
                    assertTrue(p.name(), row.get("Matching").asLong() > 0);
                    assertEquals(p.name(), p.differingPages().stream().map(va -> "0x" + Long.toHexString(va)).collect(
                            Collectors.toCollection(TreeSet::new)), children(row, "Address"));
                    if (reused) {
                        assertEquals(Set.of("differs"), children(row, "Status"));
                    }
                    assertEquals(p.createTime().toString(), row.get("CreateTime").asText());
                }
            }
        }
        assertEquals("the collection reuses the paging-file slots of one process", 1, incomplete);
        assertEquals(1, truth.processes().stream().filter(p -> p.outcome() == CollectionTruth.Outcome.MISSING)
                .count());
        assertEquals(1, truth.processes().stream().filter(p -> p.outcome() == CollectionTruth.Outcome.CORRUPT)
                .count());
    }

    @Test
    public void aFileChangedAfterCollectionIsAnIntegrityFailureAndTheRestIsImported() throws Exception {
        assumeTrue("one build is enough to check the manifest's hashes", build == 19041);
        CollectionWriter.Written w = collect("tampered");
        Path folder = w.image().image().getParent();
        CollectionTruth.Process victim = w.truth().processes().stream().filter(p -> p.outcome()
                == CollectionTruth.Outcome.IMPORTED).findFirst().orElseThrow();
        try (FileChannel c = FileChannel.open(folder.resolve(victim.archive()), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap(new byte[] {0}));
        }
        List<JsonNode> rows = JsonLines.parse(caseImport(folder, 5).out());
        JsonNode row = byPath(rows).get(victim.archive());
        assertEquals("hash mismatch", row.get("Status").asText());
        assertFalse(row.has("Matching") && !row.get("Matching").isNull());
        long imported = processRows(rows).values().stream().filter(r -> r.get("Status").asText().startsWith(
                "imported")).count();
        assertEquals(w.truth().processes().stream().filter(p -> p.outcome() == CollectionTruth.Outcome.IMPORTED)
                .count() - 1, imported);
    }

    @Test
    public void anEntryLargerThanTheLimitIsRefusedBeforeItIsWritten() throws Exception {
        assumeTrue("one build is enough to check the bound", build == 19041);
        CollectionWriter.Written w = collect("bounded");
        Path folder = w.image().image().getParent();
        List<JsonNode> rows = JsonLines.parse(caseImport(folder, 0, "--max-entry-mib", "0").out());
        for (CollectionTruth.Process p : w.truth().processes()) {
            if (p.outcome() == CollectionTruth.Outcome.IMPORTED) {
                JsonNode row = processRows(rows).get(p.pid());
                assertEquals(p.name(), "damaged archive", row.get("Status").asText());
                assertTrue(row.get("Detail").asText(), row.get("Detail").asText().contains("more than the limit"));
            }
        }
        Path out = folder.resolveSibling(folder.getFileName() + "-out").resolve("dumps");
        try (var files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing was written at all
        }
    }
}
