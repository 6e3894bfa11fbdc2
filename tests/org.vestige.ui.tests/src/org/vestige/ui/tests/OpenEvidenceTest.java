package org.vestige.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.vestige.testing.ui.UiLoop.drain;
import static org.vestige.testing.ui.UiLoop.waitFor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.FormatProbe;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.ui.CaseSettings;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.WorkbenchPreferences;
import org.vestige.ui.internal.EvidencePage;
import org.vestige.ui.internal.OpenEvidenceWizard;
import org.vestige.ui.internal.VestigePreferencePage;

/** The Open Evidence wizard and the preferences behind it, in the running workbench. */
public class OpenEvidenceTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private IPreferenceStore store;
    private WizardDialog dialog;

    @Before
    public void defaults() {
        store = VestigeUi.get().getPreferenceStore();
        for (String key : List.of(WorkbenchPreferences.SYMBOL_PATHS, WorkbenchPreferences.OUTPUT_DIRECTORY,
                WorkbenchPreferences.HASH_EVIDENCE, WorkbenchPreferences.READ_COMPRESSED_STORE,
                WorkbenchPreferences.ATTACH_PAGING_FILES)) {
            store.setToDefault(key);
        }
    }

    @After
    public void close() {
        if (dialog != null) {
            dialog.close();
        }
        defaults();
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            VestigeUi.get().cases().close(c);
        }
    }

    @Test
    public void theWizardShowsTheProbesAttachesPagingFilesAndOpensTheCase() throws Exception {
        Path dir = tmp.newFolder("case").toPath();
        Path image = dir.resolve("memory.raw");
        byte[] data = new byte[16 * 4096];
        new Random(3).nextBytes(data);
        Files.write(image, data);
        Path pagefile = Files.write(dir.resolve("pagefile.sys"), new byte[8 * 4096]);
        Files.write(dir.resolve("notes.txt"), new byte[] {1});

        OpenEvidenceWizard wizard = openWizard();
        EvidencePage page = wizard.page();
        assertFalse("no image yet", page.isPageComplete());
        page.setImage(image);
        drain();

        // every installed format answered, and the raw format is the one that opens it
        assertEquals(VestigeUi.get().extensions().formats().size(), page.probes().size());
        FormatProbe raw = page.probes().stream().filter(p -> p.formatId().equals("raw")).findFirst().orElseThrow();
        assertTrue(raw.result().accepts());
        assertTrue(page.verdict(), page.verdict().startsWith("Opens as " + raw.formatName()));
        assertTrue(page.isPageComplete());

        // pagefile.sys beside the image is attached, its number left to the kernel; the analyst can set one
        assertEquals(List.of(new PagefileSpec(-1, pagefile)), page.pagefiles());
        page.setSlot(page.pagefiles().get(0), "16");
        assertNotNull("16 is not a page-file number", page.getErrorMessage());
        assertEquals(-1, page.pagefiles().get(0).slot());
        page.setSlot(page.pagefiles().get(0), "2");
        assertNull(page.getErrorMessage());
        assertEquals(2, page.pagefiles().get(0).slot());

        assertTrue(wizard.performFinish());
        waitFor(() -> wizard.job().getResult() != null, "the case to open");
        assertEquals(wizard.job().getResult().toString(), IStatus.OK, wizard.job().getResult().getSeverity());
        Cases.OpenCase opened = VestigeUi.get().cases().all().get(0);
        assertEquals("memory.raw", opened.label());
        assertEquals(1, opened.evidence().pagefiles().size());
        assertEquals(2, opened.evidence().pagefiles().get(0).slot());
        // hashed, as the preference says by default: in the background, the case usable meanwhile
        waitFor(() -> opened.evidence().image().digests() != null, "the evidence hashed");
        assertNotNull(opened.evidence().image().digests());
    }

    @Test
    public void aFileNoFormatRecognisesCannotBeOpened() throws Exception {
        Path empty = tmp.newFile("empty.raw").toPath();
        EvidencePage page = openWizard().page();
        page.setImage(empty);
        drain();
        assertFalse(page.probes().isEmpty());
        assertTrue(page.probes().stream().noneMatch(p -> p.result().accepts()));
        assertFalse(page.isPageComplete());
        assertTrue(page.getErrorMessage(), page.getErrorMessage().contains("empty.raw"));
        page.setImage(tmp.getRoot().toPath().resolve("absent.raw"));
        drain();
        assertTrue(page.verdict(), page.verdict().startsWith("No such file"));
        assertFalse(page.isPageComplete());
    }

    @Test
    public void preferencesGiveTheSettingsNewCasesOpenWith() throws Exception {
        Path symbols = tmp.newFolder("symbols").toPath();
        Path out = tmp.newFolder("out").toPath();
        store.setValue(WorkbenchPreferences.SYMBOL_PATHS, symbols + File.pathSeparator + "/srv/isf");
        store.setValue(WorkbenchPreferences.OUTPUT_DIRECTORY, out.toString());
        store.setValue(WorkbenchPreferences.HASH_EVIDENCE, false);
        store.setValue(WorkbenchPreferences.READ_COMPRESSED_STORE, false);
        store.setValue(WorkbenchPreferences.ATTACH_PAGING_FILES, false);
        assertEquals(new CaseSettings(false, out, List.of(symbols, Path.of("/srv/isf")), Set.of("compressed")),
                VestigeUi.get().preferences().caseSettings());

        Path dir = tmp.newFolder("case").toPath();
        Path image = Files.write(dir.resolve("memory.raw"), new byte[4 * 4096]);
        Files.write(dir.resolve("pagefile.sys"), new byte[4096]);
        OpenEvidenceWizard wizard = openWizard();
        wizard.page().setImage(image);
        drain();
        assertEquals("paging files are not attached when the preference is off", List.of(), wizard.page()
                .pagefiles());
        assertEquals(VestigeUi.get().preferences().caseSettings(), wizard.page().settings());
        assertTrue(wizard.performFinish());
        waitFor(() -> wizard.job().getResult() != null, "the case to open");
        Cases.OpenCase opened = VestigeUi.get().cases().all().get(0);
        assertNull("not hashed", opened.evidence().image().digests());
        assertEquals(Set.of("compressed"), opened.settings().disabledStores());

        // the preference page itself
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        PreferenceDialog prefs = PreferencesUtil.createPreferenceDialogOn(shell, VestigePreferencePage.ID, null, null);
        prefs.setBlockOnOpen(false);
        prefs.open();
        try {
            drain();
            assertTrue(prefs.getSelectedPage() instanceof VestigePreferencePage);
        } finally {
            prefs.close();
        }
    }

    private OpenEvidenceWizard openWizard() {
        VestigeUi ui = VestigeUi.get();
        OpenEvidenceWizard wizard = new OpenEvidenceWizard(ui.cases(), ui.extensions().formats(), ui.preferences(),
                null);
        dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        drain();
        return wizard;
    }
}
