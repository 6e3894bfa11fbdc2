package org.vestige.windows.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.Row;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.internal.AnalysesView;
import org.vestige.ui.internal.ForensicsPerspective;
import org.vestige.ui.internal.ResultsView;
import org.vestige.ui.internal.RunAnalysisDialog;
import org.vestige.windows.ui.MemoryView;
import org.vestige.windows.ui.ProcessesView;
import org.vestige.windows.ui.ProvenanceColors;

/**
 * Views that follow each other, on an image synthesized from the installed Windows 10 19041 profile: a
 * process selected in the Processes view fills the pid of an analysis form and is what the Memory view
 * shows when it opens; a memory-map row is shown in the Memory view at its address; Go scrolls there.
 */
public class LinkedViewsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static ImageSynthesizer.Output image;
    private IWorkbenchPage page;
    private ProcessesView processes;
    private SynthTruth.Process notepad;

    @BeforeClass
    public static void synthesize() throws Exception {
        ProfileDescriptor d = VestigeUi.get().extensions().profiles().stream().filter(p -> p.id().equals(
                "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1")).findFirst().orElseThrow();
        image = SynthesizedImages.get(d.load(), SynthOptions.builder().seed(3).windowsBuild(19041).build());
    }

    @Before
    public void openCaseAndSelectNotepad() throws Exception {
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(
                ForensicsPerspective.ID));
        IViewPart memory = page.findView(MemoryView.ID);
        if (memory != null) {
            page.hideView(memory); // opened by a test before: this one opens it after the selection
        }
        processes = (ProcessesView) page.showView(ProcessesView.ID);
        org.vestige.core.result.AnalysisResult before = processes.result();
        Job open = VestigeUi.get().cases().open(image.image(), List.of(), false, tmp.newFolder().toPath());
        waitFor(() -> open.getResult() != null, "the case to open");
        assertEquals(IStatus.OK, open.getResult().getSeverity());
        waitFor(() -> processes.result() != null && processes.result() != before, "the process tree");
        notepad = image.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
        page.activate(processes);
        Row row = processes.result().table().rows().stream().filter(r -> Long.valueOf(notepad.pid()).equals(r.cell(
                0))).findFirst().orElse(null);
        processes.viewer().expandAll();
        if (row == null) {
            row = find(processes.result().table().rows(), notepad.pid());
        }
        assertNotNull(row);
        processes.viewer().setSelection(new StructuredSelection(row), true);
        drain();
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
    public void theSelectedProcessFillsTheDlllistForm() throws Exception {
        AnalysesView analyses = (AnalysesView) page.showView(AnalysesView.ID);
        PluginDescriptor dlllist = VestigeUi.get().extensions().plugin("windows.dlllist").orElseThrow();
        RunAnalysisDialog form = analyses.form(dlllist);
        form.setBlockOnOpen(false);
        form.open();
        try {
            assertEquals(Long.toString(notepad.pid()), form.valueOf("pid"));
        } finally {
            form.close();
        }
    }

    @Test
    public void theMemoryViewOpensOnTheSelectedProcessAndGoScrollsToTheAddress() throws Exception {
        MemoryView memory = (MemoryView) page.showView(MemoryView.ID);
        waitFor(() -> memory.snapshot() != null, "the memory of " + notepad.name());
        assertEquals(notepad.pid(), memory.process().pid());
        assertNotNull(memory.rowDescription(0));

        long address = memory.snapshot().address() + 0xf00;
        Job go = memory.goTo(Long.toHexString(address));
        assertNotNull(go);
        waitFor(() -> go.getResult() != null && memory.snapshot().address() == (address & ~0xfffL), "the address");
        drain();
        assertEquals(0xf0, memory.selectedRow());
        // scrolled there: the address's row is among the first shown
        assertTrue("top row " + memory.topRow(), memory.topRow() > 0xf0 - 20 && memory.topRow() <= 0xf0);
        assertEquals(CellFormat.address(address), memory.textOfRow(memory.selectedRow(), 0));
        // the row's whole provenance, as its tool tip shows it
        assertTrue(memory.rowDescription(0xf0), memory.rowDescription(0xf0).startsWith(CellFormat.address(address)
                + ": "));
    }

    @Test
    public void theRegionListGoesToASectionAndAPointerIsFollowed() throws Exception {
        MemoryView memory = (MemoryView) page.showView(MemoryView.ID);
        waitFor(() -> memory.snapshot() != null && !memory.regions().isEmpty(), "the regions of " + notepad.name());
        List<MemoryView.Region> regions = memory.regions();
        int image = -1;
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).address() == notepad.imageBase()) {
                image = i;
            }
        }
        assertTrue("the image's VAD: " + regions, image >= 0 && regions.get(image).label().contains("image")
                && regions.get(image).label().toLowerCase(java.util.Locale.ROOT).contains("notepad.exe"));
        // the view opens on the image's first page: its sections follow the image's VAD in the list
        assertEquals(notepad.imageBase(), memory.snapshot().address());
        assertTrue(memory.textOfRow(0, 0), regions.get(image).label().startsWith(CellFormat.address(notepad
                .imageBase())));
        // the minimap: an address no VAD holds is unmapped, not a page the evidence lacks
        MemoryView.Snapshot shown = memory.snapshot();
        int unmapped = 0;
        for (int i = 0; i < shown.mapKinds().length; i++) {
            long at = shown.mapStart() + 4096L * i;
            boolean inVad = notepad.vads().stream().anyMatch(v -> Long.compareUnsigned(at, v.start()) >= 0 && Long
                    .compareUnsigned(at, v.end()) <= 0);
            if (!inVad) {
                assertEquals("0x" + Long.toHexString(at), ProvenanceColors.UNMAPPED, shown.mapKinds()[i]);
                unmapped++;
            }
        }
        assertTrue("the megabyte around the image holds unmapped pages", unmapped > 0);
        List<org.vestige.windows.PeHeaders.Section> sections = org.vestige.windows.PeHeaders.parse(java.util.Arrays
                .copyOf(memory.snapshot().bytes(), 4096)).sections();
        assertTrue(sections.size() >= 2);
        for (int i = 0; i < sections.size(); i++) {
            MemoryView.Region r = regions.get(image + 1 + i);
            assertEquals(notepad.imageBase() + sections.get(i).virtualAddress(), r.address());
            assertTrue(r.label(), r.label().contains(sections.get(i).name()));
        }
        MemoryView.Region second = regions.get(image + 2);
        Job toSection = memory.goToRegion(image + 2);
        waitFor(() -> toSection.getResult() != null && memory.snapshot().address() == (second.address() & ~0xfffL),
                "the section " + second.label());
        drain();
        assertEquals(second.label(), memory.shownRegion());

        // PEB + 0x10 is ImageBaseAddress on x64: following it goes to the image
        Job toPeb = memory.goTo(Long.toHexString(notepad.peb()));
        waitFor(() -> toPeb.getResult() != null && memory.snapshot().address() == (notepad.peb() & ~0xfffL), "the PEB");
        drain();
        int row = (int) ((notepad.peb() & 0xfff) + 0x10) / 16;
        int offset = (int) ((notepad.peb() + 0x10) & 0xf);
        String hex = memory.hexOf(row);
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            base.append(String.format("%02x ", (notepad.imageBase() >>> (8 * i)) & 0xff));
        }
        assertTrue(hex, hex.startsWith(CellFormat.address((notepad.peb() + 0x10) & ~0xfL) + "  ") && hex.contains(
                base.toString().strip()) && hex.endsWith("\n"));
        Job follow = memory.followPointer(row, offset);
        assertNotNull(follow);
        waitFor(() -> follow.getResult() != null && memory.snapshot().address() == notepad.imageBase(),
                "the image ImageBaseAddress points at");
    }

    @Test
    public void aMemoryMapRowIsShownInTheMemoryViewAtItsAddress() throws Exception {
        PluginDescriptor memmap = VestigeUi.get().extensions().plugin("windows.memmap").orElseThrow();
        AnalysisJob job = ResultsView.runAndShow(page, VestigeUi.get().cases().all().get(0), memmap, Options.parse(
                memmap.info(), Map.of("pid", List.of(Long.toString(notepad.pid())))));
        waitFor(() -> job.getResult() != null && results() != null, "memmap's results");
        ResultsView results = results();
        List<Row> rows = results.result().table().rows();
        Row row = rows.get(rows.size() / 2);
        long virtual = (Long) row.cell(results.result().table().columns().stream().filter(c -> c.name().equals(
                "Virtual")).findFirst().orElseThrow());
        results.viewer().setSelection(new StructuredSelection(row), true);
        assertEquals("0x" + Long.toHexString(virtual), results.selectedRow().optionValues().get("address"));
        assertEquals(Long.toString(notepad.pid()), results.selectedRow().optionValues().get("pid"));

        assertTrue(results.showIn(MemoryView.ID));
        MemoryView memory = (MemoryView) page.findView(MemoryView.ID);
        waitFor(() -> memory.snapshot() != null && memory.snapshot().address() == (virtual & ~0xfffL),
                "the Memory view at " + Long.toHexString(virtual));
        drain();
        assertEquals(memory.rowOf(virtual), memory.selectedRow());
        assertEquals(CellFormat.address(virtual & ~0xfL), memory.textOfRow(memory.selectedRow(), 0));
    }

    @Test
    public void bytesOfTheProcessAreFoundByTheirHex() throws Exception {
        MemoryView memory = (MemoryView) page.showView(MemoryView.ID);
        waitFor(() -> memory.snapshot() != null && memory.process().pid() == notepad.pid(), "the memory of "
                + notepad.name());
        MemoryView.Snapshot first = memory.snapshot();
        // eight bytes of the window, not all alike, found again from the window's start
        int at = -1;
        for (int i = 0x40; i + 8 <= first.bytes().length && at < 0; i++) {
            if (java.util.stream.IntStream.range(i, i + 8).map(k -> first.bytes()[k]).distinct().count() >= 4
                    && first.pages()[i / 4096].isAvailable()) {
                at = i;
            }
        }
        assertTrue("no distinctive bytes in the window", at >= 0);
        byte[] pattern = java.util.Arrays.copyOfRange(first.bytes(), at, at + 8);
        long expected = first.address() + at;
        memory.goTo(Long.toHexString(first.address()));
        waitFor(() -> memory.job().getResult() != null, "the window");
        Job find = memory.find(java.util.HexFormat.ofDelimiter(" ").formatHex(pattern), org.vestige.windows.ui
                .MemorySearch.Encoding.HEX);
        assertNotNull(find);
        waitFor(() -> find.getResult() != null, "the search");
        assertEquals(find.getResult().toString(), IStatus.OK, find.getResult().getSeverity());
        waitFor(() -> memory.job() != find && memory.job().getResult() != null, "the match shown");
        drain();
        MemoryView.Snapshot s = memory.snapshot();
        long hit = s.address() + memory.selectedRow() * 16L;
        assertTrue(Long.toHexString(hit) + " after " + Long.toHexString(expected), Long.compareUnsigned(hit,
                expected) <= 0);
        String description = memory.getContentDescription();
        assertTrue(description, description.contains(" found at "));
        long found = Long.parseUnsignedLong(description.substring(description.lastIndexOf("0x") + 2), 16);
        assertEquals(java.util.HexFormat.of().formatHex(pattern), java.util.HexFormat.of().formatHex(s.bytes(),
                (int) (found - s.address()), (int) (found - s.address()) + 8));
    }

    private ResultsView results() {
        for (IViewReference r : page.getViewReferences()) {
            if (r.getId().equals(ResultsView.ID) && r.getView(false) instanceof ResultsView v && v.result() != null) {
                return v;
            }
        }
        return null;
    }

    private static Row find(List<Row> rows, long pid) {
        for (Row r : rows) {
            if (Long.valueOf(pid).equals(r.cell(0))) {
                return r;
            }
            Row below = find(r.children(), pid);
            if (below != null) {
                return below;
            }
        }
        return null;
    }
}
