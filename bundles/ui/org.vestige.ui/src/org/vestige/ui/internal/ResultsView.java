package org.vestige.ui.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.actions.ContributionItemFactory;
import org.eclipse.ui.part.IShowInSource;
import org.eclipse.ui.part.IShowInTarget;
import org.eclipse.ui.part.ShowInContext;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.RendererDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.CaseStore;
import org.vestige.ui.Cases;
import org.vestige.ui.ResultFile;
import org.vestige.ui.ResultRow;
import org.vestige.ui.ResultTable;
import org.vestige.ui.VestigeUi;

/**
 * One analysis result as a sortable, filterable table or tree, built from the same result model
 * the CLI renders. Missing values show their reason (greyed, with a tool tip); the view menu exports
 * the result through the contributed renderers (CSV, JSON lines, text), byte for byte what
 * {@code vestige -r FORMAT} prints. A row's context menu offers the follow-up analyses contributed for
 * its analysis ({@code org.vestige.ui.resultActions}: dump this file, the handles of this process…), run in
 * the same case session, each result in a new Results view. The selected row is the view's selection, as a
 * {@link ResultRow} (its process and address for other views and analysis forms), and Show In takes it to a
 * view that shows such things (the Memory view scrolls to its address).
 */
public final class ResultsView extends ViewPart implements IShowInSource {

    public static final String ID = "org.vestige.ui.results";

