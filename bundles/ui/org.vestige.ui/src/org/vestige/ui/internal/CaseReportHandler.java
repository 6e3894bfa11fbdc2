package org.vestige.ui.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.ui.CaseReport;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;

/**
 * File &gt; Case Report...: writes the report of the current case ({@link CaseReport}) as an HTML file the
 * analyst picks.
 */
public final class CaseReportHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        Cases.OpenCase c = EvidenceView.currentCase(HandlerUtil.getActiveWorkbenchWindow(event).getActivePage());
        if (c == null || c.kept() == null) {
            MessageDialog.openInformation(shell, "Case Report", "Open a case first (File > Open Evidence...).");
            return null;
        }
        FileDialog dialog = new FileDialog(shell, SWT.SAVE);
        dialog.setFileName(c.label() + "-report.html");
        dialog.setFilterExtensions(new String[] {"*.html"});
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            try {
                CaseReport.write(c, VestigeUi.get().cases().store(), Path.of(chosen));
            } catch (IOException e) {
                MessageDialog.openError(shell, "Case Report", "Cannot write " + chosen + ": " + e.getMessage());
            }
        }
        return null;
    }
}
