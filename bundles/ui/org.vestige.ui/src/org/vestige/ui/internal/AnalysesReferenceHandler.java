package org.vestige.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.ui.VestigeUi;

/** Help &gt; Analyses Reference: opens {@link AnalysesReferenceDialog} on the installed analyses. */
public final class AnalysesReferenceHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        new AnalysesReferenceDialog(HandlerUtil.getActiveShell(event), VestigeUi.get().extensions().plugins()).open();
        return null;
    }
}
