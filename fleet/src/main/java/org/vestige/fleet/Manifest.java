package org.vestige.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the manifest of a fleet's cases, in either form, one case a line:
 * <ul>
 * <li>CSV with a header line naming the columns {@code case_id,image,pagefile,swapfile} (the last two optional,
 * fields in double quotes when they hold a comma);</li>
 * <li>JSON lines: {@code {"case_id": "...", "image": "...", "pagefile": "...", "swapfile": "..."}}.</li>
 * </ul>
 * A line whose first character is <code>{</code> is JSON; blank lines and lines starting with {@code #} are skipped.
 * Case ids must be unique.
 */
public final class Manifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /** @return the cases of the manifest at {@code uri}, on any Hadoop file system */
    public static List<FleetCase> read(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            return parse(in.lines().toList());
        }
    }

    /** @return the cases the manifest's lines describe */
    public static List<FleetCase> parse(List<String> lines) {
        List<FleetCase> cases = new ArrayList<>();
        List<String> header = null;
        Set<String> ids = new HashSet<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            FleetCase c;
            if (line.startsWith("{")) {
                c = fromJson(cases.size(), line);
            } else if (header == null) {
                header = splitCsv(line);
                if (!header.contains("case_id") || !header.contains("image")) {
                    throw new IllegalArgumentException("the manifest's CSV header must name case_id and image: " + line);
                }
                continue;
            } else {
                c = fromCsv(cases.size(), header, splitCsv(line));
            }
            if (!ids.add(c.caseId())) {
                throw new IllegalArgumentException("case id " + c.caseId() + " is given twice in the manifest");
            }
            cases.add(c);
        }
        return cases;
    }

    private static FleetCase fromJson(int ordinal, String line) {
        try {
            JsonNode n = JSON.readTree(line);
            List<String> pagefiles = new ArrayList<>();
            for (String key : List.of("pagefile", "swapfile")) {
                if (n.hasNonNull(key) && !n.get(key).asText().isBlank()) {
                    pagefiles.add(n.get(key).asText());
                }
            }
            return new FleetCase(ordinal, text(n, "case_id"), text(n, "image"), pagefiles);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest line is not JSON: " + line + " (" + e.getMessage() + ")", e);
        }
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    private static FleetCase fromCsv(int ordinal, List<String> header, List<String> fields) {
        List<String> pagefiles = new ArrayList<>();
        for (String key : List.of("pagefile", "swapfile")) {
            String v = field(header, fields, key);
            if (v != null && !v.isBlank()) {
                pagefiles.add(v);
            }
        }
        return new FleetCase(ordinal, field(header, fields, "case_id"), field(header, fields, "image"), pagefiles);
    }

    private static String field(List<String> header, List<String> fields, String name) {
        int i = header.indexOf(name);
        return i >= 0 && i < fields.size() ? fields.get(i) : null;
    }

    /** Splits one CSV line: fields separated by commas, a field in double quotes may hold commas and "" for ". */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString().strip());
        return out;
    }
}
