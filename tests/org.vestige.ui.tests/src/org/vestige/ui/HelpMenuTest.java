package org.vestige.ui;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.Test;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.ui.internal.AnalysesReferenceDialog;
import org.vestige.ui.internal.GuideDialog;

/**
 * Help in the running workbench: the menu is there, and its Analyses Reference lists every installed analysis
 * and shows, for the one selected, what its declaration says — description, options with their types and
 * defaults, requirements, timeline — so that it is the reference of this installation.
 */
public class HelpMenuTest {

    @Test
    public void theReferenceListsEveryAnalysisAndShowsItsDeclaration() {
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        Set<String> menus = new HashSet<>();
        for (MenuItem item : shell.getMenuBar().getItems()) {
            menus.add(item.getText().replace("&", ""));
        }
        assertTrue(menus.toString(), menus.contains("Help"));

        List<PluginDescriptor> installed = VestigeUi.get().extensions().plugins();
        AnalysesReferenceDialog dialog = new AnalysesReferenceDialog(shell, installed);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            drain();
            Set<String> ids = new HashSet<>();
            installed.forEach(p -> ids.add(p.id()));
            assertEquals(ids, new HashSet<>(dialog.listed()));
            assertEquals(installed.size(), dialog.listed().size());

            for (String id : List.of("windows.pslist", "acquire.plan", "windows.registry.printkey")) {
                PluginInfo info = VestigeUi.get().extensions().plugin(id).orElseThrow().info();
                dialog.select(id);
                String page = dialog.shown();
                assertTrue(page, page.startsWith(info.name() + " (" + id + ")"));
                assertTrue(page, page.contains(info.description()));
                assertTrue(page, page.contains("Bundle: " + info.contributor()));
                for (OptionSpec o : info.options()) {
                    assertTrue(page, page.contains("--" + o.name() + " (" + o.type().id()));
                    assertTrue(page, o.defaultValue() == null || page.contains("default " + o.defaultValue()));
                }
                assertEquals(page, info.timelineContribution().isPresent(), page.contains("on the timeline"));
                assertEquals(page, info.requirements().isEmpty(), page.contains("runs without evidence"));
            }
        } finally {
            dialog.close();
        }
        String about = org.vestige.ui.internal.AboutHandler.text(VestigeUi.get().extensions());
        assertTrue(about, about.contains(installed.size() + " analyses, ") && about.contains(VestigeUi.get()
                .extensions().profiles().size() + " profiles"));
    }

    @Test
    public void theGuideShipsTheReadmeAndEveryDocsPage() {
        List<GuideDialog.Page> pages = GuideDialog.shipped();
        Set<String> files = new HashSet<>();
        pages.forEach(p -> files.add(p.file()));
        // the build copies them from the repository: the README first, then the tutorial
        assertTrue(files.toString(), files.containsAll(List.of("README.md", "tutorial-first-analysis.md",
                "extension-points.md", "results.md", "acquisition.md")));
        assertEquals("README.md", pages.get(0).file());
        assertEquals("tutorial-first-analysis.md", pages.get(1).file());

        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        GuideDialog dialog = new GuideDialog(shell, pages);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            drain();
            assertEquals(pages.stream().map(GuideDialog.Page::title).toList(), dialog.listed());
            assertTrue(dialog.shown(), dialog.shown().startsWith("Vestige\n"));
            GuideDialog.Page results = pages.stream().filter(p -> p.file().equals("results.md")).findFirst()
                    .orElseThrow();
            dialog.select(results.title());
            // headings lose their marks, code fences go; the words are the page's
            assertTrue(dialog.shown(), dialog.shown().startsWith(results.title() + "\n"));
            assertTrue(dialog.shown(), !dialog.shown().contains("```"));
        } finally {
            dialog.close();
        }
    }
}
