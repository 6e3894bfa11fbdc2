package org.vestige.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.EvidenceView;
import org.vestige.ui.internal.ForensicsPerspective;
import org.vestige.ui.internal.ResultsView;

/** Drives the running Vestige workbench (under Xvfb) as an analyst would, on the UI thread. */
public class WorkbenchTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private IWorkbenchPage page;
    private byte[] data;
    private Path image;

    @Before
    public void openCase() throws Exception {
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(
                ForensicsPerspective.ID));
        image = tmp.newFile("memory.raw").toPath();
        data = new byte[32 * 4096];
        new Random(11).nextBytes(data);
        java.util.Arrays.fill(data, 0, 16 * 4096, (byte) 0);
        Files.write(image, data);
        Job open = VestigeUi.get().cases().open(image, List.of(), true, tmp.newFolder("out").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(open.getResult().toString(), IStatus.OK, open.getResult().getSeverity());
    }

    @After
    public void closeCases() {
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            VestigeUi.get().cases().close(c);
        }
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page.hideView(r);
            }
        }
    }

    @Test
    public void theEvidenceViewShowsTheCaseWithItsHashesAndProbes() throws Exception {
        EvidenceView view = (EvidenceView) page.showView(EvidenceView.ID);
        // the case is usable at once; its digests come from a job of their own, and the view shows them then
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        waitFor(() -> showsSha256(view, sha256), "SHA-256 " + sha256 + " shown");
        Tree tree = findTree(view);
        TreeItem caseItem = tree.getItem(0);
        assertEquals("memory.raw", caseItem.getText(0));
        TreeItem imageItem = caseItem.getItem(0);
        assertEquals("Image", imageItem.getText(0));
        boolean probes = false;
        for (TreeItem i : caseItem.getItems()) {
            probes |= i.getText(0).equals("Format probes") && i.getText(1).contains("opened as raw");
        }
        assertTrue(probes);
    }

    @Test
    public void anAnalysisRunFromTheWorkbenchGivesTheSameResultAsTheCli() throws Exception {
        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor entropy = VestigeUi.get().extensions().plugin("example.entropy").orElseThrow();
        Options options = Options.parse(entropy.info(), Map.of("block-size", List.of("16384")));
        AnalysisJob job = analyses.run(VestigeUi.get().cases().all().get(0), entropy, options);
        waitFor(() -> job.getResult() != null && findResults() != null && findResults().result() != null,
                "the analysis and its Results view");
        ResultsView results = findResults();
        Tree tree = results.viewer().getTree();
        assertEquals(8, tree.getItemCount());
        assertEquals("0x0", tree.getItem(0).getText(0));
        assertEquals("0", tree.getItem(0).getText(2));
        assertTrue(Long.parseLong(tree.getItem(7).getText(2)) > 7900);

        Path exported = tmp.getRoot().toPath().resolve("workbench.jsonl");
        results.exportTo("json", exported);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cli(Extensions.fromPlatform(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(new String[] {"-f",
                        image.toString(), "--no-hash", "-q", "-r", "json", "example.entropy", "--block-size",
                        "16384"});
        assertEquals(0, code);
        assertEquals(out.toString(StandardCharsets.UTF_8), Files.readString(exported));
    }

    @Test
    public void aLongAnalysisCanBeCancelledAndTheWorkbenchStaysUsable() throws Exception {
        Path big = tmp.getRoot().toPath().resolve("big.raw");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(8L << 30); // sparse: reads as zeros, takes a while to scan
        }
        Job open = VestigeUi.get().cases().open(big, List.of(), false, tmp.newFolder("out2").toPath());
        waitFor(() -> open.getResult() != null, "the big case to open");
        Cases.OpenCase bigCase = VestigeUi.get().cases().all().stream().filter(c -> c.label().equals("big.raw"))
                .findFirst().orElseThrow();
        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor entropy = VestigeUi.get().extensions().plugin("example.entropy").orElseThrow();
        AnalysisJob job = analyses.run(bigCase, entropy, Options.parse(entropy.info(), Map.of("block-size", List.of(
                "4096"))));
        waitFor(() -> job.getState() == Job.RUNNING, "the analysis to start");
        Thread.sleep(300);
        job.cancel();
        waitFor(() -> job.getResult() != null, "the analysis to stop");
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
        // still usable: another analysis runs to completion
        AnalysisJob again = analyses.run(VestigeUi.get().cases().all().get(0), entropy, Options.defaults(entropy
                .info()));
        waitFor(() -> again.getResult() != null, "a second analysis");
        assertEquals(IStatus.OK, again.getResult().getSeverity());
        assertNotNull(again.result());
    }

    private ResultsView findResults() {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                IViewPart v = r.getView(false);
                if (v instanceof ResultsView rv && rv.result() != null) {
                    return rv;
                }
            }
        }
        return null;
    }

    private static boolean showsSha256(EvidenceView view, String sha256) {
        try {
            for (TreeItem i : findTree(view).getItem(0).getItem(0).getItems()) {
                if (i.getText(0).equals("SHA-256") && i.getText(1).equals(sha256)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Tree findTree(EvidenceView view) throws Exception {
        var m = EvidenceView.class.getDeclaredMethod("viewer");
        m.setAccessible(true);
        TreeViewer viewer = (TreeViewer) m.invoke(view);
        viewer.expandAll();
        return viewer.getTree();
    }
}
