package org.vestige.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Slider;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

/**
 * An analysis result as a sortable, filterable table or tree, built from the same result model the CLI
 * renders: each column's cells as {@link CellFormat} prints them, numbers right-aligned, a value that could
 * not be read greyed with its reason (the workbench's hint) in a tool tip, a click on a header sorting by
 * that column. The Results view shows whole results in one; other views show a result beside their own
 * content (a process's handles under the process tree, say).
 *
 * <p>However many rows a result holds, the widget holds few: a result of up to {@value #WHOLE_UP_TO} rows
 * is shown whole (trees expanded), a larger one through a window of the rows that fit, moved by a scroll
 * bar beside it, the mouse wheel and the keys, so a million rows open at once. Filtering and sorting a
 * result of more than {@value #SETTLED_UP_TO} rows runs as a job, the table showing the previous rows until
 * it is done ({@link #isSettled()}).
 *
 * @since 0.1
 */
public final class ResultTable {

    /** The most rows shown as they are; a larger result is shown through a window. */
    static final int WHOLE_UP_TO = 5_000;
    /** The most rows filtered and sorted on the UI thread. */
    static final int SETTLED_UP_TO = 10_000;
    /** The most width an unavailable cell's reason claims for its column; the tooltip shows it whole. */
    private static final int UNAVAILABLE_WIDTH = 160;
    /** The widest a column starts out, whatever its cells hold. */
    private static final int MAX_WIDTH = 420;
    /** How many rows are measured to size the columns. */
    private static final int MEASURED_ROWS = 500;
    /** How many of the longest texts of those rows are measured in pixels. */
    private static final int MEASURED_LONGEST = 8;

    private final Composite control;
    private final TreeViewer viewer;
    private final Slider slider;
    private final AnalysisResult result;
    private final Supplier<String> filter;
    private final Predicate<Column<?>> shownColumns;
    private int sortColumn = -1;
    private boolean ascending = true;
    private ShownRows shown;
    /** The first row of the window (0 when the rows are shown whole). */
    private int top;
    /** The row last selected, kept while the window moves. */
    private Row selected;
    private Job pending;
    private Predicate<Row> highlighted = row -> false;

    /**
     * Creates the table in a parent composite (the caller lays its {@link #control()} out).
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
        this.shownColumns = shown;
        this.filter = filter == null ? () -> "" : filter;
        control = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(2, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.horizontalSpacing = 0;
        control.setLayout(layout);
        viewer = new TreeViewer(control, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.VIRTUAL);
        viewer.getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        slider = new Slider(control, SWT.VERTICAL);
        GridData sd = new GridData(SWT.FILL, SWT.FILL, false, true);
        sd.exclude = true;
        slider.setLayoutData(sd);
        slider.setVisible(false);
        slider.addListener(SWT.Selection, e -> moveTo(slider.getSelection()));
        Tree tree = viewer.getTree();
        tree.setHeaderVisible(true);
        tree.setLinesVisible(true);
        boolean large = result.table().rows().size() > SETTLED_UP_TO;
        this.shown = large ? ShownRows.topLevel(result.table()) : ShownRows.all(result.table());
        addColumns(this.shown);
        viewer.setContentProvider(new TreeContent(input -> (List<?>) input, e -> windowed() ? List.of()
                : this.shown.children((Row) e)));
        ColumnViewerToolTipSupport.enableFor(viewer);
        viewer.setUseHashlookup(true);
        viewer.addSelectionChangedListener(e -> {
            if (e.getStructuredSelection().getFirstElement() instanceof Row r) {
                selected = r;
            }
        });
        tree.addListener(SWT.MouseVerticalWheel, this::wheel);
        tree.addListener(SWT.KeyDown, this::key);
        tree.addListener(SWT.Resize, e -> fill());
        show(this.shown);
        if (large) {
            refresh(); // lays out the rows below the top level, if any, off the UI thread
        }
    }

    private void addColumns(ShownRows rows) {
        List<Column<?>> columns = result.table().columns();
        Color grey = viewer.getControl().getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY);
        GC gc = new GC(viewer.getControl());
        try {
            for (int i = 0; i < columns.size(); i++) {
                Column<?> column = columns.get(i);
                if (shownColumn(column)) {
                    addColumn(i, column, grey, widest(gc, rows, i, column));
                }
            }
        } finally {
            gc.dispose();
        }
    }

    private boolean shownColumn(Column<?> column) {
        return shownColumns.test(column);
    }

    private void addColumn(int index, Column<?> column, Color grey, int width) {
        TreeViewerColumn c = new TreeViewerColumn(viewer, isNumeric(column.type()) ? SWT.RIGHT : SWT.LEFT);
        c.getColumn().setText(column.name());
        c.getColumn().setWidth(Math.min(MAX_WIDTH, width + 28));
        c.getColumn().addListener(SWT.Selection, e -> sortBy(index, c.getColumn()));
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                String text = CellFormat.text(column.type(), ((Row) element).cell(index));
                return index == 0 && windowed() ? "  ".repeat(shown.depth((Row) element)) + text : text;
            }

            @Override
            public Color getForeground(Object element) {
                if (highlighted.test((Row) element)) {
                    return viewer.getControl().getDisplay().getSystemColor(SWT.COLOR_INFO_FOREGROUND);
                }
                return ((Row) element).cell(index) instanceof Unavailable ? grey : null;
            }

            @Override
            public Color getBackground(Object element) {
                // the theme's tool-tip pair: legible on light and dark themes alike
                return highlighted.test((Row) element) ? viewer.getControl().getDisplay().getSystemColor(
                        SWT.COLOR_INFO_BACKGROUND) : null;
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

    /** @return the viewer (it holds the rows of the window when the result is shown through one) */
    public TreeViewer viewer() {
        return viewer;
    }

