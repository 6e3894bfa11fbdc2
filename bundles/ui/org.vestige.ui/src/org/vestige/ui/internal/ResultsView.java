package org.vestige.ui.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.dialogs.MessageDialog;
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
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.RendererDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.ui.MissingHints;
import org.vestige.ui.TreeContent;
import org.vestige.ui.VestigeUi;

/**
 * One analysis result as a sortable, filterable table or tree, built from the same result model
 * the CLI renders. Missing values show their reason (greyed, with a tool tip); the view menu exports
 * the result through the contributed renderers (CSV, JSON lines, text), byte for byte what
 * {@code vestige -r FORMAT} prints.
 */
public final class ResultsView extends ViewPart {

    public static final String ID = "org.vestige.ui.results";

    private Composite root;
    private Label header;
    private Text filter;
    private TreeViewer viewer;
    private AnalysisResult result;
    private int sortColumn = -1;
    private boolean ascending = true;

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(2, false));
        header = new Label(root, SWT.NONE);
        header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        header.setText("Run an analysis from the Analyses view; its result appears here.");
        filter = new Text(root, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("filter rows");
        GridData fd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        fd.widthHint = 220;
        filter.setLayoutData(fd);
        filter.addModifyListener(e -> {
            if (viewer != null) {
                viewer.refresh();
                viewer.expandAll();
            }
        });
        IMenuManager menu = getViewSite().getActionBars().getMenuManager();
        for (RendererDescriptor r : VestigeUi.get().extensions().renderers()) {
            menu.add(new Action("Export as " + r.name() + "...") {
                @Override
                public void run() {
                    export(r);
                }
            });
        }
    }

    /** @return what the header adds for an outcome other than complete, as the command's exit code says it */
    public static String outcome(AnalysisResult.Outcome outcome) {
        return switch (outcome) {
            case COMPLETE -> "";
            case NOTHING_READ -> " — nothing it was asked for could be read (see the diagnostics)";
            case INTEGRITY_FAILURE -> " — INTEGRITY CHECK FAILED: a hash the evidence stores does not match";
        };
    }

    /** Shows a result (replacing any shown before). */
    public void show(PluginInfo plugin, String caseLabel, AnalysisResult shown) {
        this.result = shown;
        setPartName(plugin.id());
        header.setText(plugin.name() + " on " + caseLabel + ": " + shown.table().rowCount() + " rows"
                + (shown.diagnostics().isEmpty() ? "" : ", " + shown.diagnostics().size() + " diagnostics")
                + outcome(shown.outcome()));
        setTitleToolTip(String.join("\n", shown.diagnostics().stream().map(Object::toString).toList()));
        if (viewer != null) {
            viewer.getControl().dispose();
        }
        sortColumn = -1;
        viewer = new TreeViewer(root, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.VIRTUAL);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true);
        gd.horizontalSpan = 2;
        viewer.getControl().setLayoutData(gd);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        List<Column<?>> columns = shown.table().columns();
        Color grey = viewer.getControl().getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY);
        GC gc = new GC(viewer.getControl());
        for (int i = 0; i < columns.size(); i++) {
            final int index = i;
            Column<?> column = columns.get(i);
            TreeViewerColumn c = new TreeViewerColumn(viewer, isNumeric(column.type()) ? SWT.RIGHT : SWT.LEFT);
            c.getColumn().setText(column.name());
            c.getColumn().setWidth(Math.min(420, widest(gc, shown, index, column) + 28));
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
        viewer.addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parent, Object element) {
                String f = filter.getText().strip().toLowerCase(Locale.ROOT);
                return f.isEmpty() || matches((Row) element, f, columns);
            }
        });
        ColumnViewerToolTipSupport.enableFor(viewer);
        viewer.setUseHashlookup(true);
        viewer.setInput(shown);
        viewer.expandAll();
        root.layout(true, true);
    }

    private static boolean matches(Row row, String f, List<Column<?>> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (CellFormat.text(columns.get(i).type(), row.cell(i)).toLowerCase(Locale.ROOT).contains(f)) {
                return true;
            }
        }
        return row.children().stream().anyMatch(c -> matches(c, f, columns));
    }

    /** Width in pixels of the widest text of a column (header and up to 2000 rows). */
    /** The most width an unavailable cell's reason claims for its column. */
    private static final int UNAVAILABLE_WIDTH = 160;

    private static int widest(GC gc, AnalysisResult r, int index, Column<?> column) {
        int[] w = {gc.textExtent(column.name()).x + 16};
        int[] seen = {0};
        r.table().walk((row, depth) -> {
            if (seen[0]++ < 2000) {
                Object cell = row.cell(index);
                int width = gc.textExtent(CellFormat.text(column.type(), cell)).x;
                if (cell instanceof Unavailable) {
                    // one long reason must not push the columns after it off the view; the tooltip shows it whole
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
        Comparator<Row> order = Comparator.comparing(r -> r.cell(index), ResultsView::compareCells);
        Comparator<Row> directed = ascending ? order : order.reversed();
        viewer.setComparator(new ViewerComparator() {
            @Override
            public int compare(Viewer v, Object a, Object b) {
                return directed.compare((Row) a, (Row) b);
            }
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareCells(Object a, Object b) {
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

    /** Writes the shown result through a renderer to a file the analyst picks. */
    private void export(RendererDescriptor renderer) {
        if (result == null) {
            return;
        }
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
        dialog.setFileName(getPartName() + "." + renderer.fileExtension());
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            try {
                exportTo(renderer.id(), Paths.get(chosen));
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Export", "Cannot write " + chosen + ": " + e
                        .getMessage());
            }
        }
    }

    /** Writes the shown result in a contributed output format (as {@code vestige -r FORMAT} would). */
    public void exportTo(String rendererId, Path file) throws IOException {
        RendererDescriptor r = VestigeUi.get().extensions().renderer(rendererId).orElseThrow(
                () -> new IOException("no renderer " + rendererId));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            r.create().render(result, w);
        }
    }

    /** @return the result shown, or null */
    public AnalysisResult result() {
        return result;
    }

    /** @return the viewer showing the result, or null before a result is shown */
    public TreeViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        (viewer != null ? viewer.getControl() : filter).setFocus();
    }
}
