package org.vestige.core.result;

import java.time.Instant;
import java.util.Objects;

import org.vestige.core.layer.PageProvenance;

/**
 * A typed column of a {@link ResultTable}. Plugins declare their columns as constants and set
 * values through them, so a row is never a positional tuple:
 *
 * <pre>
 * static final Column&lt;Long&gt; PID = Column.pid("PID");
 * static final Column&lt;String&gt; NAME = Column.string("ImageFileName");
 * ...
 * table.addRow().set(PID, 4L).set(NAME, "System");
 * </pre>
 *
 * @param <T> the Java type of the column's values
 * @since 0.1
 */
public final class Column<T> {

    private final String name;
    private final ColumnType type;
    private final Class<T> javaType;

    private Column(String name, ColumnType type, Class<T> javaType) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
        this.name = name;
        this.type = Objects.requireNonNull(type);
        this.javaType = javaType;
    }

    public static Column<Long> address(String name) {
        return new Column<>(name, ColumnType.ADDRESS, Long.class);
    }

    public static Column<Long> integer(String name) {
        return new Column<>(name, ColumnType.INTEGER, Long.class);
    }

    public static Column<Long> pid(String name) {
        return new Column<>(name, ColumnType.PID, Long.class);
    }

    public static Column<Long> size(String name) {
        return new Column<>(name, ColumnType.SIZE, Long.class);
    }

    public static Column<String> string(String name) {
        return new Column<>(name, ColumnType.STRING, String.class);
    }

    public static Column<Instant> time(String name) {
        return new Column<>(name, ColumnType.TIME, Instant.class);
    }

    public static Column<String> hash(String name) {
        return new Column<>(name, ColumnType.HASH, String.class);
    }

    public static Column<Boolean> bool(String name) {
        return new Column<>(name, ColumnType.BOOLEAN, Boolean.class);
    }

    public static Column<PageProvenance> provenance(String name) {
        return new Column<>(name, ColumnType.PROVENANCE, PageProvenance.class);
    }

    public static Column<byte[]> bytes(String name) {
        return new Column<>(name, ColumnType.BYTES, byte[].class);
    }

    /** @return the column's name as shown in headers and used as the JSON key */
    public String name() {
        return name;
    }

    public ColumnType type() {
        return type;
    }

    public Class<T> javaType() {
        return javaType;
    }

    @Override
    public String toString() {
        return name + ":" + type.id();
    }
}
