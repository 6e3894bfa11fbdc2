package org.vestige.ui;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;

import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.After;
import org.junit.Test;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Row;
import org.vestige.ui.internal.CompareView;
import org.vestige.ui.internal.ResultsView;

/** Two results side by side: the rows each holds and the other does not are the ones highlighted. */
public class CompareTest {

    private static final Column<Long> PID = Column.pid("PID");
    private static final Column<String> NAME = Column.string("ImageFileName");

    private final IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();

    @After
    public void hideViews() {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) || r.getId().equals(CompareView.ID)) {
                page.hideView(r);
            }
        }
    }

    @Test
    public void theRowsOnlyOneResultHoldsAreHighlighted() throws Exception {
        PluginInfo info = VestigeUi.get().extensions().plugin("example.entropy").orElseThrow().info();
        AnalysisResult before = processes(new long[] {4, 88, 400, 512}, new String[] {"System", "Registry",
            "smss.exe", "notepad.exe"});
        AnalysisResult after = processes(new long[] {4, 88, 400, 777}, new String[] {"System", "Registry",
            "smss.exe", "evil.exe"});
        ResultsView a = (ResultsView) page.showView(ResultsView.ID, "compare-a", IWorkbenchPage.VIEW_CREATE);
        a.show(info, "before.raw", before);
        ResultsView b = (ResultsView) page.showView(ResultsView.ID, "compare-b", IWorkbenchPage.VIEW_CREATE);
        b.show(info, "after.raw", after);
        CompareView compare = a.compareWith(b);
        drain();
        assertEquals(1, compare.onlyLeft().size());
        assertEquals("notepad.exe", compare.onlyLeft().iterator().next().cell(NAME));
        assertEquals(1, compare.onlyRight().size());
        assertEquals(777L, compare.onlyRight().iterator().next().cell(PID));
        assertTrue(compare.summary(), compare.summary().contains("1 not in the other"));
    }

    private static AnalysisResult processes(long[] pids, String[] names) {
        org.vestige.core.result.ResultTable t = org.vestige.core.result.ResultTable.of(PID, NAME);
        for (int i = 0; i < pids.length; i++) {
            Row r = t.addRow();
            r.set(PID, pids[i]);
            r.set(NAME, names[i]);
        }
        return new AnalysisResult("windows.pslist", t);
    }
}
