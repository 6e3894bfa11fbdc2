package org.vestige.core.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of a {@link ResultTable}: a value (or an {@link Unavailable}) per column, and child rows
 * when the result is a tree (a process tree, a registry key's subkeys).
 *
 * @since 0.1
 */
public final class Row {

    private final ResultTable table;
    private final Object[] values;
    /** Child rows, allocated with the first: most results are flat, and a million rows need not carry a million lists. */
    private List<Row> children = List.of();

    Row(ResultTable table) {
        this.table = table;
        this.values = new Object[table.columns().size()];
        java.util.Arrays.fill(values, Unavailable.NOT_APPLICABLE);
    }

    /** Sets a column's value; {@code null} is recorded as not applicable. */
    public <T> Row set(Column<T> column, T value) {
        int i = table.indexOf(column);
        if (value != null && !column.javaType().isInstance(value)) {
            throw new IllegalArgumentException(column + " cannot hold a " + value.getClass().getName());
        }
        values[i] = value == null ? Unavailable.NOT_APPLICABLE : value;
        return this;
    }

    /** Marks a column's value as missing, with the reason. */
    public Row missing(Column<?> column, String reason) {
        values[table.indexOf(column)] = new Unavailable(reason);
        return this;
    }

    /**
     * Sets a column from another row's cell: a value, an {@link Unavailable}, or (in a text column) a
     * {@link MissingText}.
     */
    public Row setCell(Column<?> column, Object cell) {
        int i = table.indexOf(column);
        boolean text = cell instanceof MissingText && column.javaType() == String.class;
        if (cell != null && !text && !(cell instanceof Unavailable) && !column.javaType().isInstance(cell)) {
            throw new IllegalArgumentException(column + " cannot hold a " + cell.getClass().getName());
        }
        values[i] = cell == null ? Unavailable.NOT_APPLICABLE : cell;
        return this;
    }

    /** @return the value, or {@code null} when the cell is {@link Unavailable} */
    public <T> T get(Column<T> column) {
        Object v = values[table.indexOf(column)];
        return v instanceof Unavailable ? null : column.javaType().cast(v);
    }

    /** @return the cell at a column index: a value of the column's type or an {@link Unavailable} */
    public Object cell(int columnIndex) {
        return values[columnIndex];
    }

    /** @return the cell of a column: a value of the column's type or an {@link Unavailable} */
    public Object cell(Column<?> column) {
        return values[table.indexOf(column)];
    }

    /** Adds and returns a child row (tree results). */
    public Row addChild() {
        Row child = new Row(table);
        if (children.isEmpty()) {
            children = new ArrayList<>();
        }
        children.add(child);
        return child;
    }

    List<Row> mutableChildren() {
        return children;
    }

    public List<Row> children() {
        return children.isEmpty() ? List.of() : Collections.unmodifiableList(children);
    }
}
