package org.vestige.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.osgi.framework.FrameworkUtil;
import org.vestige.core.registry.Extensions;
import org.vestige.ui.VestigeUi;

/** Help &gt; About Vestige: the version, the Java it runs on, and what is installed. */
public final class AboutHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "About Vestige", text(VestigeUi.get()
                .extensions()));
        return null;
    }

    /** @return what the dialog says about an installation */
    public static String text(Extensions installed) {
        return "Vestige " + FrameworkUtil.getBundle(AboutHandler.class).getVersion() + "\nWindows memory forensics\n\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")\n"
                + installed.plugins().size() + " analyses, " + installed.formats().size() + " evidence formats, "
                + installed.backingStores().size() + " backing stores, " + installed.profiles().size() + " profiles, "
                + installed.renderers().size() + " renderers installed"
                + (installed.problems().isEmpty() ? "" : "\n" + installed.problems().size()
                        + " contributions refused (see the error log)");
    }
}
