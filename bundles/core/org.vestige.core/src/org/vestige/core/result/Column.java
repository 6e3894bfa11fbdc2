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
    private final TimeMeaning meaning;
    private final boolean subject;

    private Column(String name, ColumnType type, Class<T> javaType) {
        this(name, type, javaType, null, false);
    }

    private Column(String name, ColumnType type, Class<T> javaType, TimeMeaning meaning, boolean subject) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
        this.name = name;
        this.type = Objects.requireNonNull(type);
        this.javaType = javaType;
        this.meaning = meaning;
        this.subject = subject;
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

    /**
     * A time column whose values say what happened to the row's object when: every value of it goes on the
     * case's {@link Timeline} with this meaning, named by the row's {@linkplain #subject() subject} columns.
     *
     * @since 0.1
     */
    public static Column<Instant> time(String name, TimeMeaning meaning) {
        return new Column<>(name, ColumnType.TIME, Instant.class, Objects.requireNonNull(meaning), false);
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

    /**
     * @return a copy of this column that names the object of its rows (a process's name and id, a key's
     *         path) where a time of the row is put on the {@link Timeline}
     * @since 0.1
     */
    public Column<T> subject() {
        return new Column<>(name, type, javaType, meaning, true);
    }

    /**
     * @return whether this column names the object of its rows on the timeline
     * @since 0.1
     */
    public boolean isSubject() {
        return subject;
    }

    /**
     * @return what this time column's values mean, when they go on the timeline
     * @since 0.1
     */
    public java.util.Optional<TimeMeaning> timeMeaning() {
        return java.util.Optional.ofNullable(meaning);
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
