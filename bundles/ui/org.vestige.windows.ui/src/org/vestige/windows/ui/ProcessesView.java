package org.vestige.windows.ui;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.ui.Cases;
import org.vestige.ui.MissingHints;
import org.vestige.ui.Subject;
import org.vestige.ui.TreeContent;
import org.vestige.ui.VestigeUi;
import org.vestige.windows.Readout;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * The process tree of the current case, from the same {@code windows.pstree} analysis the CLI runs,
 * with the differences the pool scan ({@code windows.psscan}) finds: processes whose _EPROCESS is
 * in memory but not on the active list (exited, or unlinked by a rootkit) are added as roots and
 * highlighted, with the reason in a tool tip. Selecting a process makes it the one the Memory view
 * shows, and fills the pane under the tree with its handles, SIDs and privileges
 * ({@link ProcessDetails}).
 *
 * @since 0.1
 */
public final class ProcessesView extends ViewPart {

    public static final String ID = "org.vestige.windows.ui.processes";

    /**
     * What the view selects: a process of a case (its _EPROCESS 0 when only its pid is known, as from a
     * result row).
     */
    public record ProcessSelection(Cases.OpenCase openCase, long pid, String name, long eprocess) implements
            Subject {

        @Override
        public String label() {
            return name + " (pid " + pid + ")";
        }

        @Override
        public Map<String, String> optionValues() {
            return Map.of(PID, Long.toString(pid));
        }
    }

    /** Why a highlighted row is highlighted. */
    static final String COMMAND_LINE = "Command line";
    static final String SCAN_ONLY = "found by the pool scan only: its _EPROCESS is in memory but not on the active "
            + "process list (the process exited, or was unlinked)";

