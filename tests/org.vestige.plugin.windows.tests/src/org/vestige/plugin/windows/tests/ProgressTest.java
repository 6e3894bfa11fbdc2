package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * Long analyses report their work to the monitor they are given, from its total to done, and stop
 * with {@link OperationCanceledException} soon after the monitor is cancelled.
 */
public class ProgressTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static ImageSynthesizer.Output image;

    @BeforeClass
    public static void synthesize() throws IOException {
        image = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", SynthOptions
                .builder().seed(71).windowsBuild(19041).build());
    }

    /** Records the total it was given and the work reported; cancels itself once {@code cancelAt} is reached. */
    static final class RecordingMonitor extends NullProgressMonitor {
        final int cancelAt;
        int total = -1;
        int beginTasks;
        long worked;
        int workedAtCancel = -1;

        RecordingMonitor(int cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public void beginTask(String name, int totalWork) {
            beginTasks++;
            total = totalWork;
        }

        @Override
        public void worked(int work) {
            worked += work;
            if (cancelAt > 0 && worked >= cancelAt && !isCanceled()) {
                workedAtCancel = (int) worked;
                setCanceled(true);
            }
        }
    }

    static AnalysisResult run(String plugin, IProgressMonitor monitor, String... options) throws Exception {
        Extensions ext = Extensions.fromPlatform();
        PluginDescriptor d = ext.plugin(plugin).orElseThrow();
        java.util.Map<String, List<String>> given = new java.util.LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            given.computeIfAbsent(options[i], k -> new java.util.ArrayList<>()).add(options[i + 1]);
        }
        Path out = tmp.newFolder().toPath();
        try (EvidenceCase c = EvidenceCase.open(image.image(), List.of(PagefileSpec.parse(image.pagefile()
                .toString())), ext.formats(), false, new NullProgressMonitor());
                AnalysisSession session = new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings
                        .writingTo(out))) {
            return session.run(d.info(), d.create(), Options.parse(d.info(), given), monitor);
        }
    }

    @Test(timeout = 300_000)
    public void psscanReportsItsWholeTotal() throws Exception {
        RecordingMonitor monitor = new RecordingMonitor(0);
        AnalysisResult r = run("windows.psscan", monitor);
        assertTrue(r.table().rows().size() > 0);
        assertEquals(1, monitor.beginTasks);
        assertTrue("total " + monitor.total, monitor.total > 0);
        assertEquals(monitor.total, monitor.worked);
    }

    @Test(timeout = 300_000)
    public void perProcessAnalysesReportEachProcessAndStopAtTheNextOneWhenCancelled() throws Exception {
        for (String plugin : List.of("windows.cmdline", "windows.envars", "windows.dlllist", "windows.vadinfo",
                "windows.memmap", "windows.strings", "windows.handles")) {
            RecordingMonitor whole = new RecordingMonitor(0);
            run(plugin, whole);
            assertEquals(plugin, 1, whole.beginTasks);
            // every process but the last has reported its share; the caller's done() ends the task
            assertTrue(plugin + " worked " + whole.worked + " of " + whole.total, whole.worked > whole.total / 2
                    && whole.worked <= whole.total);
            RecordingMonitor cancelled = new RecordingMonitor(1);
            assertThrows(plugin, OperationCanceledException.class, () -> run(plugin, cancelled));
            // cancelled in the first process, it stops at the next one at the latest
            assertTrue(plugin + " cancelled at " + cancelled.workedAtCancel + ", went on to " + cancelled.worked
                    + " of " + cancelled.total, cancelled.workedAtCancel > 0 && cancelled.worked < cancelled.total / 2);
        }
    }

    @Test(timeout = 300_000)
    public void psscanStopsSoonAfterCancel() throws Exception {
        RecordingMonitor monitor = new RecordingMonitor(100);
        long t0 = System.nanoTime();
        assertThrows(OperationCanceledException.class, () -> run("windows.psscan", monitor));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("cancelled after " + monitor.workedAtCancel, monitor.workedAtCancel >= 100);
        // one more block at most was reported after the cancel: it stopped at its next unit
        assertTrue("worked " + monitor.worked + " of " + monitor.total, monitor.worked < monitor.total / 2);
        assertTrue("took " + millis + " ms", millis < 60_000);
    }
}