    /** @return the table's widget, for the caller to lay out */
    public Composite control() {
        return control;
    }

    /**
     * Applies the filter and the order again (after the filter's text changed): at once for a result of
     * up to {@value #SETTLED_UP_TO} rows, as a job for a larger one.
     */
    public void refresh() {
        String f = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        Comparator<Row> order = order();
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        if (result.table().rows().size() <= SETTLED_UP_TO) {
            show(ShownRows.of(result.table(), f, order, () -> false));
            return;
        }
        Job[] job = new Job[1];
        job[0] = Job.create("Filtering " + result.pluginId(), monitor -> {
            try {
                ShownRows rows = ShownRows.of(result.table(), f, order, monitor::isCanceled);
                control.getDisplay().asyncExec(() -> {
                    if (pending == job[0] && !control.isDisposed()) {
                        pending = null;
                        show(rows);
                    }
                });
                return Status.OK_STATUS;
            } catch (CancellationException e) {
                return Status.CANCEL_STATUS;
            }
        });
        job[0].setSystem(true);
        pending = job[0];
        job[0].schedule();
    }

    /** @return whether the rows shown are those of the last filter and order (no job is still at work) */
    public boolean isSettled() {
        return pending == null;
    }

    /** @return how many rows are shown (at every depth), whether whole or through the window */
    public int shownRowCount() {
        return shown.size();
    }

    /** @return the first row of the window, 0 when the rows are shown whole */
    public int top() {
        return top;
    }

    /**
     * Shows a row, moving the window to it when the rows are shown through one, and selects it.
     *
     * @return whether the row is among those shown
     */
    public boolean reveal(Row row) {
        if (windowed()) {
            int at = indexOf(shown.flat(), row);
            if (at < 0) {
                return false;
            }
            selected = row;
            moveTo(at - window() / 2);
        }
        viewer.setSelection(new StructuredSelection(row), true);
        return !viewer.getStructuredSelection().isEmpty();
    }

    /**
     * @return the result as filtered and sorted now: the rows shown (at every depth) with the result's columns,
     *         diagnostics, files and outcome; the result itself when every row is shown in its order
     */
    public AnalysisResult shownAsResult() {
        if (shown.size() == result.table().rowCount() && sortColumn < 0) {
            return result;
        }
        org.vestige.core.result.ResultTable copy = new org.vestige.core.result.ResultTable(result.table().columns());
        for (Row r : shown.roots()) {
            copyRow(r, copy.addRow());
        }
        AnalysisResult out = new AnalysisResult(result.pluginId(), copy).addAll(result.diagnostics());
        result.files().forEach(out::addFile);
        return out.outcome(result.outcome());
    }

    private void copyRow(Row from, Row to) {
        for (Column<?> c : result.table().columns()) {
            to.setCell(c, from.cell(c));
        }
        for (Row child : shown.children(from)) {
            copyRow(child, to.addChild());
        }
    }

    /** Highlights the rows that pass a test (the differences of a comparison, say), in the theme's colours. */
    public void highlight(Predicate<Row> rows) {
        highlighted = rows;
        viewer.refresh();
    }

    /** Disposes of the table's widget. */
    public void dispose() {
        if (pending != null) {
            pending.cancel();
        }
        control.dispose();
    }