    private TreeViewer viewer;
    private ProcessDetails details;
    private AnalysisResult result;
    private final java.util.Set<Row> scanOnly = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());
    private Cases.OpenCase shown;
    private volatile Job job;
    private Map<Long, Object> commandLines = Map.of();
    private final Cases.Listener listener = cases -> {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(this::refresh);
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        viewer = new TreeViewer(sash, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        viewer.setContentProvider(new TreeContent(input -> ((AnalysisResult) input).table().rows(), e -> ((Row) e)
                .children()));
        SelectionAdapter selection = new SelectionAdapter(viewer, this);
        getSite().setSelectionProvider(selection);
        details = new ProcessDetails(sash);
        sash.setWeights(3, 2);
        selection.addSelectionChangedListener(e -> {
            if (e.getStructuredSelection().getFirstElement() instanceof ProcessSelection p) {
                details.show(p);
            }
        });
        VestigeUi.get().cases().addListener(listener);
        refresh();
    }

    private void refresh() {
        List<Cases.OpenCase> all = VestigeUi.get().cases().all();
        Cases.OpenCase c = all.isEmpty() ? null : all.get(all.size() - 1);
        if (c == shown) {
            return;
        }
        shown = c;
        if (c == null) {
            viewer.setInput(null);
            return;
        }
        PluginDescriptor pstree = VestigeUi.get().extensions().plugin("windows.pstree").orElse(null);
        if (pstree == null) {
            return;
        }
        PluginDescriptor psscan = VestigeUi.get().extensions().plugin("windows.psscan").orElse(null);
        Job j = c.job("Processes of " + c.label(), jobMonitor -> {
            // three analyses, each with its share of the job's progress; psscan reads all of memory
            SubMonitor monitor = SubMonitor.convert(jobMonitor, 10);
            try {
                AnalysisResult r = c.session().run(pstree.info(), pstree.create(), Options.defaults(pstree.info()),
                        monitor.split(1));
                List<Row> extra = List.of();
                if (psscan != null && !monitor.isCanceled()) {
                    try {
                        extra = scanOnly(r, c.session().run(psscan.info(), psscan.create(), Options.defaults(psscan
                                .info()), monitor.split(8)));
                    } catch (AnalysisException e) {
                        // the tree stands without the scan's differences
                    }
                }
                List<Row> added = extra;
                monitor.setWorkRemaining(1);
                Map<Long, Object> commandLines = commandLines(c, monitor.split(1));
                viewer.getControl().getDisplay().asyncExec(() -> show(r, added, commandLines));
                return Status.OK_STATUS;
            } catch (AnalysisException e) {
                // the view says why it is empty (a kernel that could not be found, say), not only the log
                String why = "No process list for " + c.label() + ": " + e.getMessage();
                viewer.getControl().getDisplay().asyncExec(() -> failed(why));
                return Status.info(why);
            }
        });
        job = j;
        j.schedule();
    }

    /**
     * Each process's command line, read from its PEB as {@code windows.cmdline} reads it, by PID: the
     * text, or the {@link Unavailable} cell saying why it cannot be read (its PEB paged out, say).
     */
    private static Map<Long, Object> commandLines(Cases.OpenCase c, org.eclipse.core.runtime.IProgressMonitor monitor) {
        Map<Long, Object> out = new java.util.HashMap<>();
        if (monitor.isCanceled()) {
            return out;
        }
        try {
            WindowsKernel kernel = WindowsKernel.require(c.session(), "the Processes view");
            for (WinProcess p : kernel.processes().processes()) {
                Readout<String> line = kernel.commandLine(p);
                out.putIfAbsent(p.pid(), line.isPresent() ? line.get() : new Unavailable(line.reason()));
            }
        } catch (AnalysisException e) {
            // the tree stands without command lines
        }
        return out;
    }

    /**
     * Adds to the tree, as roots, the processes the scan found that the active list does not hold.
     *
     * @return the rows added
     */
    private static List<Row> scanOnly(AnalysisResult tree, AnalysisResult scan) {
        Column<?> listed = scan.table().columns().stream().filter(c -> c.name().equals("InActiveList")).findFirst()
                .orElse(null);
        if (listed == null) {
            return List.of();
        }
        List<Row> added = new java.util.ArrayList<>();
        for (Row s : scan.table().rows()) {
            if (!Boolean.FALSE.equals(s.cell(listed))) {
                continue;
            }
            Row row = tree.table().addRow();
            for (Column<?> column : tree.table().columns()) {
                scan.table().columns().stream().filter(c -> c.name().equals(column.name()) && c.type() == column
                        .type()).findFirst().ifPresent(c -> row.setCell(column, s.cell(c)));
            }
            added.add(row);
        }
        return added;
    }

    private void failed(String why) {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        result = null;
        viewer.setInput(null);
        setContentDescription(why);
        viewer.getTree().setToolTipText(why);
    }

    /** @return what the view says above the tree (how many processes, or why there are none) */
    public String status() {
        return getContentDescription();
    }

    private void show(AnalysisResult r, List<Row> added, Map<Long, Object> commandLines) {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        result = r;
        this.commandLines = commandLines;
        scanOnly.clear();
        scanOnly.addAll(added);
        for (var c : viewer.getTree().getColumns()) {
            c.dispose();
        }
        List<Column<?>> columns = r.table().columns();
        for (int i = 0; i < columns.size(); i++) {
            final int index = i;
            Column<?> column = columns.get(i);
            TreeViewerColumn c = new TreeViewerColumn(viewer, SWT.LEFT);
            c.getColumn().setText(column.name());
            c.getColumn().setWidth(fit(r, index, column));
            c.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return CellFormat.text(column.type(), ((Row) element).cell(index));
                }

                @Override
                public org.eclipse.swt.graphics.Color getBackground(Object element) {
                    return scanOnly.contains(element) ? viewer.getControl().getDisplay().getSystemColor(
                            SWT.COLOR_INFO_BACKGROUND) : null;
                }

                @Override
                public org.eclipse.swt.graphics.Color getForeground(Object element) {
                    // the theme's own pair for tool tips: legible on light and dark themes alike
                    return scanOnly.contains(element) ? viewer.getControl().getDisplay().getSystemColor(
                            SWT.COLOR_INFO_FOREGROUND) : null;
                }

                @Override
                public String getToolTipText(Object element) {
                    return scanOnly.contains(element) ? SCAN_ONLY : null;
                }
            });
        }
        if (!commandLines.isEmpty()) {
            TreeViewerColumn c = new TreeViewerColumn(viewer, SWT.LEFT);
            c.getColumn().setText(COMMAND_LINE);
            c.getColumn().setWidth(420);
            c.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return commandLineText(commandLines.get(((Row) element).cell(0)));
                }

                @Override
                public String getToolTipText(Object element) {
                    return getText(element);
                }
            });
        }
        org.eclipse.jface.viewers.ColumnViewerToolTipSupport.enableFor(viewer);
        viewer.setInput(r);
        viewer.expandAll();
        setContentDescription((r.table().rowCount() - added.size()) + " processes on the active list"
                + (added.isEmpty() ? "" : ", " + added.size() + " more found only by the pool scan (highlighted)")
                + (r.diagnostics().isEmpty() ? "" : " — " + r.diagnostics().size() + " warnings: " + r.diagnostics()
                        .get(0).message()));
        viewer.getTree().setToolTipText(r.diagnostics().isEmpty() ? null : String.join("\n", r.diagnostics()
                .stream().map(Object::toString).toList()));
    }

    /** @return a width that fits a column's header and cells (tree depth counted in the first), within bounds */
    private int fit(AnalysisResult r, int index, Column<?> column) {
        org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(viewer.getControl());
        try {
            int[] widest = {gc.textExtent(column.name()).x + 24};
            r.table().walk((row, depth) -> widest[0] = Math.max(widest[0], gc.textExtent(CellFormat.text(column
                    .type(), row.cell(index))).x + 24 + (index == 0 ? 22 * (depth + 1) : 0)));
            return Math.min(widest[0], 360);
        } finally {
            gc.dispose();
        }
    }

    private static String commandLineText(Object cell) {
        return cell instanceof Unavailable u ? MissingHints.describe(u) : cell == null ? "" : cell.toString();
    }

    /** @return the command line the view shows for a row (windows.cmdline's, or why it is missing), or "" */
    public String commandLine(Row row) {
        return commandLineText(commandLines.get(row.cell(0)));
    }

    /** @return whether a row of the tree is a process only the pool scan found */
    public boolean isScanOnly(Row row) {
        return scanOnly.contains(row);
    }

    /** @return the job that loads the current case's processes (for tests and progress) */
    public Job job() {
        return job;
    }

    /** @return the result shown, or null */
    public AnalysisResult result() {
        return result;
    }

    public TreeViewer viewer() {
        return viewer;
    }

    /** @return the pane under the tree with the selected process' handles, SIDs and privileges */
    public ProcessDetails details() {
        return details;
    }

    Cases.OpenCase shownCase() {
        return shown;
    }

    /**
     * Selects the process with this id in the tree (its details follow), as the other views lead to a process.
     *
     * @return whether the tree holds such a process
     */
    public boolean reveal(long pid) {
        if (result == null) {
            return false;
        }
        Row[] found = new Row[1];
        result.table().walk((row, depth) -> {
            if (found[0] == null && row.cell(0) instanceof Long p && p == pid) {
                found[0] = row;
            }
        });
        if (found[0] != null) {
            viewer.setSelection(new org.eclipse.jface.viewers.StructuredSelection(found[0]), true);
        }
        return found[0] != null;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        VestigeUi.get().cases().removeListener(listener);
        super.dispose();
    }

    /** Turns the viewer's selected rows into {@link ProcessSelection}s for other views. */
    private static final class SelectionAdapter implements org.eclipse.jface.viewers.ISelectionProvider {
        private final TreeViewer viewer;
        private final ProcessesView view;

        SelectionAdapter(TreeViewer viewer, ProcessesView view) {
            this.viewer = viewer;
            this.view = view;
        }

        @Override
        public void addSelectionChangedListener(org.eclipse.jface.viewers.ISelectionChangedListener l) {
            viewer.addSelectionChangedListener(e -> l.selectionChanged(new org.eclipse.jface.viewers
                    .SelectionChangedEvent(this, getSelection())));
        }

        @Override
        public org.eclipse.jface.viewers.ISelection getSelection() {
            Object first = viewer.getStructuredSelection().getFirstElement();
            if (first instanceof Row row && view.result != null) {
                List<Column<?>> cs = view.result.table().columns();
                return new org.eclipse.jface.viewers.StructuredSelection(new ProcessSelection(view.shown,
                        (Long) row.cell(cs.get(0)), String.valueOf(row.cell(cs.get(2))), (Long) row.cell(cs.get(3))));
            }
            return org.eclipse.jface.viewers.StructuredSelection.EMPTY;
        }

        @Override
        public void removeSelectionChangedListener(org.eclipse.jface.viewers.ISelectionChangedListener l) {
            // listeners live as long as the view
        }

        @Override
        public void setSelection(org.eclipse.jface.viewers.ISelection selection) {
            viewer.setSelection(selection);
        }
    }
}
