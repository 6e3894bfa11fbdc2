package org.vestige.ui;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.ResultsView;

/**
 * A case survives the workbench stopping and starting again: it is kept with its settings and results,
 * reopened, and its Results views come back with the results read from where they were kept, no analysis
 * run again; the audit log names the run with its options and the digest of what it returned.
 */
public class CaseRestartTest {

    private final TemporaryFolder tmp = new TemporaryFolder();
    private final KeptCases kept = new KeptCases(tmp);

    @Rule
    public RuleChain rules = RuleChain.outerRule(tmp).around(kept);

    private final IWorkbenchPage page = KeptCases.page();

    @Test
    public void aCaseAndItsResultsComeBackAfterARestartWithoutRunningAgain() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[16 * 4096];
        new Random(5).nextBytes(data);
        Files.write(image, data);
        Path out = tmp.newFolder("out").toPath();
        Job open = VestigeUi.get().cases().open(image, List.of(), new CaseSettings(false, out, List.of(), java.util
                .Set.of()));
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        Cases.OpenCase before = VestigeUi.get().cases().all().get(0);
        assertNotNull(before.kept());

        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor entropy = VestigeUi.get().extensions().plugin("example.entropy").orElseThrow();
        AnalysisJob job = analyses.run(before, entropy, Options.parse(entropy.info(), Map.of("block-size", List.of(
                "8192"))));
        waitFor(() -> job.getResult() != null && KeptCases.shownResults() != null, "the analysis and its Results view");
        AnalysisResult original = KeptCases.shownResults().result();

        // the workbench stops: cases released (still marked open), views gone
        VestigeUi.get().cases().releaseAll();
        KeptCases.hideResults();
        assertTrue(VestigeUi.get().cases().all().isEmpty());

        // and starts again: nothing may run
        AtomicInteger runs = new AtomicInteger();
        JobChangeAdapter counter = new JobChangeAdapter() {
            @Override
            public void scheduled(IJobChangeEvent event) {
                // the case's own details (contributed evidence details) may run as it opens; entropy must not
                if (event.getJob() instanceof AnalysisJob a && a.plugin().id().equals("example.entropy")) {
                    runs.incrementAndGet();
                }
            }
        };
        Job.getJobManager().addJobChangeListener(counter);
        try {
            List<Job> reopening = VestigeUi.get().cases().reopen();
            assertEquals(1, reopening.size());
            waitFor(() -> reopening.get(0).getResult() != null, "the case to reopen");
            Cases.OpenCase after = VestigeUi.get().cases().all().get(0);
            assertNotSame(before, after);
            assertEquals(before.kept().folder(), after.kept().folder());
            assertEquals(before.settings(), after.settings());
            assertEquals("memory.raw", after.label());
            Job restoring = ResultsView.restoreTabs(page, after);
            waitFor(() -> restoring.getResult() != null && KeptCases.shownResults() != null, "the results shown again");
            AnalysisResult again = KeptCases.shownResults().result();
            assertNotSame(original, again);
            assertEquals(texts(original), texts(again));
            assertEquals(original.diagnostics(), again.diagnostics());
            assertEquals(0, runs.get());
        } finally {
            Job.getJobManager().removeJobChangeListener(counter);
        }

        // the audit log: what ran, with which options, and the digest of what it returned
        List<CaseStore.Run> log = kept.store().runs(before.kept());
        assertEquals(1, log.size());
        assertEquals("example.entropy", log.get(0).plugin());
        assertTrue(log.get(0).options(), log.get(0).options().contains("--block-size 8192"));
        assertEquals(original.table().rowCount(), log.get(0).rows());
        assertEquals(64, log.get(0).sha256().length());
    }

    @Test
    public void twoImagesOfOneNameAreTwoCasesNamedByTheirFolders() throws Exception {
        CaseStore store = new CaseStore(tmp.newFolder("names").toPath());
        Path a = Files.createDirectories(tmp.getRoot().toPath().resolve("laptop")).resolve("image.raw");
        Path b = Files.createDirectories(tmp.getRoot().toPath().resolve("server")).resolve("image.raw");
        CaseSettings settings = new CaseSettings(false, Path.of(""), List.of(), java.util.Set.of());
        CaseStore.Kept first = store.keep(a, List.of(), settings);
        CaseStore.Kept second = store.keep(b, List.of(), settings);
        assertEquals("image.raw", first.name());
        assertEquals("image.raw (server)", second.name());
        assertEquals(first.folder(), store.keep(a, List.of(), settings).folder()); // the same image, the same case
        store.closed(first);
        assertEquals(List.of(second.folder()), store.open().stream().map(CaseStore.Kept::folder).toList());
    }

    private static String texts(AnalysisResult r) {
        StringBuilder b = new StringBuilder(r.pluginId()).append('\n');
        r.table().walk((row, depth) -> {
            b.append(depth);
            for (int i = 0; i < r.table().columns().size(); i++) {
                b.append('\t').append(CellFormat.text(r.table().columns().get(i).type(), row.cell(i)));
            }
            b.append('\n');
        });
        return b.toString();
    }
}
