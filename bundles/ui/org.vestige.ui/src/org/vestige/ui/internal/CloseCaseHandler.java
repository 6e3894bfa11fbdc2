package org.vestige.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;

/**
 * File &gt; Close Case: closes the case selected in the Evidence view (else the last opened); it is not
 * reopened when the workbench starts again, and what it keeps in the workspace (results, bookmarks, its
 * audit log) stays for its report.
 */
public final class CloseCaseHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Cases.OpenCase c = EvidenceView.currentCase(HandlerUtil.getActiveWorkbenchWindow(event).getActivePage());
        if (c == null) {
            MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "Close Case", "No case is open.");
        } else {
            VestigeUi.get().cases().close(c);
        }
        return null;
    }
}
