package org.vestige.windows.ui.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.Row;
import org.vestige.ui.VestigeUi;
import org.vestige.windows.ui.CollectionKitWizard;

/**
 * File &gt; New Collection Kit in the running workbench: the review page shows the plan {@code acquire.plan}
 * makes of the pages' options before anything is written where the analyst asked; Finish writes the same kit
 * the command line writes with those options; a kit already in the folder is replaced only when the analyst
 * says so.
 */
public class CollectionKitWizardTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A wizard dialog whose buttons the test presses. */
    private static final class Dialog extends WizardDialog {
        Dialog(Shell shell, CollectionKitWizard wizard) {
            super(shell, wizard);
            setBlockOnOpen(false);
        }

        void next() {
            nextPressed();
            drain();
        }

        void finish() {
            finishPressed();
            drain();
        }
    }

    private final PluginDescriptor plan = VestigeUi.get().extensions().plugin(CollectionKitWizard.PLAN)
            .orElseThrow();
    private final List<List<Path>> asked = new ArrayList<>();

    private Dialog open(CollectionKitWizard wizard) {
        Dialog d = new Dialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), wizard);
        d.open();
        drain();
        return d;
    }

    private CollectionKitWizard wizard(boolean replace) {
        return new CollectionKitWizard(plan, existing -> {
            asked.add(existing);
            return replace;
        });
    }

    /** Types a target into the pages and moves to the review page. */
    private static void fillAndReview(Dialog d, CollectionKitWizard wizard) {
        wizard.pageOf("evidence-folder").set("evidence-folder", "F:\\case-17");
        wizard.pageOf("procdump").set("procdump", "F:\\tools\\procdump64.exe");
        d.next();
        wizard.pageOf("skip").set("skip", "lsass.exe\nMsMpEng.exe\n");
        d.next();
    }

    @Test
    public void theReviewShowsThePlanAndFinishWritesTheKitTheCommandLineWrites() throws Exception {
        CollectionKitWizard wizard = wizard(false);
        Dialog d = open(wizard);
        try {
            assertFalse("nothing to finish before the plan is shown", wizard.canFinish());
            fillAndReview(d, wizard);
            assertNotNull("the plan ran on entering the review page", wizard.plan());
            assertFalse("no folder chosen yet", wizard.canFinish());

            // the same options on the command line's path: the same steps, the same files
            Path direct = tmp.newFolder("direct").toPath();
            AnalysisResult expected;
            Options options = Options.parse(plan.info(), Map.of("evidence-folder", List.of("F:\\case-17"), "procdump",
                    List.of("F:\\tools\\procdump64.exe"), "skip", List.of("lsass.exe", "MsMpEng.exe")));
            try (AnalysisSession s = new AnalysisSession(null, VestigeUi.get().extensions(), SessionSettings.writingTo(
                    direct))) {
                expected = s.run(plan.info(), plan.create(), options, new NullProgressMonitor());
            }
            assertEquals(rows(expected), wizard.review().shownSteps());
            assertTrue(String.join("\n", wizard.review().shownSteps()), wizard.review().shownSteps().stream()
                    .anyMatch(r -> r.contains("F:\\case-17")));
            java.util.Optional<Path> screenshots = ViewScreenshots.folder(); // releng/screenshots.sh
            if (screenshots.isPresent()) {
                ViewScreenshots.capture(d.getShell(), screenshots.get().resolve("wizard-collection-kit.png"));
            }

            Path kit = tmp.getRoot().toPath().resolve("kit");
            assertFalse(Files.exists(kit));
            wizard.review().setDestination(kit.toString());
            drain();
            assertTrue(wizard.canFinish());
            d.finish();
            assertEquals(List.of(kit.resolve("collect.ps1"), kit.resolve("collect.cmd")), wizard.written());
            for (OutputFile f : expected.files()) {
                assertArrayEquals(f.path().getFileName().toString(), Files.readAllBytes(f.path()), Files.readAllBytes(
                        kit.resolve(f.path().getFileName())));
            }
            String script = Files.readString(kit.resolve("collect.ps1"), StandardCharsets.UTF_8);
            assertTrue("the processes never dumped are in the script", script.contains("MsMpEng.exe"));
            assertTrue("nobody was asked: the folder was empty", asked.isEmpty());
        } finally {
            d.close();
        }
    }

    @Test
    public void aKitAlreadyInTheFolderIsReplacedOnlyWhenTheAnalystSaysSo() throws Exception {
        Path kit = tmp.newFolder("kit").toPath();
        Files.writeString(kit.resolve("collect.ps1"), "# the analyst's own edits\n");

        CollectionKitWizard refused = wizard(false);
        Dialog d = open(refused);
        try {
            fillAndReview(d, refused);
            refused.review().setDestination(kit.toString());
            d.finish();
            assertEquals(List.of(List.of(kit.resolve("collect.ps1"))), asked);
            assertEquals("# the analyst's own edits\n", Files.readString(kit.resolve("collect.ps1")));
            assertFalse("nothing written when the analyst says no", Files.exists(kit.resolve("collect.cmd")));
            assertTrue("the wizard stays open", refused.written().isEmpty());
        } finally {
            d.close();
        }

        CollectionKitWizard replaced = wizard(true);
        d = open(replaced);
        try {
            fillAndReview(d, replaced);
            replaced.review().setDestination(kit.toString());
            d.finish();
            assertEquals(2, asked.size());
            assertTrue(Files.readString(kit.resolve("collect.ps1")).contains("MsMpEng.exe"));
            assertTrue(Files.exists(kit.resolve("collect.cmd")));
        } finally {
            d.close();
        }
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue("the plan's own folders are removed", left.noneMatch(p -> p.getFileName().toString()
                    .startsWith("vestige-kit") && Files.exists(p.resolve("collect.ps1"))));
        }
    }

    private static List<String> rows(AnalysisResult r) {
        List<Column<?>> columns = r.table().columns();
        List<String> out = new ArrayList<>();
        for (Row row : r.table().rows()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                s.append(i == 0 ? "" : "\t").append(CellFormat.text(columns.get(i).type(), row.cell(columns.get(i))));
            }
            out.add(s.toString());
        }
        return out;
    }
}
