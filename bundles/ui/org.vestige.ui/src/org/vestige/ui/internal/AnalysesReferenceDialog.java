package org.vestige.ui.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;
import org.vestige.core.registry.PluginDescriptor;

/**
 * Help &gt; Analyses Reference: every analysis installed — Vestige's and third parties' — by category, and for
 * the one selected what its declaration says: what it does, what it needs, its options with their types and
 * defaults, whether it puts times on the timeline, and the bundle it comes from. Written from the installed
 * declarations, so it is the reference of this installation and never of another version.
 */
public final class AnalysesReferenceDialog extends TitleAreaDialog {

    private final List<PluginDescriptor> plugins;
    private Tree tree;
    private Text page;

    public AnalysesReferenceDialog(Shell shell, List<PluginDescriptor> plugins) {
        super(shell);
        this.plugins = List.copyOf(plugins);
        setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Analyses Reference");
        setMessage(plugins.size() + " analyses installed; the same ids run on the command line (vestige -f IMAGE "
                + "ID --option value).");
        Composite area = (Composite) super.createDialogArea(parent);
        SashForm sash = listAndPage(area, 900, 480);
        tree = new Tree(sash, SWT.BORDER | SWT.SINGLE);
        page = new Text(sash, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        sash.setWeights(1, 2);
        Map<String, Map<String, PluginDescriptor>> byCategory = new TreeMap<>();
        for (PluginDescriptor p : plugins) {
            byCategory.computeIfAbsent(p.info().category(), c -> new TreeMap<>()).put(p.id(), p);
        }
        byCategory.forEach((category, members) -> {
            TreeItem c = new TreeItem(tree, SWT.NONE);
            c.setText(category);
            members.values().forEach(p -> {
                TreeItem item = new TreeItem(c, SWT.NONE);
                item.setText(p.id());
                item.setData(p);
            });
            c.setExpanded(true);
        });
        tree.addListener(SWT.Selection, e -> page.setText(e.item.getData() instanceof PluginDescriptor p ? text(p
                .info()) : ""));
        page.setText("Select an analysis.");
        return area;
    }

    /**
     * @return a side-by-side split filling a Help dialog's area, sized for a list of entries and the page of the
     *         one selected (the Analyses Reference, the Guide)
     */
    static SashForm listAndPage(Composite area, int width, int height) {
        SashForm sash = new SashForm(area, SWT.HORIZONTAL);
        GridData data = new GridData(SWT.FILL, SWT.FILL, true, true);
        data.widthHint = width;
        data.heightHint = height;
        sash.setLayoutData(data);
        return sash;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    /** Shows an analysis's page, as selecting it does. */
    public void select(String id) {
        for (TreeItem category : tree.getItems()) {
            for (TreeItem item : category.getItems()) {
                if (item.getData() instanceof PluginDescriptor p && p.id().equals(id)) {
                    tree.setSelection(item);
                    page.setText(text(p.info()));
                    return;
                }
            }
        }
        throw new IllegalArgumentException("no analysis " + id + " is installed");
    }

    /** @return the ids the tree lists, in its order */
    public List<String> listed() {
        return java.util.Arrays.stream(tree.getItems()).flatMap(c -> java.util.Arrays.stream(c.getItems())).map(
                TreeItem::getText).toList();
    }

    /** @return the page shown */
    public String shown() {
        return page.getText();
    }

    /** @return an analysis's page: what its declaration says, as text */
    static String text(PluginInfo info) {
        StringBuilder s = new StringBuilder();
        s.append(info.name()).append(" (").append(info.id()).append(")\n");
        s.append("Category: ").append(info.category()).append("    System: ").append(info.os()).append(
                "    Bundle: ").append(info.contributor()).append("\n\n");
        s.append(info.description()).append("\n\n");
        if (info.requirements().isEmpty()) {
            s.append("Needs: nothing (runs without evidence)\n");
        } else {
            s.append("Needs: ").append(String.join(", ", info.requirements().stream().map(AnalysesReferenceDialog::need)
                    .toList())).append('\n');
        }
        s.append(info.timelineContribution().isPresent() ? "Puts its times on the timeline (windows.timeliner).\n"
                : "");
        s.append("\nOptions:");
        if (info.options().isEmpty()) {
            s.append(" none\n");
        } else {
            s.append('\n');
            for (OptionSpec o : info.options()) {
                s.append("  --").append(o.name()).append(" (").append(o.type().id()).append(o.multiple()
                        ? ", repeatable" : "").append(o.required() ? ", required" : "").append(o.defaultValue() == null
                                ? "" : ", default " + o.defaultValue()).append(o.choices().isEmpty() ? "" : ", one of "
                                        + String.join(", ", o.choices())).append(")\n      ").append(o.description())
                        .append('\n');
            }
        }
        return s.toString();
    }

    private static String need(Requirement r) {
        return r.value() == null || r.value().isBlank() ? r.kind() : r.kind() + " " + r.value();
    }
}
