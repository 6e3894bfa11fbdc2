package org.vestige.windows.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.TokenTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.EvidenceView;
import org.vestige.ui.internal.ForensicsPerspective;
import org.vestige.ui.internal.ResultsView;
import org.vestige.windows.ui.MemoryView;
import org.vestige.windows.ui.ProcessDetails;
import org.vestige.windows.ui.ProcessesView;
import org.vestige.windows.ui.ProvenanceColors;

/**
 * The Windows views in the running workbench, on an image synthesized from the installed Windows 10
 * 19041 profile: the process view against the truth, dlllist from the Analyses view, and the Memory
 * view on a page that is paged out.
 */
public class WindowsViewsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static ImageSynthesizer.Output image;

    @BeforeClass
    public static void synthesize() throws Exception {
        ProfileDescriptor d = VestigeUi.get().extensions().profiles().stream().filter(p -> p.id().equals(
                "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1")).findFirst().orElseThrow();
        image = SynthesizedImages.get(d.load(), SynthOptions.builder().seed(3).windowsBuild(19041).build());
    }

    @After
    public void closeCases() {
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            VestigeUi.get().cases().close(c);
        }
    }

    @Test
    public void processesDllsAndAPagedOutPageInTheWorkbench() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(
                ForensicsPerspective.ID));
        ProcessesView processes = (ProcessesView) page.showView(ProcessesView.ID);
        org.vestige.core.result.AnalysisResult before = processes.result(); // of a case an earlier test closed
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder("out").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        waitFor(() -> processes.result() != null && processes.result() != before, "the process tree");
        drain();

        // the process view holds exactly the truth's processes, and those only the pool scan finds
        Set<String> expected = new HashSet<>();
        image.truth().processes().forEach(p -> expected.add(p.pid() + " " + p.name()));
        image.truth().terminated().forEach(p -> expected.add(p.pid() + " " + p.name()));
        image.truth().hidden().forEach(p -> expected.add(p.pid() + " " + p.name()));
        Set<String> shown = new HashSet<>();
        processes.viewer().expandAll();
        collect(processes.viewer().getTree().getItems(), shown);
        assertEquals(expected, shown);
        Set<Long> highlighted = new HashSet<>();
        for (org.vestige.core.result.Row r : processes.result().table().rows()) {
            if (processes.isScanOnly(r)) {
                highlighted.add((Long) r.cell(0));
            }
        }
        Set<Long> scanOnly = new HashSet<>();
        image.truth().terminated().forEach(p -> scanOnly.add(p.pid()));
        image.truth().hidden().forEach(p -> scanOnly.add(p.pid()));
        assertEquals(scanOnly, highlighted);

        // each listed process shows its command line as the truth has it
        for (org.vestige.core.result.Row r : processes.result().table().rows()) {
            checkCommandLines(processes, r);
        }

        // windows.dlllist for notepad from the Analyses view
        SynthTruth.Process notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe"))
                .findFirst().orElseThrow();
        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page.hideView(r); // results of tests run before in this workbench
            }
        }
        PluginDescriptor dlllist = VestigeUi.get().extensions().plugin("windows.dlllist").orElseThrow();
        AnalysisJob job = analyses.run(VestigeUi.get().cases().all().get(0), dlllist, Options.parse(dlllist.info(), Map
                .of("pid", List.of(Long.toString(notepad.pid())))));
        waitFor(() -> job.getResult() != null && results(page) != null, "dlllist and its results");
        ResultsView results = results(page);
        assertEquals(notepad.modules().size(), results.viewer().getTree().getItemCount());
        Set<String> names = new HashSet<>();
        for (TreeItem i : results.viewer().getTree().getItems()) {
            names.add(i.getText(4));
        }
        Set<String> expectedNames = new HashSet<>();
        notepad.modules().forEach(m -> expectedNames.add(m.name()));
        assertEquals(expectedNames, names);

        // the Memory view on a page that is in pagefile.sys, which this case does not have
        ImageSynthesizer.PteSample paged = image.pteSamples().stream().filter(s -> s.kind().equals("pagefile"))
                .findFirst().orElseThrow();
        SynthTruth.Process owner = image.truth().processes().stream().filter(p -> p.pid() == paged.pid()).findFirst()
                .orElseThrow();
        MemoryView memory = (MemoryView) page.showView(MemoryView.ID);
        Job read = memory.show(new ProcessesView.ProcessSelection(VestigeUi.get().cases().all().get(0), owner.pid(),
                owner.name(), owner.eprocess()), paged.va());
        waitFor(() -> read.getResult() != null && memory.snapshot() != null, "the memory view");
        assertEquals(read.getResult().toString(), IStatus.OK, read.getResult().getSeverity());
        drain();
        PageProvenance p = memory.provenanceOfRow(0);
        assertNotNull(p);
        assertTrue(p.toString(), p instanceof PageProvenance.Missing m && m.reason().contains(
                "pagefile.sys (slot 0) at offset 0x" + Long.toHexString(paged.fileOffset())));
        assertEquals(new MissingCause.PagedOut(0, paged.fileOffset() & ~0xfffL), ((PageProvenance.Missing) p).cause());
        assertEquals(ProvenanceColors.of("missing"), memory.colorOfRow(0));
        // the workbench's own hint, not the command line's
        assertEquals("missing: paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(paged.fileOffset()
                & ~0xfffL) + "; attach the paging file in File > Open Evidence", memory.textOfRow(0, 3));
    }

    @Test
    public void selectingAProcessShowsItsHandlesSidsAndPrivileges() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        ProcessesView processes = (ProcessesView) page.showView(ProcessesView.ID);
        org.vestige.core.result.AnalysisResult before = processes.result();
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder("out-details").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        waitFor(() -> processes.result() != null && processes.result() != before, "the process tree");

        // the process with the most handles whose table and token are resident (no paging file in this case)
        SynthTruth.Process chosen = image.truth().processes().stream().filter(p -> {
            HandleTruth.Table t = image.truth().handles().processes().get(p.pid());
            return t != null && t.pagedOut().isEmpty() && image.truth().tokens().of(p.eprocess()).map(
                    k -> k.pagefileOffset() < 0).orElse(false);
        }).max(java.util.Comparator.comparingInt(p -> image.truth().handles().processes().get(p.pid()).handles()
                .size())).orElseThrow();
        HandleTruth.Table table = image.truth().handles().processes().get(chosen.pid());
        TokenTruth.ProcessToken token = image.truth().tokens().of(chosen.eprocess()).orElseThrow();

        org.vestige.core.result.Row row = find(processes.result().table().rows(), chosen.pid());
        assertNotNull("pid " + chosen.pid() + " in the tree", row);
        processes.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(row), true);
        ProcessDetails details = processes.details();
        // the details of this process, not of one an earlier test selected
        waitFor(() -> details.result("Handles") != null && details.result("SIDs") != null && details.result(
                "Privileges") != null && details.header("Handles").contains("(pid " + chosen.pid() + ")") && !details.header(
                        "Handles").startsWith("running "),
                "the details of " + chosen.name());

        // handles: exactly the truth's, by value and type, as windows.handles --pid prints them
        Set<String> expected = new HashSet<>();
        table.handles().forEach(h -> expected.add(Long.toHexString(h.value()) + " " + h.type()));
        Set<String> shown = new HashSet<>();
        for (org.vestige.core.result.Row r : details.result("Handles").table().rows()) {
            assertEquals(chosen.pid(), r.cell(0));
            shown.add(Long.toHexString((Long) r.cell(2)) + " " + r.cell(4));
        }
        assertEquals(expected, shown);
        assertEquals(table.handles().size(), details.table("Handles").viewer().getTree().getItemCount());
        assertTrue(details.header("Handles"), details.header("Handles").startsWith(table.handles().size()
                + " handles of " + chosen.name() + " (pid " + chosen.pid() + ")"));

        // SIDs: the user, its groups and any restricting SIDs
        Set<String> sids = new HashSet<>();
        token.userAndGroups().forEach(g -> sids.add(g.sid()));
        token.restrictedSids().forEach(g -> sids.add(g.sid()));
        Set<String> shownSids = new HashSet<>();
        details.result("SIDs").table().rows().forEach(r -> shownSids.add((String) r.cell(3)));
        assertEquals(sids, shownSids);

        // privileges: the present ones are the truth's Present bits
        Set<Long> present = new HashSet<>();
        for (org.vestige.core.result.Row r : details.result("Privileges").table().rows()) {
            if (Boolean.TRUE.equals(r.cell(4))) {
                present.add((Long) r.cell(2));
            }
        }
        Set<Long> expectedPresent = new HashSet<>();
        for (long v = 0; v < 64; v++) {
            if ((token.present() >>> v & 1) != 0) {
                expectedPresent.add(v);
            }
        }
        assertEquals(expectedPresent, present);

        // the filter narrows the tabs to the rows holding its text: here, one object type's handles
        String type = table.handles().get(0).type();
        String needle = type.toLowerCase(java.util.Locale.ROOT);
        details.filter().setText(type);
        drain();
        long matching = table.handles().stream().filter(h -> (h.type() + "\t" + h.name() + "\t" + chosen.name())
                .toLowerCase(java.util.Locale.ROOT).contains(needle)).count();
        assertEquals(matching, details.table("Handles").viewer().getTree().getItemCount());
        details.filter().setText("");
        drain();
        assertEquals(table.handles().size(), details.table("Handles").viewer().getTree().getItemCount());
    }

    @Test
    public void aProcessRowOffersItsHandlesAndTheFollowUpRunsOnTheSameCase() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder("out-actions").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page.hideView(r);
            }
        }
        Cases.OpenCase c = VestigeUi.get().cases().all().get(0);
        PluginDescriptor pslist = VestigeUi.get().extensions().plugin("windows.pslist").orElseThrow();
        AnalysisJob job = ResultsView.runAndShow(page, c, pslist, Options.defaults(pslist.info()));
        waitFor(() -> job.getResult() != null && resultsOf(page, "windows.pslist") != null, "pslist's results");
        ResultsView list = resultsOf(page, "windows.pslist");
        assertTrue("nothing selected, nothing offered", list.rowActions().isEmpty());

        SynthTruth.Process chosen = image.truth().processes().stream().filter(p -> {
            HandleTruth.Table t = image.truth().handles().processes().get(p.pid());
            return t != null && t.pagedOut().isEmpty() && !t.handles().isEmpty();
        }).findFirst().orElseThrow();
        list.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(find(list.result().table()
                .rows(), chosen.pid())), true);
        List<String> labels = list.rowActions().stream().map(org.eclipse.jface.action.IAction::getText).toList();
        assertTrue(labels.toString(), labels.containsAll(List.of("Handles of this process", "Threads of this process",
                "DLLs of this process", "Memory map of this process", "Dump this process's image",
                "Dump this process's memory")));
        list.rowActions().stream().filter(a -> a.getText().equals("Handles of this process")).findFirst()
                .orElseThrow().run();
        waitFor(() -> resultsOf(page, "windows.handles") != null, "the handles of " + chosen.name());
        ResultsView handles = resultsOf(page, "windows.handles");
        Set<String> expected = new HashSet<>();
        image.truth().handles().processes().get(chosen.pid()).handles().forEach(h -> expected.add(Long.toHexString(h
                .value()) + " " + h.type()));
        Set<String> shown = new HashSet<>();
        for (org.vestige.core.result.Row r : handles.result().table().rows()) {
            assertEquals(chosen.pid(), r.cell(0));
            shown.add(Long.toHexString((Long) r.cell(2)) + " " + r.cell(4));
        }
        assertEquals(expected, shown);
    }

    @Test
    public void aFileFoundByTheScanIsDumpedFromItsRow() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder("out-dump").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page.hideView(r);
            }
        }
        PluginDescriptor filescan = VestigeUi.get().extensions().plugin("windows.filescan").orElseThrow();
        ResultsView.runAndShow(page, VestigeUi.get().cases().all().get(0), filescan, Options.defaults(filescan
                .info()));
        waitFor(() -> resultsOf(page, "windows.filescan") != null, "filescan's results");
        ResultsView scanned = resultsOf(page, "windows.filescan");
        // a file with a data section (its pages in RAM, transition, the paging files and the store)
        org.vestige.synth.FileTruth.Section section = image.truth().files().sections().stream().filter(x -> !x
                .image()).findFirst().orElseThrow();
        org.vestige.core.result.Row row = scanned.result().table().rows().stream().filter(r -> Long.valueOf(section
                .file()).equals(r.cell(scanned.result().table().columns().stream().filter(c -> c.name().equals(
                        "Offset(V)")).findFirst().orElseThrow()))).findFirst().orElseThrow();
        scanned.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(row), true);
        scanned.rowActions().stream().filter(a -> a.getText().equals("Dump this file")).findFirst().orElseThrow()
                .run();
        waitFor(() -> resultsOf(page, "windows.dumpfiles") != null, "the dump of " + section.name());
        org.vestige.core.result.AnalysisResult dumped = resultsOf(page, "windows.dumpfiles").result();
        assertTrue(dumped.files().toString(), dumped.files().stream().anyMatch(f -> f.path().getFileName()
                .toString().contains("DataSection")));
        for (org.vestige.core.result.Row r : dumped.table().rows()) {
            assertEquals(section.file(), r.cell(0));
        }
    }

    @Test
    public void aModuleRowIsDumpedWithItsProcessAndBase() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder("out-module").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID)) {
                page.hideView(r);
            }
        }
        SynthTruth.Process explorer = image.truth().processes().stream().filter(p -> p.name().equals("explorer.exe"))
                .findFirst().orElseThrow();
        PluginDescriptor dlllist = VestigeUi.get().extensions().plugin("windows.dlllist").orElseThrow();
        ResultsView.runAndShow(page, VestigeUi.get().cases().all().get(0), dlllist, Options.parse(dlllist.info(),
                java.util.Map.of("pid", List.of(Long.toString(explorer.pid())))));
        waitFor(() -> resultsOf(page, "windows.dlllist") != null, "explorer.exe's DLLs");
        ResultsView dlls = resultsOf(page, "windows.dlllist");
        // the second module (a DLL, not the executable): the dump must be of it, in that process
        org.vestige.core.result.Row row = dlls.result().table().rows().get(1);
        long base = (Long) row.cell(2);
        dlls.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(row), true);
        dlls.rowActions().stream().filter(a -> a.getText().equals("Dump this module")).findFirst().orElseThrow()
                .run();
        waitFor(() -> resultsOf(page, "windows.procdump") != null, "the dump of the module at 0x" + Long.toHexString(
                base));
        org.vestige.core.result.AnalysisResult dumped = resultsOf(page, "windows.procdump").result();
        String expected = explorer.pid() + "." + explorer.name() + ".0x" + Long.toHexString(base) + ".img";
        assertTrue(dumped.files().toString(), dumped.files().stream().anyMatch(f -> f.path().getFileName().toString()
                .equals(expected)));
        assertTrue(dumped.files().toString(), dumped.files().stream().noneMatch(f -> f.path().getFileName().toString()
                .endsWith(".img") && !f.path().getFileName().toString().equals(expected)));
    }

    private static ResultsView resultsOf(IWorkbenchPage page, String plugin) {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) && r.getView(false) instanceof ResultsView v && v.result() != null
                    && v.result().pluginId().equals(plugin)) {
                return v;
            }
        }
        return null;
    }

    private static org.vestige.core.result.Row find(List<org.vestige.core.result.Row> rows, long pid) {
        for (org.vestige.core.result.Row r : rows) {
            if (Long.valueOf(pid).equals(r.cell(0))) {
                return r;
            }
            org.vestige.core.result.Row below = find(r.children(), pid);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    @Test
    public void theEvidenceViewShowsWhatKernelDiscoveryFound() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        EvidenceView evidence = (EvidenceView) page.showView(EvidenceView.ID);
        Job open = VestigeUi.get().cases().open(image.image(), List.of(new org.vestige.core.evidence.PagefileSpec(-1,
                image.pagefile())), false, tmp.newFolder("out-ev").toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        waitFor(() -> kernelNode(evidence) != null && !kernelNode(evidence).getText(1).startsWith("running "),
                "windows.info to describe the case");
        evidence.viewer().expandAll();
        TreeItem kernel = kernelNode(evidence);
        assertEquals("from windows.info", kernel.getText(1));
        Map<String, String> found = new java.util.HashMap<>();
        for (TreeItem i : kernel.getItems()) {
            found.put(i.getText(0), i.getText(1));
        }
        assertEquals("0x" + Long.toHexString(image.truth().dtb()), found.get("DTB"));
        assertEquals("19041", found.get("NtBuildNumber"));
        assertEquals("complete", found.get("Discovery"));
        assertTrue(found.toString(), found.get("Profile").contains("19041"));
        // the paging file supplied is a backing store, under the page-file number the kernel gives it
        TreeItem stores = java.util.Arrays.stream(kernel.getItems()).filter(i -> i.getText(0).equals(
                "Backing stores")).findFirst().orElseThrow();
        assertTrue(java.util.Arrays.stream(stores.getItems()).anyMatch(i -> i.getText(0).equals("page-file number 0")
                && i.getText(1).contains("pagefile.sys")));
        // the tree of what each step tried is there, under Discovery
        TreeItem discovery = java.util.Arrays.stream(kernel.getItems()).filter(i -> i.getText(0).equals("Discovery"))
                .findFirst().orElseThrow();
        assertTrue(discovery.getItemCount() > 0);
    }

    /** The case's "Windows kernel" node; the view shows each case's children without expanding. */
    private static TreeItem kernelNode(EvidenceView view) {
        for (TreeItem c : view.viewer().getTree().getItems()) {
            for (TreeItem i : c.getItems()) {
                if (i.getText(0).equals("Windows kernel")) {
                    return i;
                }
            }
        }
        return null;
    }

    private static void checkCommandLines(ProcessesView view, org.vestige.core.result.Row row) {
        if (!view.isScanOnly(row)) {
            long pid = (Long) row.cell(0);
            SynthTruth.Process p = image.truth().processes().stream().filter(x -> x.pid() == pid).findFirst()
                    .orElseThrow();
            if (p.commandLine() != null && !p.commandLine().isEmpty()) {
                assertEquals(p.name(), p.commandLine(), view.commandLine(row));
            }
        }
        row.children().forEach(c -> checkCommandLines(view, c));
    }

    private static void collect(TreeItem[] items, Set<String> into) {
        for (TreeItem i : items) {
            into.add(i.getText(0) + " " + i.getText(2));
            collect(i.getItems(), into);
        }
    }

    private static ResultsView results(IWorkbenchPage page) {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) && r.getView(false) instanceof ResultsView v && v.result() != null) {
                return v;
            }
        }
        return null;
    }
}
