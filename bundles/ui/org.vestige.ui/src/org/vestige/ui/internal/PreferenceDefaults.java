package org.vestige.ui.internal;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.vestige.ui.VestigeUi;
import org.vestige.ui.WorkbenchPreferences;

/** Gives the workbench's preferences their defaults when the store is first read. */
public final class PreferenceDefaults extends AbstractPreferenceInitializer {

    @Override
    public void initializeDefaultPreferences() {
        WorkbenchPreferences.initializeDefaults(VestigeUi.get().getPreferenceStore());
    }
}
