package org.vestige.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.ui.VestigeUi;

/**
 * File &gt; Open Evidence...: the wizard that picks a memory image (showing what every format's probe
 * says about it) and the paging files taken with it; the case opens in the background (checked,
 * hashed, probed) and appears in the Evidence view.
 */
public final class OpenEvidenceHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        VestigeUi ui = VestigeUi.get();
        OpenEvidenceWizard wizard = new OpenEvidenceWizard(ui.cases(), ui.extensions().formats(), ui.preferences(),
                null);
        new WizardDialog(HandlerUtil.getActiveShell(event), wizard).open();
        return null;
    }
}
