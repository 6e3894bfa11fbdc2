package org.vestige.ui;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.TreeColumn;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

/**
 * An analysis result as a sortable table or tree, built from the same result model the CLI renders:
 * each column's cells as {@link CellFormat} prints them, numbers right-aligned, a value that could not
 * be read greyed with its reason (the workbench's hint) in a tool tip, a click on a header sorting by
 * that column. The Results view shows whole results in one; other views show a result beside their
 * own content (a process's handles under the process tree, say).
 *
 * @since 0.1
 */
public final class ResultTable {

    /** The most width an unavailable cell's reason claims for its column; the tooltip shows it whole. */
    private static final int UNAVAILABLE_WIDTH = 160;
    /** The widest a column starts out, whatever its cells hold. */
    private static final int MAX_WIDTH = 420;
    /** How many rows are measured to size the columns. */
    private static final int MEASURED_ROWS = 2000;

    private final TreeViewer viewer;
    private final AnalysisResult result;
    private int sortColumn = -1;
    private boolean ascending = true;

    /**
     * Creates the table in a parent composite (the caller lays its control out).
     *
     * @param parent where the table goes
     * @param result what it shows
     * @param filter the text rows must contain (in any cell, case-insensitive) to be shown, read at each
     *               {@link #refresh()}; null or blank shows every row
     */
    public ResultTable(Composite parent, AnalysisResult result, Supplier<String> filter) {
        this(parent, result, filter, column -> true);
    }

    /**
     * Creates the table showing only some of the result's columns (a process's pane leaves out the
     * process' own id and name, which every row repeats); the filter still looks at every column.
     *
     * @param shown which columns have a column in the table
     */
    public ResultTable(Composite parent, AnalysisResult result, Supplier<String> filter,
            Predicate<Column<?>> shown) {
        this.result = result;
        viewer = new TreeViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.VIRTUAL);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        List<Column<?>> columns = result.table().columns();
        Color grey = viewer.getControl().getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY);
        GC gc = new GC(viewer.getControl());
        for (int i = 0; i < columns.size(); i++) {
            final int index = i;
            Column<?> column = columns.get(i);
            if (!shown.test(column)) {
                continue;
            }
            TreeViewerColumn c = new TreeViewerColumn(viewer, isNumeric(column.type()) ? SWT.RIGHT : SWT.LEFT);
            c.getColumn().setText(column.name());
            c.getColumn().setWidth(Math.min(MAX_WIDTH, widest(gc, result, index, column) + 28));
            c.getColumn().addListener(SWT.Selection, e -> sortBy(index, c.getColumn()));
            c.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return CellFormat.text(column.type(), ((Row) element).cell(index));
                }

                @Override
                public Color getForeground(Object element) {
                    return ((Row) element).cell(index) instanceof Unavailable ? grey : null;
                }

                @Override
                public String getToolTipText(Object element) {
                    Object cell = ((Row) element).cell(index);
                    if (cell instanceof PageProvenance.Missing m) {
                        return MissingHints.describe(m);
                    }
                    return cell instanceof Unavailable u ? MissingHints.describe(u) : null;
                }
            });
        }
        gc.dispose();
        viewer.setContentProvider(new TreeContent(input -> ((AnalysisResult) input).table().rows(), e -> ((Row) e)
                .children()));
        if (filter != null) {
            viewer.addFilter(new ViewerFilter() {
                @Override
                public boolean select(Viewer v, Object parent, Object element) {
                    String text = filter.get();
                    String f = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
                    return f.isEmpty() || matches((Row) element, f, columns);
                }
            });
        }
        ColumnViewerToolTipSupport.enableFor(viewer);
        viewer.setUseHashlookup(true);
        viewer.setInput(result);
        viewer.expandAll();
    }

    /** @return what the header adds for an outcome other than complete, as the command's exit code says it */
    public static String outcome(AnalysisResult.Outcome outcome) {
        return switch (outcome) {
            case COMPLETE -> "";
            case NOTHING_READ -> " — nothing it was asked for could be read (see the diagnostics)";
            case INTEGRITY_FAILURE -> " — INTEGRITY CHECK FAILED: a hash the evidence stores does not match";
        };
    }

    /** @return the result shown */
    public AnalysisResult result() {
        return result;
    }

    /** @return the viewer (its control is the table's widget) */
    public TreeViewer viewer() {
        return viewer;
    }

    /** Applies the filter again (after its text changed) and expands what it shows. */
    public void refresh() {
        viewer.refresh();
        viewer.expandAll();
    }

    /** Disposes of the table's widget. */
    public void dispose() {
        viewer.getControl().dispose();
    }

    private static boolean matches(Row row, String f, List<Column<?>> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (CellFormat.text(columns.get(i).type(), row.cell(i)).toLowerCase(Locale.ROOT).contains(f)) {
                return true;
            }
        }
        return row.children().stream().anyMatch(c -> matches(c, f, columns));
    }

    /** Width in pixels of the widest text of a column (header and the first rows). */
    private static int widest(GC gc, AnalysisResult r, int index, Column<?> column) {
        int[] w = {gc.textExtent(column.name()).x + 16};
        int[] seen = {0};
        r.table().walk((row, depth) -> {
            if (seen[0]++ < MEASURED_ROWS) {
                Object cell = row.cell(index);
                int width = gc.textExtent(CellFormat.text(column.type(), cell)).x;
                if (cell instanceof Unavailable) {
                    // one long reason must not push the columns after it off the view
                    width = Math.min(width, UNAVAILABLE_WIDTH);
                }
                w[0] = Math.max(w[0], width + (index == 0 ? 20 * depth : 0));
            }
        });
        return w[0];
    }

    private static boolean isNumeric(ColumnType t) {
        return t == ColumnType.INTEGER || t == ColumnType.PID || t == ColumnType.SIZE;
    }

    private void sortBy(int index, TreeColumn column) {
        ascending = sortColumn == index ? !ascending : true;
        sortColumn = index;
        viewer.getTree().setSortColumn(column);
        viewer.getTree().setSortDirection(ascending ? SWT.UP : SWT.DOWN);
        Comparator<Row> order = Comparator.comparing(r -> r.cell(index), ResultTable::compareCells);
        Comparator<Row> directed = ascending ? order : order.reversed();
        viewer.setComparator(new ViewerComparator() {
            @Override
            public int compare(Viewer v, Object a, Object b) {
                return directed.compare((Row) a, (Row) b);
            }
        });
    }

    /**
     * Orders two cells of a column: values that could not be read after every value that could,
     * addresses and other numbers unsigned, comparable values of one kind by their order, the rest by text.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compareCells(Object a, Object b) {
        boolean ma = a instanceof Unavailable;
        boolean mb = b instanceof Unavailable;
        if (ma || mb) {
            return ma == mb ? 0 : ma ? 1 : -1;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compareUnsigned(x, y);
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }
}
