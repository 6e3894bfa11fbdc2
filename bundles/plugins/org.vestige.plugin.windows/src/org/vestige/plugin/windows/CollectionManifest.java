package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The manifest the acquisition kit's script writes into its output folder ({@code manifest.jsonl}): one
 * JSON object a line, for each file collected and each process the script could not dump. Fields:
 * {@code utc} (when the step finished, ISO-8601 UTC), {@code step} ({@code memory}, {@code pagefile},
 * {@code swapfile}, {@code files}, {@code process-dump}), {@code path} (relative to the folder, either
 * slash), {@code size}, {@code sha256} (lower- or upper-case hex, as {@code Get-FileHash} prints it), and
 * for process dumps {@code pid}, {@code process}, {@code createTime} (the process's creation time, ISO-8601
 * UTC) and, for a process that was not dumped, {@code refused} (why) instead of a file. A line that does not
 * parse is a problem named with its line number; the others are still read.
 */
record CollectionManifest(List<Entry> entries, List<String> problems) {

    /** The manifest's file name. */
    static final String FILE = "manifest.jsonl";

    /** Longest line read: a manifest line is a few hundred bytes. */
    private static final int MAX_LINE = 64 * 1024;

    /**
     * One line.
     *
     * @param path       the file, relative to the folder, or null for a refusal
     * @param pid        the process of a dump or refusal
     * @param createTime the process's creation time, or null
     * @param refused    why the process was not dumped, or null
     */
    record Entry(int line, Instant utc, String step, String path, long size, String sha256, OptionalLong pid,
            String process, Instant createTime, String refused) {

        boolean isDump() {
            return step.equals("process-dump") && path != null;
        }
    }

    /** Reads {@code folder/manifest.jsonl}. */
    static CollectionManifest read(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            int number = i + 1;
            if (text.length() > MAX_LINE) {
                problems.add("line " + number + " is longer than " + MAX_LINE + " characters; skipped");
                continue;
            }
            try {
                entries.add(entry(number, json.readTree(text)));
            } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
                problems.add("line " + number + " does not parse: " + e.getMessage());
            }
        }
        return new CollectionManifest(List.copyOf(entries), List.copyOf(problems));
    }

    private static Entry entry(int line, JsonNode n) {
        String step = required(n, "step");
        String path = text(n, "path");
        String sha256 = text(n, "sha256");
        if (path != null && (sha256 == null || !sha256.matches("(?i)[0-9a-f]{64}"))) {
            throw new IllegalArgumentException(path + " has no SHA-256 (64 hex digits)");
        }
        String refused = text(n, "refused");
        if (path == null && refused == null) {
            throw new IllegalArgumentException("neither a path nor a refusal");
        }
        String created = text(n, "createTime");
        String utc = text(n, "utc");
        return new Entry(line, utc == null ? null : Instant.parse(utc), step, path, n.path("size").asLong(-1),
                sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), n.has("pid") ? OptionalLong.of(n.get("pid")
                        .asLong()) : OptionalLong.empty(), text(n, "process"), created == null ? null : Instant
                                .parse(created), refused);
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException("no \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** @return the entries of {@code step} that name a file */
    List<Entry> files(String step) {
        return entries.stream().filter(e -> e.step().equals(step) && e.path() != null).toList();
    }
}
