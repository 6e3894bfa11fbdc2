package org.vestige.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON lines {@code vestige -r json} writes for one analysis into flat rows for a Parquet dataset:
 * <ul>
 * <li>every row carries {@link #CASE_ID}, {@link #IMAGE_SHA256}, its {@link #ROW} number within the case's result
 * and the {@link #PARENT_ROW} it was nested under ({@code __children} in the JSON; null for a top-level row);</li>
 * <li>a missing value ({@code {"unavailable": "reason"}}) becomes null in its column and the reason goes to a
 * column of the same name with {@link #UNAVAILABLE_SUFFIX}; a value that does not apply is null with no reason;</li>
 * <li>every other value is kept as the JSON rendering types it: numbers, booleans, strings (addresses as
 * {@code 0x…}, times as ISO-8601 UTC) and objects (a page's provenance), which Spark reads back as typed columns.</li>
 * </ul>
 */
public final class ResultRows {

    /** The case id column every dataset has. */
    public static final String CASE_ID = "case_id";
    /** The image's SHA-256 column every analysis dataset has. */
    public static final String IMAGE_SHA256 = "image_sha256";
    /** The row's number within its case's result, in the order the analysis gave them (0 for the first). */
    public static final String ROW = "row";
    /** The number of the row this one is nested under, or null. */
    public static final String PARENT_ROW = "parent_row";
    /** Appended to a column's name for the column holding why its value is missing. */
    public static final String UNAVAILABLE_SUFFIX = "_unavailable";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String caseId;
    private final String imageSha256;
    private final List<String> columns = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private long next;

    /** Rows of one case, each tagged with the case's id and its image's SHA-256 (null when unknown). */
    public ResultRows(String caseId, String imageSha256) {
        this.caseId = caseId;
        this.imageSha256 = imageSha256;
    }

    /** Adds the rows of one JSON line (a top-level row and its nested children). */
    public void add(String jsonLine) throws IOException {
        if (jsonLine.isBlank()) {
            return;
        }
        add(JSON.readTree(jsonLine), null);
    }

    private void add(JsonNode source, Long parent) throws IOException {
        long number = next++;
        ObjectNode row = JSON.createObjectNode();
        row.put(CASE_ID, caseId);
        row.put(IMAGE_SHA256, imageSha256);
        row.put(ROW, number);
        if (parent == null) {
            row.putNull(PARENT_ROW);
        } else {
            row.put(PARENT_ROW, parent);
        }
        JsonNode children = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> cell = it.next();
            String name = cell.getKey();
            JsonNode value = cell.getValue();
            if (name.equals("__children")) {
                children = value;
                continue;
            }
            column(name);
            if (value.isObject() && value.size() == 1 && value.has("unavailable")) {
                row.putNull(name);
                row.put(name + UNAVAILABLE_SUFFIX, value.get("unavailable").asText());
                column(name + UNAVAILABLE_SUFFIX);
            } else {
                row.set(name, value);
            }
        }
        rows.add(JSON.writeValueAsString(row));
        if (children != null) {
            for (JsonNode child : children) {
                add(child, number);
            }
        }
    }

    private void column(String name) {
        if (!columns.contains(name)) {
            columns.add(name);
        }
    }

    /** @return the flat rows, one JSON object each */
    public List<String> rows() {
        return rows;
    }

    /** @return the result's columns in the order they first appeared, reason columns after their column */
    public List<String> columns() {
        return columns;
    }
}
