package org.vestige.windows.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.ui.ResultTable;
import org.vestige.ui.VestigeUi;

/**
 * The details of the process selected in the Processes view, one tab per analysis: its handles
 * ({@code windows.handles}), its token's SIDs ({@code windows.getsids}) and privileges
 * ({@code windows.privileges}), each run with {@code --pid} on the case's session, so the rows are
 * those the command line prints for that process. A filter above the tabs narrows every tab's rows
 * (a handle type, a SID, a privilege's name). Analyses the installation lacks have no tab.
 *
 * @since 0.1
 */
public final class ProcessDetails {

    /** A tab: its title, the analysis it shows and what its rows are called. */
    record TabSpec(String title, String analysis, String rows) {
    }

    /** The tabs, in order. */
    static final List<TabSpec> TABS = List.of(new TabSpec("Handles", "windows.handles", "handles"), new TabSpec(
            "SIDs", "windows.getsids", "SIDs"), new TabSpec("Privileges", "windows.privileges", "privileges"));

    /** The columns every row of a tab repeats, which the pane leaves out (the header names the process). */
    static final java.util.Set<String> PER_PROCESS = java.util.Set.of("PID", "Process");

    private final CTabFolder folder;
    private final Text filter;
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    private volatile Job job;
    private ProcessesView.ProcessSelection shown;

    /** One tab: a header saying what it shows and the table of the analysis' result. */
    private static final class Tab {
        final TabSpec spec;
        final PluginDescriptor plugin;
        final Composite body;
        final Label header;
        ResultTable table;

        Tab(TabSpec spec, PluginDescriptor plugin, Composite body, Label header) {
            this.spec = spec;
            this.plugin = plugin;
            this.body = body;
            this.header = header;
        }
    }

    /** Creates the tabs in a parent composite; they stay empty until a process is {@link #show shown}. */
    public ProcessDetails(Composite parent) {
        folder = new CTabFolder(parent, SWT.BORDER | SWT.BOTTOM);
        filter = new Text(folder, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("filter rows");
        folder.setTopRight(filter, SWT.FILL);
        folder.setTabHeight(Math.max(folder.getTabHeight(), filter.computeSize(SWT.DEFAULT, SWT.DEFAULT).y));
        filter.addModifyListener(e -> tabs.values().stream().filter(t -> t.table != null).forEach(t -> t.table
                .refresh()));
        for (TabSpec spec : TABS) {
            PluginDescriptor plugin = VestigeUi.get().extensions().plugin(spec.analysis()).orElse(null);
            if (plugin == null) {
                continue;
            }
            CTabItem item = new CTabItem(folder, SWT.NONE);
            item.setText(spec.title());
            item.setToolTipText(plugin.info().name() + " (" + plugin.info().id() + ")");
            Composite body = new Composite(folder, SWT.NONE);
            body.setLayout(new GridLayout(1, false));
            Label header = new Label(body, SWT.NONE);
            header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            header.setText("Select a process to see its " + spec.rows() + ".");
            item.setControl(body);
            tabs.put(spec.title(), new Tab(spec, plugin, body, header));
        }
        if (folder.getItemCount() > 0) {
            folder.setSelection(0);
        }
    }

    /** @return the tab folder (the pane's control) */
    public CTabFolder control() {
        return folder;
    }

    /**
     * Runs the analyses for a process and fills the tabs when they are done; a selection made before
     * then cancels the runs for the previous one.
     *
     * @return the job running them
     */
    public Job show(ProcessesView.ProcessSelection process) {
        Job previous = job;
        if (previous != null) {
            previous.cancel();
        }
        shown = process;
        String who = process.name() + " (pid " + process.pid() + ")";
        tabs.values().forEach(t -> t.header.setText("running " + t.plugin.info().id() + " for " + who + " ..."));
        Job j = process.openCase().job("Details of " + who, jobMonitor -> {
            SubMonitor monitor = SubMonitor.convert(jobMonitor, tabs.size());
            Map<String, Object> results = new LinkedHashMap<>();
            for (Map.Entry<String, Tab> e : tabs.entrySet()) {
                if (monitor.isCanceled()) {
                    return Status.CANCEL_STATUS;
                }
                PluginDescriptor plugin = e.getValue().plugin;
                try {
                    results.put(e.getKey(), process.openCase().session().run(plugin.info(), plugin.create(), Options
                            .parse(plugin.info(), Map.of("pid", List.of(Long.toString(process.pid())))), monitor
                                    .split(1)));
                } catch (AnalysisException ex) {
                    results.put(e.getKey(), ex.getMessage());
                }
            }
            if (!folder.isDisposed()) {
                folder.getDisplay().asyncExec(() -> fill(process, who, results));
            }
            return Status.OK_STATUS;
        });
        job = j;
        j.schedule();
        return j;
    }

    private void fill(ProcessesView.ProcessSelection process, String who, Map<String, Object> results) {
        if (folder.isDisposed() || process != shown) {
            return;
        }
        for (Map.Entry<String, Object> e : results.entrySet()) {
            Tab tab = tabs.get(e.getKey());
            if (tab.table != null) {
                tab.table.dispose();
                tab.table = null;
            }
            if (e.getValue() instanceof AnalysisResult r) {
                tab.header.setText(header(tab.spec, who, r));
                tab.header.setToolTipText(String.join("\n", r.diagnostics().stream().map(Object::toString)
                        .toList()));
                tab.table = new ResultTable(tab.body, r, filter::getText, c -> !PER_PROCESS.contains(c.name()));
                tab.table.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
            } else {
                tab.header.setText(tab.plugin.info().id() + " could not run for " + who + ": " + e.getValue());
            }
            tab.body.layout(true, true);
        }
    }

    private static String header(TabSpec tab, String who, AnalysisResult r) {
        int n = r.table().rowCount();
        String rows = n == 1 ? tab.rows().substring(0, tab.rows().length() - 1) : tab.rows();
        return n + " " + rows + " of " + who + ResultTable.outcome(r.outcome()) + (r.diagnostics().isEmpty() ? "" : " — " + r
                .diagnostics().size() + " diagnostics: " + r.diagnostics().get(0).message());
    }

    /** @return the result a tab shows, or null before one is shown (or when its analysis failed) */
    public AnalysisResult result(String tab) {
        Tab t = tabs.get(tab);
        return t == null || t.table == null ? null : t.table.result();
    }

    /** @return the table a tab shows, or null */
    public ResultTable table(String tab) {
        Tab t = tabs.get(tab);
        return t == null ? null : t.table;
    }

    /** @return the header line of a tab */
    public String header(String tab) {
        return tabs.get(tab).header.getText();
    }

    /** @return the job filling the tabs for the last selection, or null */
    public Job job() {
        return job;
    }

    /** @return the filter field above the tabs */
    public Text filter() {
        return filter;
    }
}