    private static int indexOf(List<Row> rows, Row row) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == row) {
                return i;
            }
        }
        return -1;
    }

    private boolean windowed() {
        return shown.size() > WHOLE_UP_TO;
    }

    private void show(ShownRows rows) {
        boolean was = windowed();
        shown = rows;
        boolean is = windowed();
        if (was != is || slider.getVisible() != is) {
            ((GridData) slider.getLayoutData()).exclude = !is;
            slider.setVisible(is);
            control.layout(true);
        }
        if (is) {
            top = 0;
            fill();
        } else {
            top = 0;
            viewer.getControl().setRedraw(false);
            try {
                viewer.setInput(rows.roots());
                if (rows.size() > rows.roots().size()) {
                    viewer.expandAll();
                }
            } finally {
                viewer.getControl().setRedraw(true);
            }
        }
    }

    /** @return how many rows the tree's height holds */
    private int window() {
        Tree tree = viewer.getTree();
        int height = tree.getClientArea().height - tree.getHeaderHeight();
        return Math.max(1, height / Math.max(1, tree.getItemHeight()));
    }

    /** Moves the window so that a row is its first (bounded by the rows shown). */
    private void moveTo(int first) {
        if (!windowed()) {
            return;
        }
        int limit = Math.max(0, shown.size() - window());
        int to = Math.max(0, Math.min(first, limit));
        if (to != top) {
            top = to;
            fill();
        }
    }

    /** Puts the rows of the window in the tree (for a result shown through one). */
    private void fill() {
        if (!windowed() || control.isDisposed()) {
            return;
        }
        int size = window();
        top = Math.max(0, Math.min(top, shown.size() - size));
        List<Row> rows = shown.flat().subList(top, Math.min(shown.size(), top + size));
        Row keep = selected;
        viewer.getControl().setRedraw(false);
        try {
            viewer.setInput(rows);
            if (keep != null && indexOf(rows, keep) >= 0) {
                viewer.setSelection(new StructuredSelection(keep));
            }
        } finally {
            viewer.getControl().setRedraw(true);
        }
        slider.setValues(top, 0, shown.size(), size, 1, Math.max(1, size - 1));
    }

    private void wheel(Event e) {
        if (windowed()) {
            e.doit = false;
            moveTo(top - e.count);
        }
    }

    private void key(Event e) {
        if (!windowed()) {
            return;
        }
        Tree tree = viewer.getTree();
        int at = tree.getSelectionCount() == 0 ? -1 : tree.indexOf(tree.getSelection()[0]);
        int last = tree.getItemCount() - 1;
        int by = switch (e.keyCode) {
            case SWT.ARROW_DOWN -> at == last ? 1 : 0;
            case SWT.ARROW_UP -> at == 0 ? -1 : 0;
            case SWT.PAGE_DOWN -> window() - 1;
            case SWT.PAGE_UP -> 1 - window();
            case SWT.END -> (e.stateMask & SWT.CTRL) != 0 ? shown.size() : 0;
            case SWT.HOME -> (e.stateMask & SWT.CTRL) != 0 ? -shown.size() : 0;
            default -> 0;
        };
        if (by != 0) {
            e.doit = false;
            int row = Math.max(0, Math.min(shown.size() - 1, top + Math.max(at, 0) + by));
            selected = shown.flat().get(row);
            moveTo(top + by);
            viewer.setSelection(new StructuredSelection(selected), true);
        }
    }

    /**
     * Width in pixels of the widest text of a column (header and the first rows); only the few longest
     * texts are measured, which keeps a wide result quick to open.
     */
    private static int widest(GC gc, ShownRows rows, int index, Column<?> column) {
        record Cell(Object value, String text, int indent) {
        }
        List<Cell> sample = new ArrayList<>();
        for (Row row : rows.flat().subList(0, Math.min(MEASURED_ROWS, rows.size()))) {
            Object value = row.cell(index);
            sample.add(new Cell(value, CellFormat.text(column.type(), value), index == 0 ? 20 * rows.depth(row) : 0));
        }
        sample.sort(Comparator.comparingInt((Cell c) -> c.text().length() + c.indent() / 6).reversed());
        int w = gc.textExtent(column.name()).x + 16;
        for (Cell cell : sample.subList(0, Math.min(MEASURED_LONGEST, sample.size()))) {
            int width = gc.textExtent(cell.text()).x;
            if (cell.value() instanceof Unavailable) {
                // one long reason must not push the columns after it off the view
                width = Math.min(width, UNAVAILABLE_WIDTH);
            }
            w = Math.max(w, width + cell.indent());
        }
        return w;
    }

    private static boolean isNumeric(ColumnType t) {
        return t == ColumnType.INTEGER || t == ColumnType.PID || t == ColumnType.SIZE;
    }

    private Comparator<Row> order() {
        if (sortColumn < 0) {
            return null;
        }
        int index = sortColumn;
        Comparator<Row> order = Comparator.comparing(r -> r.cell(index), ResultTable::compareCells);
        return ascending ? order : order.reversed();
    }

    private void sortBy(int index, TreeColumn column) {
        ascending = sortColumn == index ? !ascending : true;
        sortColumn = index;
        viewer.getTree().setSortColumn(column);
        viewer.getTree().setSortDirection(ascending ? SWT.UP : SWT.DOWN);
        refresh();
    }

    /**
     * Sorts by a column as a click on its header does (a second call reverses the order).
     *
     * @param index the column's index in the result
     */
    public void sortBy(int index) {
        for (TreeColumn c : viewer.getTree().getColumns()) {
            if (c.getText().equals(result.table().columns().get(index).name())) {
                sortBy(index, c);
                return;
            }
        }
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
