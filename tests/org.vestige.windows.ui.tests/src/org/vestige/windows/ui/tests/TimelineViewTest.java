package org.vestige.windows.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.result.Row;
import org.vestige.core.result.Timeline;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.internal.ForensicsPerspective;
import org.vestige.windows.ui.ProcessesView;
import org.vestige.windows.ui.TimelineView;

/**
 * The Timeline view in the running workbench on a synthesized Windows 10 image: the histogram counts every
 * time of the timeline, selecting a span leaves exactly the times in it in the table, and a time of a process
 * selects that process in the Processes view.
 */
public class TimelineViewTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void closeCases() {
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            VestigeUi.get().cases().close(c);
        }
    }

    @Test
    public void theHistogramCountsEveryTimeAndASpanFiltersTheRows() throws Exception {
        if (WindowsViewsTest.image == null) {
            WindowsViewsTest.synthesize();
        }
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(
                ForensicsPerspective.ID));
        ProcessesView processes = (ProcessesView) page.showView(ProcessesView.ID);
        TimelineView view = (TimelineView) page.showView(TimelineView.ID);
        org.vestige.core.result.AnalysisResult before = view.result(); // of a case an earlier test closed
        Job open = VestigeUi.get().cases().open(WindowsViewsTest.image.image(), List.of(), false, tmp.newFolder(
                "out").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        waitFor(() -> view.result() != null && view.result() != before && processes.result() != null,
                "the timeline and the process tree");
        drain();

        List<Instant> times = new ArrayList<>();
        view.result().table().walk((row, depth) -> {
            if (row.cell(Timeline.TIME) instanceof Instant t) {
                times.add(t);
            }
        });
        times.sort(null);
        assertTrue("times: " + times.size(), times.size() > 250);
        int total = 0;
        for (int c : view.histogram().counts()) {
            total += c;
        }
        assertEquals("every time is in a bucket", times.size(), total);
        assertEquals(view.result().table().rowCount(), view.table().viewer().getTree().getItemCount());

        // the span of the processes' and threads' times: the link times lie years before
        Instant from = times.get(times.size() / 2);
        Instant to = times.get(times.size() - 1);
        view.histogram().select(from, to);
        drain();
        long inSpan = times.stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).count();
        assertTrue("a part: " + inSpan, inSpan > 0 && inSpan < times.size());
        assertEquals(inSpan, view.table().viewer().getTree().getItemCount());
        for (TreeItem item : view.table().viewer().getTree().getItems()) {
            Instant t = (Instant) ((Row) item.getData()).cell(Timeline.TIME);
            assertTrue(t + " in the span", !t.isBefore(from) && !t.isAfter(to));
        }
        total = 0;
        for (int c : view.histogram().counts()) {
            total += c;
        }
        assertEquals("the histogram shows the span alone", inSpan, total);

        // a process's time leads to the process
        Row created = null;
        for (TreeItem item : view.table().viewer().getTree().getItems()) {
            Row r = (Row) item.getData();
            if (r.get(Timeline.SOURCE).equals("windows.pslist")) {
                created = r;
            }
        }
        assertTrue("a process created in the span", created != null);
        long pid = Long.parseLong(created.get(Timeline.OBJECT).replaceAll("^PID=(\\d+).*", "$1"));
        view.table().viewer().setSelection(new StructuredSelection(created), true);
        drain();
        Object selected = ((StructuredSelection) page.findView(ProcessesView.ID).getSite().getSelectionProvider()
                .getSelection()).getFirstElement();
        assertTrue("selected: " + selected, selected instanceof ProcessesView.ProcessSelection p && p.pid() == pid);

        view.histogram().reset();
        drain();
        assertEquals(view.result().table().rowCount(), view.table().viewer().getTree().getItemCount());
    }
}
