package org.vestige.ui;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.jface.preference.IPreferenceStore;
import org.vestige.core.store.PageStates;

/**
 * The workbench's preferences (Window &gt; Preferences &gt; Vestige), kept in the instance scope of
 * {@code org.vestige.ui}: symbol folders and the defaults new cases open with.
 *
 * @since 0.1
 */
public final class WorkbenchPreferences {

    /** Symbol folders or ISF files, joined with {@link File#pathSeparator}. */
    public static final String SYMBOL_PATHS = "symbolPaths";
    /** Where analyses write their files; blank for a folder of each case's own, in the workspace. */
    public static final String OUTPUT_DIRECTORY = "outputDirectory";
    /** Whether evidence is hashed when a case opens. */
    public static final String HASH_EVIDENCE = "hashEvidence";
    /** Whether the memory-compression store is read. */
    public static final String READ_COMPRESSED_STORE = "readCompressedStore";
    /** Whether the Open Evidence wizard attaches the paging files it finds beside an image. */
    public static final String ATTACH_PAGING_FILES = "attachPagingFiles";

    private final IPreferenceStore store;

    public WorkbenchPreferences(IPreferenceStore store) {
        this.store = store;
    }

    /**
     * Sets the defaults: hash, read every store, attach paging files, write each case's files in its own
     * folder in the workspace (nothing is written elsewhere unless the analyst names a folder).
     */
    public static void initializeDefaults(IPreferenceStore store) {
        store.setDefault(SYMBOL_PATHS, "");
        store.setDefault(OUTPUT_DIRECTORY, "");
        store.setDefault(HASH_EVIDENCE, true);
        store.setDefault(READ_COMPRESSED_STORE, true);
        store.setDefault(ATTACH_PAGING_FILES, true);
    }

    public List<Path> symbolPaths() {
        List<Path> out = new ArrayList<>();
        for (String s : store.getString(SYMBOL_PATHS).split(File.pathSeparator)) {
            if (!s.isBlank()) {
                out.add(Paths.get(s.strip()));
            }
        }
        return out;
    }

    /** @return where analyses write their files: the empty path for each case's own folder */
    public Path outputDirectory() {
        return Paths.get(store.getString(OUTPUT_DIRECTORY).strip());
    }

    public boolean hashEvidence() {
        return store.getBoolean(HASH_EVIDENCE);
    }

    public boolean readCompressedStore() {
        return store.getBoolean(READ_COMPRESSED_STORE);
    }

    public boolean attachPagingFiles() {
        return store.getBoolean(ATTACH_PAGING_FILES);
    }

    /** @return the settings a new case opens with */
    public CaseSettings caseSettings() {
        return new CaseSettings(hashEvidence(), outputDirectory(), symbolPaths(), readCompressedStore() ? Set.of()
                : Set.of(PageStates.COMPRESSED));
    }
}
