package org.vestige.ui.internal;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.PathEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.WorkbenchPreferences;

/**
 * Window &gt; Preferences &gt; Vestige: the symbol folders every case searches before the installed
 * profiles, and what new cases do by default. Cases already open keep the settings they opened with.
 */
public final class VestigePreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    public static final String ID = "org.vestige.ui.preferences";

    public VestigePreferencePage() {
        super(GRID);
        setDescription("Settings for cases opened from now on. Cases already open keep theirs.");
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(VestigeUi.get().getPreferenceStore());
    }

    @Override
    protected void createFieldEditors() {
        addField(new PathEditor(WorkbenchPreferences.SYMBOL_PATHS,
                "Symbol folders (Volatility 3 ISF files and symbol packs), tried before the installed profiles:",
                "Add a folder of ISF files", getFieldEditorParent()));
        DirectoryFieldEditor output = new DirectoryFieldEditor(WorkbenchPreferences.OUTPUT_DIRECTORY,
                "Output folder for dumps and files (blank: each case's own folder in the workspace):",
                getFieldEditorParent()) {
            @Override
            protected boolean doCheckState() {
                // blank is each case's own folder; a folder that does not exist yet is made when first written
                String text = getStringValue().strip();
                return text.isEmpty() || java.nio.file.Path.of(text).isAbsolute();
            }
        };
        output.setEmptyStringAllowed(true);
        output.setErrorMessage("The output folder must be an absolute path (or blank for each case's own folder)");
        addField(output);
        addField(new BooleanFieldEditor(WorkbenchPreferences.HASH_EVIDENCE,
                "Hash evidence when a case opens (MD5, SHA-1, SHA-256)", getFieldEditorParent()));
        addField(new BooleanFieldEditor(WorkbenchPreferences.READ_COMPRESSED_STORE,
                "Read the memory-compression store", getFieldEditorParent()));
        addField(new BooleanFieldEditor(WorkbenchPreferences.ATTACH_PAGING_FILES,
                "Attach pagefile.sys and swapfile.sys found beside an image", getFieldEditorParent()));
    }
}
