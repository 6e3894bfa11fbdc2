package org.vestige.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Help &gt; Vestige Guide: opens {@link GuideDialog} on the pages shipped with the workbench. */
public final class GuideHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        new GuideDialog(HandlerUtil.getActiveShell(event), GuideDialog.shipped()).open();
        return null;
    }
}
