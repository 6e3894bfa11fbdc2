package org.vestige.ui;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.Row;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.ResultsView;

/**
 * A bookmark with a note on a result's row, kept with the case, is in the case's HTML report with the
 * evidence's digests, the analysis run with its options, and the attached screenshot.
 */
public class CaseReportTest {

    private final TemporaryFolder tmp = new TemporaryFolder();
    private final KeptCases kept = new KeptCases(tmp);

    @Rule
    public RuleChain rules = RuleChain.outerRule(tmp).around(kept);

    private final IWorkbenchPage page = KeptCases.page();

    @Test
    public void aBookmarkWithItsNoteIsInTheReport() throws Exception {
        Path image = tmp.newFile("memory.raw").toPath();
        byte[] data = new byte[16 * 4096];
        new Random(9).nextBytes(data);
        Files.write(image, data);
        Job open = VestigeUi.get().cases().open(image, List.of(), new CaseSettings(true, tmp.newFolder("out")
                .toPath(), List.of(), Set.of()));
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        Cases.OpenCase c = VestigeUi.get().cases().all().get(0);
        waitFor(() -> c.evidence().image().hashes().isPresent(), "the evidence hashed");

        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor entropy = VestigeUi.get().extensions().plugin("example.entropy").orElseThrow();
        AnalysisJob job = analyses.run(c, entropy, Options.parse(entropy.info(), Map.of("block-size", List.of(
                "4096"))));
        waitFor(() -> job.getResult() != null && KeptCases.shownResults() != null, "the analysis and its Results view");
        ResultsView results = KeptCases.shownResults();
        Row row = results.result().table().rows().get(3);
        results.bookmark(row, "high-entropy", "Looks <packed> & encrypted");
        Path shot = tmp.newFile("processes.png").toPath();
        Files.write(shot, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        kept.store().attach(c.kept(), shot);

        Path report = tmp.getRoot().toPath().resolve("report.html");
        CaseReport.write(c, kept.store(), report);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(html, html.contains("Looks &lt;packed&gt; &amp; encrypted"));
        assertTrue(html, html.contains("high-entropy"));
        assertTrue(html, html.contains("Start 0x3000"));
        assertTrue(html, html.contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))));
        assertTrue(html, html.contains("<td>example.entropy</td><td>--block-size 4096"));
        assertTrue(html, html.contains("report-files/processes.png"));
        assertTrue(Files.isRegularFile(tmp.getRoot().toPath().resolve("report-files/processes.png")));
    }
}
