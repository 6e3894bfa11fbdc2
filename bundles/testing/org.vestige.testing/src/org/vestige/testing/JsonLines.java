package org.vestige.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses the JSON-lines output of {@code vestige -r json} into one node per top-level row, so tests
 * compare typed values rather than grep text.
 *
 * @since 0.1
 */
public final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    /** @return one node per non-blank line */
    public static List<JsonNode> parse(String output) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                try {
                    rows.add(MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + line, e);
                }
            }
        }
        return rows;
    }
}
