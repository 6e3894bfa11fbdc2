package org.vestige.core.types;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text tables layouts are kept in as data (one row per line, whitespace-separated columns, {@code #}
 * comments and blank lines ignored): the compression store's layouts, the hibernation file's headers. Each
 * table's reader turns the fields of a row into its record; this class splits the text and names the line of
 * any row that is malformed.
 *
 * @since 0.1
 */
public final class LayoutTable {

    /**
     * One row of a table.
     *
     * @param number the line it is on, from 1
     * @param fields its columns
     */
    public record Row(int number, List<String> fields) {

        public String field(int index) {
            return fields.get(index);
        }
    }

    private LayoutTable() {
    }

    /**
     * @param text     the table
     * @param resource its name, for messages
     * @param columns  the columns every row has
     * @return the rows, in order
     * @throws IllegalArgumentException naming the resource and line of a row with another number of columns
     */
    public static List<Row> rows(String text, String resource, int columns) {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\\R", -1)) {
            number++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\\s+");
            if (f.length != columns) {
                throw new IllegalArgumentException(resource + " line " + number + ": " + columns
                        + " columns expected, " + f.length + " found");
            }
            rows.add(new Row(number, List.of(f)));
        }
        return rows;
    }

    /**
     * @param owner    a class of the bundle that ships the table
     * @param resource the table's path inside that bundle (e.g. {@code data/kernel-sections.txt})
     * @return the table's text
     * @throws IllegalStateException when the bundle does not ship it
     * @since 0.1
     */
    public static String read(Class<?> owner, String resource) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the bundle of " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " cannot be read", e);
        }
    }

    /** @return an exception naming the resource and the row's line, for a row whose fields do not parse */
    public static IllegalArgumentException malformed(String resource, Row row, Exception cause) {
        return new IllegalArgumentException(resource + " line " + row.number() + ": " + cause.getMessage(), cause);
    }
}
