package org.vestige.ui;

import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;
import org.vestige.core.registry.Extensions;

/**
 * The workbench bundle: the contributions Vestige's extension points hold, and the cases the
 * analyst has open.
 *
 * @since 0.1
 */
public final class VestigeUi extends AbstractUIPlugin {

    public static final String ID = "org.vestige.ui";

    private static VestigeUi instance;
    private Extensions extensions;
    private final Cases cases = new Cases();

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        instance = this;
        cases.keepIn(new CaseStore(getStateLocation().toFile().toPath().resolve("cases")));
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        cases.releaseAll();
        instance = null;
        super.stop(context);
    }

    public static VestigeUi get() {
        return instance;
    }

    /** @return the contributions to Vestige's extension points, read once */
    public synchronized Extensions extensions() {
        if (extensions == null) {
            extensions = Extensions.fromPlatform();
            extensions.problems().forEach(p -> getLog().warn(p));
        }
        return extensions;
    }

    /** @return the workbench's preferences: symbol folders and the defaults cases open with */
    public WorkbenchPreferences preferences() {
        return new WorkbenchPreferences(getPreferenceStore());
    }

    /** @return the open cases */
    public Cases cases() {
        return cases;
    }
}
