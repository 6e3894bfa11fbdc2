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
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.RendererDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.ResultTable;
import org.vestige.ui.VestigeUi;

/**
 * One analysis result as a sortable, filterable table or tree, built from the same result model
 * the CLI renders. Missing values show their reason (greyed, with a tool tip); the view menu exports
 * the result through the contributed renderers (CSV, JSON lines, text), byte for byte what
 * {@code vestige -r FORMAT} prints. A row's context menu offers the follow-up analyses contributed for
 * its analysis ({@code org.vestige.ui.resultActions}: dump this file, the handles of this process…), run in
 * the same case session, each result in a new Results view.
 */
public final class ResultsView extends ViewPart {

    public static final String ID = "org.vestige.ui.results";

    private Composite root;
    private Label header;
    private Text filter;
    private ResultTable table;
    private AnalysisResult result;
    private Cases.OpenCase openCase;
    private List<ResultActions.Action> actions = List.of();
    private static final AtomicInteger SHOWN = new AtomicInteger();

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
        } catch (PartInitException e) {
            VestigeUi.get().getLog().log(e.getStatus());
        }
    }

    /** Shows a result of an analysis run on a case, with the follow-up analyses contributed for its rows. */
    public void show(PluginInfo plugin, Cases.OpenCase from, AnalysisResult shown) {
        show(plugin, from.label(), shown);
        this.openCase = from;
        this.actions = ResultActions.on(plugin.id());
        if (!actions.isEmpty()) {
            MenuManager menu = new MenuManager();
            menu.setRemoveAllWhenShown(true);
            menu.addMenuListener(m -> rowActions().forEach(m::add));
            Control control = table.viewer().getControl();
            control.setMenu(menu.createContextMenu(control));
        }
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
        table.viewer().getControl().setLayoutData(gd);
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
     * Writes the shown result in a contributed output format (as {@code vestige -r FORMAT} would); a format
     * that holds a case (a database) gets a new file holding this result.
     */
    public void exportTo(String rendererId, Path file) throws IOException {
        RendererDescriptor r = VestigeUi.get().extensions().renderer(rendererId).orElseThrow(
                () -> new IOException("no renderer " + rendererId));
        if (r.writesCaseFile()) {
            try (org.vestige.core.render.CaseWriter w = r.createCaseRenderer().create(file)) {
                w.add(result);
            }
            return;
        }
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
        return table == null ? null : table.viewer();
    }

    @Override
    public void setFocus() {
        (table != null ? table.viewer().getControl() : filter).setFocus();
    }
}
