package org.vestige.ui.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.ui.VestigeUi;

/**
 * File > Open Evidence...: pick a memory image, then (optionally) the paging files taken with it;
 * the case opens in the background (checked, hashed, probed) and appears in the Evidence view with
 * what every format's probe said.
 */
public final class OpenEvidenceHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        FileDialog image = new FileDialog(shell, SWT.OPEN);
        image.setText("Open a memory image");
        image.setFilterNames(new String[] {"Memory images", "All files"});
        image.setFilterExtensions(new String[] {"*.raw;*.dd;*.mem;*.bin;*.img;*.vmem;*.aff4;*.dmp", "*"});
        String chosen = image.open();
        if (chosen == null) {
            return null;
        }
        FileDialog pagefiles = new FileDialog(shell, SWT.OPEN | SWT.MULTI);
        pagefiles.setText("Paging files taken with it (pagefile.sys, swapfile.sys) — Cancel if none");
        pagefiles.setFilterPath(Paths.get(chosen).getParent().toString());
        List<PagefileSpec> specs = new ArrayList<>();
        if (pagefiles.open() != null) {
            for (String name : pagefiles.getFileNames()) {
                Path p = Paths.get(pagefiles.getFilterPath(), name);
                specs.add(new PagefileSpec(name.toLowerCase(java.util.Locale.ROOT).startsWith("swapfile") ? 1
                        : name.toLowerCase(java.util.Locale.ROOT).startsWith("pagefile") ? 0 : -1, p));
            }
        }
        Path out = Paths.get(System.getProperty("user.home"), "vestige-output");
        VestigeUi.get().cases().open(Paths.get(chosen), specs, true, out);
        return null;
    }
}
