package org.vestige.render.sqlite;

import java.util.List;
import java.util.Locale;

import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;

/**
 * How one result table is laid out in SQL: its name, and each column's SQL type. Every result column
 * {@code C} becomes a typed column {@code "C"} and a text column {@code "C_unavailable"} holding why a
 * value is missing (NULL where it is present or does not apply); {@code row_id} numbers the rows in
 * depth-first order, and {@code parent_id} names the row a nested row belongs to.
 *
 * @param name    the SQL table's name
 * @param columns the result's columns
 */
record SqlTable(String name, List<Column<?>> columns) {

    /** The suffix of the column that says why a value is missing. */
    static final String UNAVAILABLE = "_unavailable";

    /** @return the SQL type of a result column type */
    static String sqlType(ColumnType type) {
        return switch (type) {
            case ADDRESS, INTEGER, PID, SIZE, BOOLEAN -> "INTEGER";
            case BYTES -> "BLOB";
            case STRING, TIME, HASH, PROVENANCE -> "TEXT";
        };
    }

    /** @return a table name made from an analysis id: letters, digits and underscores */
    static String nameFor(String pluginId) {
        return pluginId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** @return an identifier quoted for SQL */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** @return the statement that creates the table */
    String createStatement() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(quote(name)).append(
                " (row_id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES ").append(quote(name)).append(
                        "(row_id)");
        for (Column<?> c : columns) {
            sql.append(", ").append(quote(c.name())).append(' ').append(sqlType(c.type()));
            sql.append(", ").append(quote(c.name() + UNAVAILABLE)).append(" TEXT");
        }
        return sql.append(')').toString();
    }

    /** @return the parameterised insert of one row: row id, parent id, then value and reason per column */
    String insertStatement() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote(name)).append(" VALUES (?, ?");
        sql.append(", ?, ?".repeat(columns.size()));
        return sql.append(')').toString();
    }
}
