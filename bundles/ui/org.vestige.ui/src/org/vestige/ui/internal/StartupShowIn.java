package org.vestige.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.IShowInTarget;
import org.eclipse.ui.part.ShowInContext;
import org.vestige.ui.Cases;
import org.vestige.ui.Subject;

/**
 * The workbench's {@code --show PID[@ADDRESS]} argument: once the case given with {@code --evidence} is
 * open, the process (at the address, else at the start of its image) is shown in the Show In targets the
 * Memory Forensics perspective declares (the Memory view), as Show In from a result row would.
 */
final class StartupShowIn {

    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param typed {@code PID} or {@code PID@ADDRESS} (decimal, or hexadecimal after 0x)
     * @throws IllegalArgumentException when it is neither
     */
    StartupShowIn(String typed) {
        String[] parts = typed.split("@", 2);
        if (!parts[0].matches("\\d+") || (parts.length == 2 && !parts[1].matches("\\d+|0x[0-9a-fA-F]+"))) {
            throw new IllegalArgumentException("--show " + typed + ": expected PID or PID@ADDRESS");
        }
        values.put(Subject.PID, parts[0]);
        if (parts.length == 2) {
            values.put(Subject.ADDRESS, parts[1]);
        }
    }

    /** Shows the subject in every Show In target of the perspective that takes it. */
    void show(IWorkbenchPage page, Cases.OpenCase openCase) {
        Subject subject = new Subject() {
            @Override
            public String label() {
                return "pid " + values.get(PID);
            }

            @Override
            public Cases.OpenCase openCase() {
                return openCase;
            }

            @Override
            public Map<String, String> optionValues() {
                return values;
            }
        };
        ShowInContext context = new ShowInContext(null, new StructuredSelection(subject));
        for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(
                "org.eclipse.ui.perspectiveExtensions")) {
            if (!ForensicsPerspective.ID.equals(e.getAttribute("targetID"))) {
                continue;
            }
            for (IConfigurationElement part : e.getChildren("showInPart")) {
                try {
                    IViewPart view = page.showView(part.getAttribute("id"));
                    IShowInTarget target = view.getAdapter(IShowInTarget.class);
                    if (target != null) {
                        target.show(context);
                    }
                } catch (PartInitException ex) {
                    Platform.getLog(StartupShowIn.class).error("cannot open " + part.getAttribute("id") + " for --show",
                            ex);
                }
            }
        }
    }
}
