package org.vestige.windows.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;
import org.vestige.core.result.Timeline;
import org.vestige.ui.Cases;
import org.vestige.ui.ResultTable;
import org.vestige.ui.VestigeUi;

/**
 * The case's timeline ({@code windows.timeliner}): a histogram of how many times fall in each span, above the
 * table of every time. Dragging across the histogram selects a span, and the table shows only its times;
 * selecting a time whose object is a process selects that process in the Processes view.
 *
 * @since 0.1
 */
public final class TimelineView extends ViewPart {

    public static final String ID = "org.vestige.windows.ui.timeline";

    /** The analysis whose result the view shows. */
    static final String TIMELINER = "windows.timeliner";

    private static final Pattern PID = Pattern.compile("\\bPID=(\\d+)");

    private Composite area;
    private Label status;
    private TimeHistogram histogram;
    private ResultTable table;
    private Cases.OpenCase shown;
    private volatile AnalysisResult result;
    private final Cases.Listener listener = cases -> {
        if (area != null && !area.isDisposed()) {
            area.getDisplay().asyncExec(this::refresh);
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(2, false));
        status = new Label(area, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button all = new Button(area, SWT.PUSH);
        all.setText("All times");
        all.setToolTipText("Show every time again (drag across the histogram to select a span)");
        all.addListener(SWT.Selection, e -> histogram.reset());
        histogram = new TimeHistogram(area, span -> {
            if (table != null) {
                table.refresh();
                status.setText(describe(span));
            }
        });
        GridData bars = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
        bars.heightHint = 120;
        histogram.control().setLayoutData(bars);
        VestigeUi.get().cases().addListener(listener);
        refresh();
    }

    /** Runs the timeline of the latest open case, once per case. */
    private void refresh() {
        List<Cases.OpenCase> all = VestigeUi.get().cases().all();
        Cases.OpenCase c = all.isEmpty() ? null : all.get(all.size() - 1);
        if (c == shown) {
            return;
        }
        shown = c;
        PluginDescriptor timeliner = VestigeUi.get().extensions().plugin(TIMELINER).orElse(null);
        if (c == null || timeliner == null) {
            status.setText(c == null ? "No case open" : "No " + TIMELINER + " installed");
            return;
        }
        status.setText("Reading the timeline of " + c.label() + "…");
        c.job("Timeline of " + c.label(), monitor -> {
            try {
                AnalysisResult r = c.session().run(timeliner.info(), timeliner.create(), Options.defaults(timeliner
                        .info()), monitor);
                area.getDisplay().asyncExec(() -> show(r));
                return Status.OK_STATUS;
            } catch (AnalysisException e) {
                return Status.info("no timeline for " + c.label() + ": " + e.getMessage());
            }
        }).schedule();
    }

    private void show(AnalysisResult r) {
        if (area.isDisposed()) {
            return;
        }
        if (table != null) {
            table.dispose();
        }
        table = new ResultTable(area, r, null);
        table.viewer().getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        table.viewer().addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parent, Object element) {
                Optional<TimeHistogram.Span> span = histogram.selected();
                return span.isEmpty() || ((Row) element).cell(Timeline.TIME) instanceof Instant t && span.get()
                        .contains(t);
            }
        });
        table.viewer().addSelectionChangedListener(e -> {
            if (e.getStructuredSelection().getFirstElement() instanceof Row row) {
                reveal(row);
            }
        });
        getSite().setSelectionProvider(table.viewer());
        List<Instant> times = new ArrayList<>();
        r.table().walk((row, depth) -> {
            if (row.cell(Timeline.TIME) instanceof Instant t) {
                times.add(t);
            }
        });
        histogram.show(times);
        status.setText(describe(Optional.empty()));
        result = r;
        area.layout(true, true);
    }

    private String describe(Optional<TimeHistogram.Span> span) {
        int rows = table == null ? 0 : table.viewer().getTree().getItemCount();
        return span.map(s -> rows + " times from " + s.from() + " to " + s.to()).orElse(rows + " times of "
                + (shown == null ? "no case" : shown.label()));
    }

    /** Selects the process a time concerns in the Processes view, when it names one and the view is open. */
    private void reveal(Row row) {
        Matcher m = PID.matcher(String.valueOf(row.cell(Timeline.OBJECT)));
        IViewPart part = getSite().getPage().findView(ProcessesView.ID);
        if (m.find() && part instanceof ProcessesView processes) {
            processes.reveal(Long.parseLong(m.group(1)));
        }
    }

    /** @return the timeline shown, once read */
    public AnalysisResult result() {
        return result;
    }

    /** @return the histogram */
    public TimeHistogram histogram() {
        return histogram;
    }

    /** @return the table of times, once read */
    public ResultTable table() {
        return table;
    }

    @Override
    public void setFocus() {
        area.setFocus();
    }

    @Override
    public void dispose() {
        VestigeUi.get().cases().removeListener(listener);
        super.dispose();
    }
}
