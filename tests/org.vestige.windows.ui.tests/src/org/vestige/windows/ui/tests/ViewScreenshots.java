package org.vestige.windows.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.CaseReport;
import org.vestige.ui.CaseStore;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.CompareView;
import org.vestige.ui.internal.EvidenceView;
import org.vestige.ui.internal.ForensicsPerspective;
import org.vestige.ui.internal.GuideDialog;
import org.vestige.ui.internal.ResultsView;
import org.vestige.ui.internal.RunAnalysisDialog;
import org.vestige.windows.ProcessWalker;
import org.vestige.windows.ui.MemorySearch;
import org.vestige.windows.ui.MemoryView;
import org.vestige.windows.ui.ProcessesView;

/**
 * Takes the documentation's screenshot of each view, on the README's example image (synth 19041, seed
 * 1, 1 GiB), when {@code -Dvestige.screenshots=DIR} is given ({@code releng/screenshots.sh}); skipped
 * otherwise. It checks what it photographs, so a broken view does not end up in the docs.
 */
public class ViewScreenshots {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void eachViewOnTheExampleImage() throws Exception {
        java.util.Optional<Path> asked = folder();
        assumeTrue("screenshots are taken only with -Dvestige.screenshots=DIR", asked.isPresent());
        Path out = asked.get();
        Files.createDirectories(out);
        ProfileDescriptor d = VestigeUi.get().extensions().profiles().stream().filter(p -> p.id().equals(
                "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1")).findFirst().orElseThrow();
        Path imageDir = tmp.newFolder("win10-19041").toPath();
        ImageSynthesizer.Output example = new ImageSynthesizer(d.load(), SynthOptions.builder().seed(1)
                .windowsBuild(19041).lowStub(false).sizeMib(1024).build()).synthesize(imageDir);

        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        shell.setBounds(0, 0, 1280, 800);
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(
                ForensicsPerspective.ID));
        ProcessesView processes = (ProcessesView) page.showView(ProcessesView.ID);
        Job open = VestigeUi.get().cases().open(example.image(), List.of(), true, tmp.newFolder("out").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        Cases.OpenCase c = VestigeUi.get().cases().all().get(0);
        waitFor(() -> processes.result() != null, "the process tree");
        processes.viewer().expandAll();
        // explorer.exe selected: its handles under the tree
        SynthTruth.Process explorer = example.truth().processes().stream().filter(p -> p.name().equals(
                "explorer.exe")).findFirst().orElseThrow();
        TreeItem explorerItem = find(processes.viewer().getTree().getItems(), Long.toString(explorer.pid()));
        processes.viewer().getTree().setSelection(explorerItem);
        processes.viewer().setSelection(processes.viewer().getSelection(), true);
        waitFor(() -> processes.details().result("Handles") != null, "explorer.exe's handles");
        capture(shell, out.resolve("view-processes.png"));

        EvidenceView evidence = (EvidenceView) page.showView(EvidenceView.ID);
        waitFor(() -> !CaseDetailsProbe.running(evidence), "windows.info to describe the case");
        // the view maximized, with the files folded, so what discovery found is in the picture
        evidence.viewer().collapseAll();
        evidence.viewer().expandToLevel(2);
        for (var item : evidence.viewer().getTree().getItem(0).getItems()) {
            if (item.getText(0).equals("Windows kernel")) {
                evidence.viewer().expandToLevel(item.getData(), 1);
            } else {
                evidence.viewer().collapseToLevel(item.getData(), 1);
            }
        }
        page.setPartState(page.getReference(evidence), IWorkbenchPage.STATE_MAXIMIZED);
        capture(shell, out.resolve("view-evidence.png"));
        page.setPartState(page.getReference(evidence), IWorkbenchPage.STATE_RESTORED);

        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor dlllist = VestigeUi.get().extensions().plugin("windows.dlllist").orElseThrow();
        AnalysisJob job = analyses.run(c, dlllist, Options.parse(dlllist.info(), Map.of("pid", List.of(Long
                .toString(explorer.pid())))));
        waitFor(() -> job.getResult() != null && results(page) != null, "dlllist and its results");
        // the Analyses view with the form it generates from windows.dlllist's declared options
        page.activate(analyses);
        RunAnalysisDialog form = new RunAnalysisDialog(shell, dlllist.info(), c, null);
        form.setBlockOnOpen(false);
        form.open();
        try {
            capture(shell, out.resolve("view-analyses.png"));
        } finally {
            form.close();
        }
        page.activate(results(page));
        capture(shell, out.resolve("view-results.png"));

        ImageSynthesizer.PteSample paged = example.pteSamples().stream().filter(s -> s.kind().equals("pagefile"))
                .findFirst().orElseThrow();
        SynthTruth.Process owner = example.truth().processes().stream().filter(p -> p.pid() == paged.pid())
                .findFirst().orElseThrow();
        MemoryView memory = (MemoryView) page.showView(MemoryView.ID);
        Job read = memory.show(new ProcessesView.ProcessSelection(c, owner.pid(), owner.name(), owner.eprocess()),
                paged.va());
        waitFor(() -> read.getResult() != null && memory.snapshot() != null, "the memory view");
        capture(shell, out.resolve("view-memory.png"));

        // the hex search: from the process's lowest region, its image's name in UTF-16 (its process parameters)
        Job lowest = memory.goToRegion(0);
        waitFor(() -> lowest.getResult() != null && memory.snapshot() != null, "the lowest region");
        Job search = memory.find(owner.name(), MemorySearch.Encoding.UTF16);
        waitFor(() -> search.getResult() != null && !memory.getContentDescription().startsWith("looking for"),
                "the search");
        assertTrue(search.getResult() + ": " + memory.getContentDescription(), memory.getContentDescription()
                .contains(" found at "));
        waitFor(() -> memory.job().getResult() != null, "the view gone to the match");
        int hit = memory.selectedRow();
        String text = memory.textOfRow(hit, 2) + memory.textOfRow(hit + 1, 2); // the match may run into the next row
        assertTrue(text, text.replace(".", "").contains(owner.name().substring(0, 4)));
        capture(shell, out.resolve("view-memory-search.png"));

        // pslist against psscan: what the scan finds off the active list is highlighted
        PluginDescriptor pslist = VestigeUi.get().extensions().plugin("windows.pslist").orElseThrow();
        PluginDescriptor psscan = VestigeUi.get().extensions().plugin("windows.psscan").orElseThrow();
        AnalysisJob listed = analyses.run(c, pslist, Options.defaults(pslist.info()));
        AnalysisJob scanned = analyses.run(c, psscan, Options.defaults(psscan.info()));
        waitFor(() -> listed.getResult() != null && scanned.getResult() != null, "pslist and psscan");
        ResultsView left = (ResultsView) page.showView(ResultsView.ID, "compare-pslist", IWorkbenchPage.VIEW_CREATE);
        left.show(pslist.info(), c, listed.result());
        ResultsView right = (ResultsView) page.showView(ResultsView.ID, "compare-psscan", IWorkbenchPage.VIEW_CREATE);
        right.show(psscan.info(), c, scanned.result());
        CompareView compare = left.compareWith(right);
        assertTrue(compare.summary(), !compare.onlyRight().isEmpty());
        capture(shell, out.resolve("view-compare.png"));

        // the case report: a bookmarked finding with its note and the compare screenshot attached; the script
        // photographs the HTML in a browser (report.png) and removes it
        long hiddenPid = example.truth().hidden().get(0).pid(); // running, unlinked from the active list
        org.vestige.core.result.Row hidden = compare.onlyRight().stream().filter(r -> Long.valueOf(hiddenPid).equals(
                r.cell(1))).findFirst().orElseThrow(() -> new AssertionError("psscan's extra rows miss pid "
                        + hiddenPid));
        right.bookmark(hidden, "hidden-process", "Found by the pool scan and not on the active process list: "
                + "unlinked, as rootkits hide a process. Dump it and check its image.");
        CaseStore store = VestigeUi.get().cases().store();
        store.attach(c.kept(), out.resolve("view-compare.png"));
        CaseReport.write(c, store, out.resolve("report.html"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("hidden-process"));

        // the Timeline view on the processes' and threads' times (the link times lie years before)
        org.vestige.windows.ui.TimelineView timeline = (org.vestige.windows.ui.TimelineView) page.showView(
                org.vestige.windows.ui.TimelineView.ID);
        waitFor(() -> timeline.result() != null, "the timeline");
        timeline.histogram().select(ProcessWalker.instant(example.truth().processes().get(0).createFileTime()),
                ProcessWalker.instant(example.truth().times().systemFileTime()));
        assertTrue("times in the span", timeline.table().viewer().getTree().getItemCount() > 100);
        capture(shell, out.resolve("view-timeline.png"));
        // Help > Vestige Guide on the tutorial
        GuideDialog guide = new GuideDialog(shell, GuideDialog.shipped());
        guide.setBlockOnOpen(false);
        guide.open();
        try {
            guide.select(guide.listed().get(1));
            assertTrue(guide.shown(), guide.shown().startsWith("Write your first analysis"));
            capture(guide.getShell(), out.resolve("help-guide.png"));
        } finally {
            guide.close();
        }
        VestigeUi.get().cases().close(c);
    }

    /**
     * @return the folder {@code -Dvestige.screenshots} names, if any: the build passes the property through even
     *         when it is unset, as an empty value or the word "null", and neither names a folder
     */
    static java.util.Optional<Path> folder() {
        String dir = System.getProperty("vestige.screenshots", "").strip();
        return dir.isEmpty() || dir.equals("null") ? java.util.Optional.empty() : java.util.Optional.of(Paths.get(
                dir));
    }

    /** Saves what a window (the workbench's, a dialog) shows inside its frame, after the UI has settled. */
    static void capture(Shell shell, Path file) throws Exception {
        Display display = shell.getDisplay();
        long until = System.currentTimeMillis() + 1500;
        while (System.currentTimeMillis() < until) {
            if (!display.readAndDispatch()) {
                Thread.sleep(20);
            }
        }
        Rectangle r = display.map(shell, null, shell.getClientArea());
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, r.x, r.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {image.getImageData()};
            loader.save(file.toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
        assertTrue(file + " written", Files.size(file) > 10_000);
    }

    private static TreeItem find(TreeItem[] items, String pid) {
        for (TreeItem i : items) {
            if (i.getText(0).equals(pid)) {
                return i;
            }
            TreeItem below = find(i.getItems(), pid);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    private static ResultsView results(IWorkbenchPage page) {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) && r.getView(false) instanceof ResultsView v && v.result() != null) {
                return v;
            }
        }
        return null;
    }

    /** Whether the Evidence view still says a contributed analysis is running. */
    private static final class CaseDetailsProbe {
        static boolean running(EvidenceView view) {
            for (var c : view.viewer().getTree().getItems()) {
                for (var i : c.getItems()) {
                    if (i.getText(1).startsWith("running ")) {
                        return true;
                    }
                }
            }
            return view.viewer().getTree().getItemCount() == 0;
        }
    }
}
