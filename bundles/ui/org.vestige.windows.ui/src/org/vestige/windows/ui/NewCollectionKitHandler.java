package org.vestige.windows.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.ui.VestigeUi;

/**
 * File &gt; New Collection Kit: opens {@link CollectionKitWizard}, and when it finishes says which files it wrote
 * and how the responder runs them.
 *
 * @since 0.1
 */
public final class NewCollectionKitHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        PluginDescriptor plan = VestigeUi.get().extensions().plugin(CollectionKitWizard.PLAN).orElse(null);
        if (plan == null) {
            MessageDialog.openError(shell, "New Collection Kit", CollectionKitWizard.PLAN + " is not installed.");
            return null;
        }
        CollectionKitWizard wizard = new CollectionKitWizard(plan, existing -> MessageDialog.openQuestion(shell,
                "Replace files?", "These files exist and would be replaced:\n" + list(existing)));
        if (new WizardDialog(shell, wizard).open() == Window.OK) {
            MessageDialog.openInformation(shell, "Collection kit written", "Written:\n" + list(wizard.written())
                    + "\n\nCopy them with the tools to the evidence drive and run collect.ps1 from an elevated "
                    + "PowerShell; bring the folder back and open it with case.import.");
        }
        return null;
    }

    private static String list(List<Path> files) {
        return files.stream().map(Path::toString).collect(Collectors.joining("\n"));
    }
}
