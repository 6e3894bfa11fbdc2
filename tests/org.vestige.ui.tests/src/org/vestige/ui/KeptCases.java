package org.vestige.ui;

import java.nio.file.Files;

import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.vestige.ui.internal.ResultsView;

/**
 * A test's cases kept in a store of its own (a temporary folder), the workbench's store given back after;
 * the cases the test opened are closed and its Results views hidden.
 */
final class KeptCases extends ExternalResource {

    private final TemporaryFolder tmp;
    private CaseStore previous;
    private CaseStore store;

    KeptCases(TemporaryFolder tmp) {
        this.tmp = tmp;
    }

    @Override
    protected void before() throws Throwable {
        previous = VestigeUi.get().cases().store();
        store = new CaseStore(Files.createTempDirectory(tmp.getRoot().toPath(), "workspace-cases"));
        VestigeUi.get().cases().keepIn(store);
    }

    @Override
    protected void after() {
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            VestigeUi.get().cases().close(c);
        }
        hideResults();
        VestigeUi.get().cases().keepIn(previous);
    }

    /** @return the store the test's cases are kept in */
    CaseStore store() {
        return store;
    }

    /** @return the workbench page the tests drive */
    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /** @return a Results view showing a result, or null */
    static ResultsView shownResults() {
        for (IViewReference r : page().getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) && r.getView(false) instanceof ResultsView v && v.result() != null) {
                return v;
            }
        }
        return null;
    }

    /** Hides every Results view. */
    static void hideResults() {
        for (IViewReference r : page().getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page().hideView(r);
            }
        }
    }
}
