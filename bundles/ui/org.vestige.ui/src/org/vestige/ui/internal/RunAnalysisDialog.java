package org.vestige.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.ui.Cases;
import org.vestige.ui.Subject;

/**
 * A form generated from an analysis's declared options: a check box for a boolean, a drop-down for
 * a choice, a text field for the rest (several values separated by commas for repeatable options).
 * Values are validated exactly as on the command line before the analysis runs. An option the
 * selection's {@link Subject} has a value for (the selected process's pid, a row's address) starts with it.
 */
public final class RunAnalysisDialog extends TitleAreaDialog {

    private final PluginInfo plugin;
    private final Cases.OpenCase openCase;
    private final Map<String, String> given;
    private final Map<OptionSpec, Control> controls = new LinkedHashMap<>();
    private Options options;

    /**
     * @param subject what is selected, whose values of the analysis's options fill the form; null for none
     */
    public RunAnalysisDialog(Shell shell, PluginInfo plugin, Cases.OpenCase openCase, Subject subject) {
        super(shell);
        this.plugin = plugin;
        this.openCase = openCase;
        this.given = subject == null || (openCase != null && subject.openCase() != null && subject
                .openCase() != openCase) ? Map.of() : subject.optionValues();
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle(plugin.name() + " (" + plugin.id() + ")");
        setMessage(plugin.summary() + (openCase == null ? "" : "\nCase: " + openCase.label()));
        Composite area = (Composite) super.createDialogArea(parent);
        Composite form = new Composite(area, SWT.NONE);
        form.setLayout(new GridLayout(2, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        if (plugin.options().isEmpty()) {
            new Label(form, SWT.NONE).setText("This analysis has no options.");
        }
        for (OptionSpec o : plugin.options()) {
            Label label = new Label(form, SWT.NONE);
            label.setText(o.name() + (o.required() ? " *" : "") + ":");
            label.setToolTipText(o.description());
            Control c;
            switch (o.type()) {
                case BOOLEAN -> {
                    Button b = new Button(form, SWT.CHECK);
                    b.setSelection(Boolean.parseBoolean(o.defaultValue()));
                    c = b;
                }
                case CHOICE -> {
                    Combo combo = new Combo(form, SWT.READ_ONLY);
                    combo.setItems(o.choices().toArray(String[]::new));
                    combo.select(Math.max(0, o.choices().indexOf(o.defaultValue())));
                    c = combo;
                }
                default -> {
                    Text t = new Text(form, SWT.BORDER);
                    String value = given.getOrDefault(o.name(), o.defaultValue());
                    t.setText(value == null ? "" : value);
                    t.setMessage(o.type().id() + (o.multiple() ? ", several separated by commas" : ""));
                    c = t;
                }
            }
            c.setToolTipText(o.description());
            c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            controls.put(o, c);
        }
        return area;
    }

    @Override
    protected void okPressed() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        controls.forEach((o, c) -> {
            String text = switch (c) {
                case Button b -> Boolean.toString(b.getSelection());
                case Combo combo -> combo.getText();
                case Text t -> t.getText().strip();
                default -> "";
            };
            if (!text.isEmpty()) {
                List<String> values = new ArrayList<>();
                for (String v : o.multiple() ? text.split(",") : new String[] {text}) {
                    if (!v.isBlank()) {
                        values.add(v.strip());
                    }
                }
                given.put(o.name(), values);
            }
        });
        try {
            options = Options.parse(plugin, given);
        } catch (IllegalArgumentException e) {
            setErrorMessage(e.getMessage());
            return;
        }
        super.okPressed();
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "Run", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    Options options() {
        return options;
    }

    /** @return the text an option's field holds, or null when it has no text field */
    public String valueOf(String option) {
        for (Map.Entry<OptionSpec, Control> e : controls.entrySet()) {
            if (e.getKey().name().equals(option) && e.getValue() instanceof Text t) {
                return t.getText();
            }
        }
        return null;
    }
}
