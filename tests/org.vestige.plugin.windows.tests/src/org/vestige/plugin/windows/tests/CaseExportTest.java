package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The timeline and the case database as tools outside Vestige read them, on a synthesized Windows 10 image:
 * Debian's {@code mactime} reads the body file and lists every time of the timeline, each at its time in the
 * slot its meaning names; Debian's {@code sqlite3} opens the case database, whose table of each analysis holds
 * the rows {@code -r json} gives, value for value, trees with their parents. Both tools are installed by
 * {@code scripts/install-deps.sh}; without them these tests fail, naming the script.
 */
public class CaseExportTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageSynthesizer.Output image = SynthesizedImages.installed(
            "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", SynthOptions.builder().seed(33).windowsBuild(
                    19041).build());

    /** Runs a tool and returns its standard output; fails naming the script that installs it. */
    static String tool(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed: run scripts/install-deps.sh (" + e.getMessage()
                    + ")", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(command[0] + " finished", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command), 0, p.exitValue());
        return out;
    }

    @Test
    public void mactimeListsEveryTimeOfTheTimelineInItsSlot() throws Exception {
        List<JsonNode> rows = JsonLines.parse(ThreadAnalysesTest.run(image.image(), "windows.timeliner", "-r",
                "json").out());
        List<String> expected = new ArrayList<>();
        for (JsonNode r : rows) {
            String slot = switch (r.get("Meaning").asText()) {
                case "created" -> "...b";
                case "exited", "changed" -> "..c.";
                case "last written", "linked" -> "m...";
                default -> ".a..";
            };
            expected.add(Instant.parse(r.get("Time").asText()).getEpochSecond() + "|" + slot + "|[" + r.get("Source")
                    .asText() + "] " + r.get("Object").asText() + " (" + r.get("Meaning").asText() + ")");
        }
        Path body = tmp.newFile("timeline.body").toPath();
        Files.writeString(body, ThreadAnalysesTest.run(image.image(), "windows.timeliner", "-r", "bodyfile").out());
        // -d: comma-separated, -y: ISO 8601 dates; the three slots a line leaves 0 are listed under the
        // date 0000-00-00, one entry per line
        String[] lines = tool("mactime", "-b", body.toString(), "-d", "-y", "-z", "UTC").split("\n");
        assertEquals("Date,Size,Type,Mode,UID,GID,Meta,File Name", lines[0]);
        List<String> actual = new ArrayList<>();
        int unset = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", 8);
            if (f[0].startsWith("0000-00-00")) {
                unset++;
                continue;
            }
            String name = f[7].startsWith("\"") ? f[7].substring(1, f[7].length() - 1).replace("\"\"", "\"") : f[7];
            actual.add(Instant.parse(f[0]).getEpochSecond() + "|" + f[2] + "|" + name);
        }
        assertEquals("every line's unset slots", expected.size(), unset);
        assertTrue("times: " + expected.size(), expected.size() > 150);
        assertEquals(expected.size(), actual.size());
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    @Test
    public void sqliteHoldsEachAnalysisAsJsonDoes() throws Exception {
        String[] analyses = {"windows.pslist", "windows.pstree", "windows.threads", "windows.timeliner"};
        Path db = tmp.getRoot().toPath().resolve("case.db");
        List<String> command = new ArrayList<>(List.of("-r", "sqlite", "-o", db.toString()));
        command.addAll(List.of(analyses));
        ThreadAnalysesTest.run(image.image(), command.toArray(String[]::new));
        for (String id : analyses) {
            List<JsonNode> json = new ArrayList<>();
            List<Integer> parents = new ArrayList<>();
            flatten(JsonLines.parse(ThreadAnalysesTest.run(image.image(), id, "-r", "json").out()), 0, json, parents);
            String table = id.replace('.', '_');
            JsonNode columns = query(db, "SELECT name, type FROM result_columns WHERE result_table = '" + table
                    + "' ORDER BY position");
            StringBuilder select = new StringBuilder("SELECT row_id, parent_id");
            for (JsonNode c : columns) {
                String name = '"' + c.get("name").asText() + '"';
                select.append(", ").append(c.get("type").asText().equals("address") ? "printf('0x%x', " + name
                        + ")" : name).append(" AS ").append(name).append(", \"").append(c.get("name").asText())
                        .append("_unavailable\"");
            }
            JsonNode sql = query(db, select + " FROM " + table + " ORDER BY row_id");
            assertEquals(id, json.size(), sql.size());
            assertTrue(id + " has rows", json.size() > 10);
            for (int i = 0; i < json.size(); i++) {
                JsonNode row = sql.get(i);
                assertEquals(id + " row " + i, i + 1, row.get("row_id").asInt());
                assertEquals(id + " row " + i + " parent", parents.get(i) == 0 ? null : parents.get(i).toString(),
                        row.get("parent_id").isNull() ? null : row.get("parent_id").asText());
                for (JsonNode c : columns) {
                    String name = c.get("name").asText();
                    assertEquals(id + " row " + i + " " + name, cell(json.get(i).get(name)), cell(row.get(name), row
                            .get(name + "_unavailable")));
                }
            }
        }
        JsonNode listed = query(db, "SELECT plugin, result_table FROM analyses ORDER BY id");
        assertEquals(analyses.length, listed.size());
        JsonNode evidence = query(db, "SELECT role, path, size FROM evidence");
        assertEquals("image", evidence.get(0).get("role").asText());
        assertEquals(Files.size(image.image()), evidence.get(0).get("size").asLong());
        JsonNode facts = query(db, "SELECT value FROM case_facts WHERE name = 'windows build'");
        assertEquals("19041", facts.get(0).get("value").asText());
    }

    /** Lists rows depth-first as the case database numbers them, with each row's parent (0 for none). */
    static void flatten(List<JsonNode> rows, int parent, List<JsonNode> out, List<Integer> parents) {
        for (JsonNode r : rows) {
            out.add(r);
            parents.add(parent);
            int self = out.size();
            if (r.has("__children")) {
                List<JsonNode> children = new ArrayList<>();
                r.get("__children").forEach(children::add);
                flatten(children, self, out, parents);
            }
        }
    }

    static JsonNode query(Path db, String sql) throws Exception {
        String out = tool("sqlite3", "-json", db.toString(), sql);
        return out.isBlank() ? JSON.createArrayNode() : JSON.readTree(out);
    }

    /** @return a JSON renderer cell as text: its value, "-" when it does not apply, or its reason */
    static String cell(JsonNode v) {
        if (v == null || v.isNull()) {
            return "-";
        }
        if (v.isObject()) {
            return "unavailable: " + v.get("unavailable").asText();
        }
        return v.isBoolean() ? (v.asBoolean() ? "1" : "0") : v.asText();
    }

    /** @return a case database cell as text, in the words of {@link #cell(JsonNode)} */
    static String cell(JsonNode value, JsonNode unavailable) {
        if (unavailable != null && !unavailable.isNull()) {
            return "unavailable: " + unavailable.asText();
        }
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