    private Composite root;
    private Label header;
    private Text filter;
    private ResultTable table;
    private AnalysisResult result;
    private Cases.OpenCase openCase;
    /** The file the result shown is kept in with its case, or null. */
    private java.nio.file.Path kept;
    private List<ResultActions.Action> actions = List.of();
    private static final AtomicInteger SHOWN = new AtomicInteger();
    private final List<ISelectionChangedListener> selectionListeners = new java.util.concurrent
            .CopyOnWriteArrayList<>();

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
            if (table != null) {
                table.refresh();
            }
        });
        getSite().setSelectionProvider(new RowSelection());
        IMenuManager menu = getViewSite().getActionBars().getMenuManager();
        menu.add(new Action("Compare With...") {
            @Override
            public void run() {
                chooseAndCompare();
            }
        });
        for (RendererDescriptor r : VestigeUi.get().extensions().renderers()) {
            menu.add(new Action("Export as " + r.name() + "...") {
                @Override
                public void run() {
                    export(r);
                }
            });
        }
    }

    /**
     * Runs an analysis on a case as a background job and shows its result in a new Results view when it
     * finishes.
     *
     * @return the scheduled job
     */
    public static AnalysisJob runAndShow(IWorkbenchPage page, Cases.OpenCase c, PluginDescriptor plugin,
            Options options) {
        AnalysisJob job = new AnalysisJob(c, plugin, options);
        Display display = page.getWorkbenchWindow().getShell().getDisplay();
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                if (event.getResult().getSeverity() == IStatus.OK && job.result() != null) {
                    display.asyncExec(() -> showIn(page, job));
                }
            }
        });
        job.schedule();
        return job;
    }

    private static void showIn(IWorkbenchPage page, AnalysisJob job) {
        try {
            ResultsView view = (ResultsView) page.showView(ID, "r" + SHOWN.incrementAndGet(),
                    IWorkbenchPage.VIEW_ACTIVATE);
            view.show(job.plugin().info(), job.openCase(), job.result());
            view.keptIn(job.keptResult());
        } catch (PartInitException e) {
            VestigeUi.get().getLog().log(e.getStatus());
        }
    }

    /**
     * Opens a Results view for each result a case showed when it was last open, read from where the case
     * keeps it: nothing is run again.
     *
     * @return the job reading them
     */
    public static Job restoreTabs(IWorkbenchPage page, Cases.OpenCase c) {
        Display display = page.getWorkbenchWindow().getShell().getDisplay();
        Job job = Job.create("Reopening the results of " + c.label(), monitor -> {
            CaseStore store = VestigeUi.get().cases().store();
            if (store == null || c.kept() == null) {
                return Status.OK_STATUS;
            }
            try {
                for (java.nio.file.Path file : store.tabs(c.kept())) {
                    AnalysisResult r = ResultFile.read(file);
                    VestigeUi.get().extensions().plugin(r.pluginId()).ifPresent(p -> display.asyncExec(() -> {
                        try {
                            ResultsView view = (ResultsView) page.showView(ID, "r" + SHOWN.incrementAndGet(),
                                    IWorkbenchPage.VIEW_CREATE);
                            view.show(p.info(), c, r);
                            view.keptIn(file);
                        } catch (PartInitException e) {
                            VestigeUi.get().getLog().log(e.getStatus());
                        }
                    }));
                }
                return Status.OK_STATUS;
            } catch (java.io.IOException e) {
                return Status.warning("cannot reopen the results of " + c.label() + ": " + e.getMessage(), e);
            }
        });
        job.schedule();
        return job;
    }

    /** Records that the result shown is kept in a file with its case, and is shown in this view. */
    private void keptIn(java.nio.file.Path file) {
        kept = file;
        CaseStore store = VestigeUi.get().cases().store();
        if (file != null && store != null && openCase != null && openCase.kept() != null) {
            try {
                store.tabShown(openCase.kept(), file);
            } catch (java.io.IOException e) {
                VestigeUi.get().getLog().warn("cannot record the result shown: " + e.getMessage());
            }
        }
    }

    /** @return the file the result shown is kept in, or null */
    public java.nio.file.Path kept() {
        return kept;
    }

    @Override
    public void dispose() {
        // the analyst closed the view (not the workbench stopping, nor the case closing): not shown again
        CaseStore store = VestigeUi.get().cases().store();
        if (kept != null && store != null && !org.eclipse.ui.PlatformUI.getWorkbench().isClosing() && VestigeUi
                .get().cases().all().contains(openCase)) {
            try {
                store.tabClosed(openCase.kept(), kept);
            } catch (java.io.IOException e) {
                VestigeUi.get().getLog().warn("cannot record the result closed: " + e.getMessage());
            }
        }
        super.dispose();
    }

    /** Shows a result of an analysis run on a case, with the follow-up analyses contributed for its rows. */
    public void show(PluginInfo plugin, Cases.OpenCase from, AnalysisResult shown) {
        show(plugin, from.label(), shown);
        this.openCase = from;
        this.actions = ResultActions.on(plugin.id());
        MenuManager menu = new MenuManager();
        menu.setRemoveAllWhenShown(true);
        menu.addMenuListener(m -> {
            rowActions().forEach(m::add);
            m.add(new Separator());
            if (selectedRow() != null && openCase != null && openCase.kept() != null) {
                m.add(new Action("Bookmark...") {
                    @Override
                    public void run() {
                        askAndBookmark();
                    }
                });
            }
            for (RendererDescriptor r : VestigeUi.get().extensions().renderers()) {
                m.add(new Action("Export Shown Rows as " + r.name() + "...") {
                    @Override
                    public void run() {
                        export(r);
                    }
                });
            }
            MenuManager showIn = new MenuManager("Show In");
            showIn.add(ContributionItemFactory.VIEWS_SHOW_IN.create(getSite().getWorkbenchWindow()));
            m.add(showIn);
        });
        Control control = table.viewer().getControl();
        control.setMenu(menu.createContextMenu(control));
    }

    private void askAndBookmark() {
        org.eclipse.jface.dialogs.InputDialog note = new org.eclipse.jface.dialogs.InputDialog(getSite().getShell(),
                "Bookmark", "Note on this finding (tags after a #, e.g. \"#injected #lateral\"):", "", null);
        if (note.open() == org.eclipse.jface.window.Window.OK) {
            String text = note.getValue();
            List<String> tags = new ArrayList<>();
            for (String word : text.split("\\s+")) {
                if (word.startsWith("#") && word.length() > 1) {
                    tags.add(word.substring(1));
                }
            }
            try {
                bookmark(selectedRow().row(), String.join(",", tags), text);
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Bookmark", "Cannot keep the bookmark: " + e
                        .getMessage());
            }
        }
    }

    /**
     * Bookmarks a row of the result shown, with tags and a note, in its case.
     *
     * @return the bookmark kept
     */
    public CaseStore.Bookmark bookmark(Row row, String tags, String note) throws IOException {
        CaseStore store = VestigeUi.get().cases().store();
        if (store == null || openCase == null || openCase.kept() == null) {
            throw new IOException("the case is not kept in the workspace");
        }
        StringBuilder finding = new StringBuilder();
        var columns = result.table().columns();
        for (int i = 0; i < columns.size(); i++) {
            finding.append(i == 0 ? "" : "; ").append(columns.get(i).name()).append(' ').append(
                    org.vestige.core.render.CellFormat.text(columns.get(i).type(), row.cell(i)));
        }
        CaseStore.Bookmark b = new CaseStore.Bookmark(java.time.Instant.now(), result.pluginId(), finding
                .toString(), tags, note);
        store.bookmark(openCase.kept(), b);
        return b;
    }

    private void chooseAndCompare() {
        List<ResultsView> others = new ArrayList<>();
        for (org.eclipse.ui.IViewReference r : getSite().getPage().getViewReferences()) {
            if (r.getId().equals(ID) && r.getView(false) instanceof ResultsView v && v != this && v.result != null) {
                others.add(v);
            }
        }
        if (result == null || others.isEmpty()) {
            MessageDialog.openInformation(getSite().getShell(), "Compare", "Open another result to compare with.");
            return;
        }
        org.eclipse.ui.dialogs.ElementListSelectionDialog dialog = new org.eclipse.ui.dialogs
                .ElementListSelectionDialog(getSite().getShell(), new org.eclipse.jface.viewers.LabelProvider() {
                    @Override
                    public String getText(Object e) {
                        return ((ResultsView) e).title();
                    }
                });
        dialog.setTitle("Compare With");
        dialog.setMessage("Compare " + title() + " with:");
        dialog.setElements(others.toArray());
        if (dialog.open() == org.eclipse.jface.window.Window.OK && dialog.getFirstResult() instanceof ResultsView v) {
            try {
                compareWith(v);
            } catch (PartInitException e) {
                VestigeUi.get().getLog().log(e.getStatus());
            }
        }
    }

    /**
     * Opens a Compare view of this view's result and another's.
     *
     * @return the view
     */
    public CompareView compareWith(ResultsView other) throws PartInitException {
        CompareView view = (CompareView) getSite().getPage().showView(CompareView.ID, "c" + SHOWN
                .incrementAndGet(), IWorkbenchPage.VIEW_ACTIVATE);
        view.compare(title(), result, other.title(), other.result);
        return view;
    }

    /** @return what the view shows, for people: the analysis and its case */
    String title() {
        return (result == null ? "" : result.pluginId()) + (openCase == null ? "" : " on " + openCase.label());
    }

    /** @return the selected row as a subject, or null */
    public ResultRow selectedRow() {
        if (table != null && table.viewer().getStructuredSelection().getFirstElement() instanceof Row row) {
            return new ResultRow(openCase, result, row);
        }
        return null;
    }

    @Override
    public ShowInContext getShowInContext() {
        ResultRow row = selectedRow();
        return new ShowInContext(null, row == null ? StructuredSelection.EMPTY : new StructuredSelection(row));
    }

    /**
     * Shows the selected row in another view, as the Show In menu does.
     *
     * @return whether the view took it
     */
    public boolean showIn(String viewId) throws PartInitException {
        IViewPart target = getSite().getPage().showView(viewId);
        IShowInTarget t = target.getAdapter(IShowInTarget.class);
        return t != null && t.show(getShowInContext());
    }

    /** @return the follow-up analyses the selected row offers (empty without a case, a selection or actions) */
    public List<IAction> rowActions() {
        List<IAction> offered = new ArrayList<>();
        if (openCase == null || table == null || !(table.viewer().getStructuredSelection()
                .getFirstElement() instanceof Row row)) {
            return offered;
        }
        IWorkbenchPage page = getSite().getPage();
        for (ResultActions.Action a : actions) {
            Options options;
            try {
                options = a.optionsFor(result.table(), row);
            } catch (IllegalArgumentException e) {
                continue; // the cell is no value of that option
            }
            if (options != null) {
                offered.add(new Action(a.label()) {
                    @Override
                    public void run() {
                        runAndShow(page, openCase, a.run(), options);
                    }
                });
            }
        }
        return offered;
    }

    /** Shows a result (replacing any shown before). */
    public void show(PluginInfo plugin, String caseLabel, AnalysisResult shown) {
        this.result = shown;
        setPartName(plugin.id());
        header.setText(plugin.name() + " on " + caseLabel + ": " + shown.table().rowCount() + " rows"
                + (shown.diagnostics().isEmpty() ? "" : ", " + shown.diagnostics().size() + " diagnostics")
                + ResultTable.outcome(shown.outcome()));
        setTitleToolTip(String.join("\n", shown.diagnostics().stream().map(Object::toString).toList()));
        if (table != null) {
            table.dispose();
        }
        table = new ResultTable(root, shown, filter::getText);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true);
        gd.horizontalSpan = 2;
        table.control().setLayoutData(gd);
        table.viewer().addSelectionChangedListener(e -> {
            SelectionChangedEvent event = new SelectionChangedEvent(getSite().getSelectionProvider(),
                    getSite().getSelectionProvider().getSelection());
            selectionListeners.forEach(l -> l.selectionChanged(event));
        });
        root.layout(true, true);
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

    /**
     * Writes the shown result in a contributed output format (as {@code vestige -r FORMAT} would), only the
     * rows the filter shows in the order shown; a format that holds a case (a database) gets a new file
     * holding this result.
     */
    public void exportTo(String rendererId, Path file) throws IOException {
        RendererDescriptor r = VestigeUi.get().extensions().renderer(rendererId).orElseThrow(
                () -> new IOException("no renderer " + rendererId));
        if (r.writesCaseFile()) {
            try (org.vestige.core.render.CaseWriter w = r.createCaseRenderer().create(file)) {
                w.add(table.shownAsResult());
            }
            return;
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            r.create().render(table.shownAsResult(), w);
        }
    }

    /** @return the result shown, or null */
    public AnalysisResult result() {
        return result;
    }

    /** @return the viewer showing the result, or null before a result is shown */
    public TreeViewer viewer() {
        return table == null ? null : table.viewer();
    }

    /** The view's selection: the selected row, as a {@link ResultRow}. */
    private final class RowSelection implements ISelectionProvider {
        @Override
        public void addSelectionChangedListener(ISelectionChangedListener l) {
            selectionListeners.add(l);
        }

        @Override
        public ISelection getSelection() {
            ResultRow row = selectedRow();
            return row == null ? StructuredSelection.EMPTY : new StructuredSelection(row);
        }

        @Override
        public void removeSelectionChangedListener(ISelectionChangedListener l) {
            selectionListeners.remove(l);
        }

        @Override
        public void setSelection(ISelection selection) {
            if (table != null && selection instanceof StructuredSelection s && s.getFirstElement() instanceof Row r) {
                table.reveal(r);
            }
        }
    }

    @Override
    public void setFocus() {
        (table != null ? table.viewer().getControl() : filter).setFocus();
    }
}
