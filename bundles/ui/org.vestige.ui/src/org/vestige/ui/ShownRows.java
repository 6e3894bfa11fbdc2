package org.vestige.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.vestige.core.render.CellFormat;
import org.vestige.core.result.Column;
import org.vestige.core.result.Row;

/**
 * The rows a {@link org.vestige.ui.ResultTable} shows: the result's rows narrowed to those holding a filter
 * text (a row stays when it or a descendant holds it) and ordered, at every depth, by a comparator; with
 * the whole tree laid out depth-first for the window a large result is shown through. Immutable once
 * built; built off the UI thread when the result is large. Unfiltered and unsorted, it is the result's own
 * lists, built at no cost.
 */
final class ShownRows {

    private final List<Row> roots;
    /** The kept children of each row with children, or null when the rows' own children are shown. */
    private final Map<Row, List<Row>> children;
    private final List<Row> flat;
    /** The depth of each row below the top level, for trees; null for a flat result. */
    private final Map<Row, Integer> depths;

    private ShownRows(List<Row> roots, Map<Row, List<Row>> children, boolean tree) {
        this.roots = roots;
        this.children = children;
        if (tree) {
            flat = new ArrayList<>();
            depths = new IdentityHashMap<>();
            for (Row r : roots) {
                layOut(r, 0);
            }
        } else {
            flat = roots;
            depths = null;
        }
    }

    /** @return every row of a result table as it stands */
    static ShownRows all(org.vestige.core.result.ResultTable table) {
        List<Row> roots = table.rows();
        return new ShownRows(roots, null, isTree(roots));
    }

    /**
     * @return the top-level rows of a result table, at no cost (not even a look at each row): what a large
     *         result shows while its rows are laid out
     */
    static ShownRows topLevel(org.vestige.core.result.ResultTable table) {
        return new ShownRows(table.rows(), null, false);
    }

    /**
     * Narrows and orders a result table's rows.
     *
     * @param filter   the text a row must hold (lower case, blank for every row)
     * @param order    the order at every depth, or null for the result's
     * @param canceled polled as the rows are looked at; when it holds the build stops with a
     *                 {@link CancellationException}
     */
    static ShownRows of(org.vestige.core.result.ResultTable table, String filter, Comparator<Row> order,
            BooleanSupplier canceled) {
        if (filter.isBlank() && order == null) {
            return all(table);
        }
        boolean tree = isTree(table.rows());
        Map<Row, List<Row>> kept = tree ? new IdentityHashMap<>() : null;
        List<Row> roots = keep(table.rows(), filter, order, table.columns(), kept, canceled);
        return new ShownRows(roots, kept, tree);
    }

    private static List<Row> keep(List<Row> rows, String filter, Comparator<Row> order, List<Column<?>> columns,
            Map<Row, List<Row>> kept, BooleanSupplier canceled) {
        List<Row> out = new ArrayList<>(filter.isBlank() ? rows.size() : 16);
        int seen = 0;
        for (Row r : rows) {
            if ((++seen & 0xfff) == 0 && canceled.getAsBoolean()) {
                throw new CancellationException();
            }
            if (filter.isBlank() || matches(r, filter, columns)) {
                out.add(r);
                if (kept != null && !r.children().isEmpty()) {
                    kept.put(r, keep(r.children(), filter, order, columns, kept, canceled));
                }
            }
        }
        if (order != null) {
            out.sort(order);
        }
        return out;
    }

    /** @return whether a row, in any cell, or one of its descendants holds a (lower-case) text */
    static boolean matches(Row row, String filter, List<Column<?>> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (containsIgnoringCase(CellFormat.text(columns.get(i).type(), row.cell(i)), filter)) {
                return true;
            }
        }
        for (Row c : row.children()) {
            if (matches(c, filter, columns)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a text holds a lower-case one, in any case: no lower-case copy of every cell is made. */
    private static boolean containsIgnoringCase(String text, String lower) {
        int n = lower.length();
        for (int i = 0; i + n <= text.length(); i++) {
            if (text.regionMatches(true, i, lower, 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTree(List<Row> roots) {
        for (Row r : roots) {
            if (!r.children().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void layOut(Row row, int depth) {
        flat.add(row);
        depths.put(row, depth);
        for (Row c : children(row)) {
            layOut(c, depth + 1);
        }
    }

    /** @return the top-level rows shown */
    List<Row> roots() {
        return roots;
    }

    /** @return the children of a row that are shown */
    List<Row> children(Row row) {
        if (children == null) {
            return row.children();
        }
        List<Row> c = children.get(row);
        return c == null ? List.of() : c;
    }

    /** @return every row shown, depth-first */
    List<Row> flat() {
        return flat;
    }

    /** @return how deep a row is below the top level (0 for a top-level row) */
    int depth(Row row) {
        if (depths == null) {
            return 0;
        }
        Integer d = depths.get(row);
        return d == null ? 0 : d;
    }

    /** @return how many rows are shown, at every depth */
    int size() {
        return flat.size();
    }
}
