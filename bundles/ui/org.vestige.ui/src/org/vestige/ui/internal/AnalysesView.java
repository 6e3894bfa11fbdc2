package org.vestige.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.Subject;
import org.vestige.ui.TreeContent;
import org.vestige.ui.VestigeUi;

/**
 * Every contributed analysis, by category, read from plugin.xml without loading any plugin class.
 * Double-click (or Enter) opens a form generated from the analysis's declared options and runs it
 * as a background job on the selected case; its result opens in a Results view. The form starts with
 * what was last selected in another view (a process, a result row: its {@link Subject}).
 */
public final class AnalysesView extends ViewPart {

    public static final String ID = "org.vestige.ui.analyses";

    record Category(String name, List<PluginDescriptor> plugins) {
    }

    private TreeViewer viewer;
    private Subject subject;
    private final org.eclipse.ui.ISelectionListener selectionListener = (part, selection) -> {
        if (part != this && selection instanceof org.eclipse.jface.viewers.IStructuredSelection s
                && s.getFirstElement() instanceof Subject chosen) {
            subject = chosen;
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TreeViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTree().setHeaderVisible(true);
        TreeViewerColumn name = new TreeViewerColumn(viewer, SWT.LEFT);
        name.getColumn().setText("Analysis");
        name.getColumn().setWidth(200);
        name.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object e) {
                return e instanceof Category c ? c.name() : ((PluginDescriptor) e).id();
            }

            @Override
            public String getToolTipText(Object e) {
                return e instanceof PluginDescriptor p ? p.info().description() : null;
            }
        });
        TreeViewerColumn summary = new TreeViewerColumn(viewer, SWT.LEFT);
        summary.getColumn().setText("Description");
        summary.getColumn().setWidth(380);
        summary.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object e) {
                return e instanceof PluginDescriptor p ? p.info().summary() : "";
            }
        });
        viewer.setContentProvider(TreeContent.ofList(e -> e instanceof Category c ? c.plugins() : List.of()));
        Map<String, List<PluginDescriptor>> byCategory = new TreeMap<>();
        for (PluginDescriptor p : VestigeUi.get().extensions().plugins()) {
            byCategory.computeIfAbsent(p.info().category(), k -> new ArrayList<>()).add(p);
        }
        List<Category> input = new ArrayList<>();
        byCategory.forEach((k, v) -> input.add(new Category(k, v)));
        viewer.setInput(input);
        viewer.expandAll();
        viewer.addDoubleClickListener(e -> {
            if (viewer.getStructuredSelection().getFirstElement() instanceof PluginDescriptor p) {
                openForm(p);
            }
        });
        org.eclipse.jface.viewers.ColumnViewerToolTipSupport.enableFor(viewer);
        getSite().setSelectionProvider(viewer);
        getSite().getPage().addSelectionListener(selectionListener);
        selectionListener.selectionChanged(null, getSite().getPage().getSelection());
    }

    @Override
    public void dispose() {
        getSite().getPage().removeSelectionListener(selectionListener);
        super.dispose();
    }

    /** @return the form an analysis opens with on the current case (not yet open) */
    public RunAnalysisDialog form(PluginDescriptor plugin) {
        return new RunAnalysisDialog(getSite().getShell(), plugin.info(), EvidenceView.currentCase(getSite()
                .getPage()), subject);
    }

    private void openForm(PluginDescriptor plugin) {
        Cases.OpenCase c = EvidenceView.currentCase(getSite().getPage());
        if (c == null && plugin.info().requires(org.vestige.core.plugin.Requirement.EVIDENCE)) {
            MessageDialog.openInformation(getSite().getShell(), plugin.info().name(),
                    plugin.id() + " needs evidence: open a memory image first (File > Open Evidence...).");
            return;
        }
        RunAnalysisDialog dialog = form(plugin);
        if (dialog.open() == Window.OK) {
            run(c, plugin, dialog.options());
        }
    }

    /**
     * Runs an analysis on a case as a background job and shows its result when it finishes.
     *
     * @return the scheduled job
     */
    public AnalysisJob run(Cases.OpenCase c, PluginDescriptor plugin, Options options) {
        return ResultsView.runAndShow(getSite().getPage(), c, plugin, options);
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }
}
