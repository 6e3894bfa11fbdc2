package org.vestige.core.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed columns and rows that may nest. The same model feeds the text, JSON and CSV renderers and
 * the workbench's tables, so a result looks the same wherever it is shown.
 *
 * @since 0.1
 */
public final class ResultTable {

    private final List<Column<?>> columns;
    private final Map<Column<?>, Integer> index = new IdentityHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    public ResultTable(List<Column<?>> columns) {
        this.columns = List.copyOf(columns);
        for (int i = 0; i < this.columns.size(); i++) {
            if (index.put(this.columns.get(i), i) != null) {
                throw new IllegalArgumentException("column listed twice: " + this.columns.get(i));
            }
        }
    }

    public static ResultTable of(Column<?>... columns) {
        return new ResultTable(List.of(columns));
    }

    public List<Column<?>> columns() {
        return columns;
    }

    int indexOf(Column<?> column) {
        Integer i = index.get(column);
        if (i == null) {
            throw new IllegalArgumentException("column " + column + " is not part of this table");
        }
        return i;
    }

    /** Adds and returns a new top-level row. */
    public Row addRow() {
        Row row = new Row(this);
        rows.add(row);
        return row;
    }

    /** @return the top-level rows */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Visits every row depth-first with its depth (0 for top-level rows). */
    public void walk(RowVisitor visitor) {
        for (Row r : rows) {
            walk(r, 0, visitor);
        }
    }

    private static void walk(Row row, int depth, RowVisitor visitor) {
        visitor.visit(row, depth);
        for (Row c : row.children()) {
            walk(c, depth + 1, visitor);
        }
    }

    /** @return the number of rows at every depth */
    public int rowCount() {
        int[] n = {0};
        walk((r, d) -> n[0]++);
        return n[0];
    }

    /** Sorts the top-level rows, and recursively every row's children, by a comparator. */
    public void sort(java.util.Comparator<Row> order) {
        sort(rows, order);
    }

    private static void sort(List<Row> list, java.util.Comparator<Row> order) {
        if (list.size() < 2) {
            // a leaf's children are an immutable empty list
            if (list.isEmpty()) {
                return;
            }
        } else {
            list.sort(order);
        }
        for (Row r : list) {
            sort(r.mutableChildren(), order);
        }
    }

    /** Visitor of rows with their depth. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(Row row, int depth);
    }
}
