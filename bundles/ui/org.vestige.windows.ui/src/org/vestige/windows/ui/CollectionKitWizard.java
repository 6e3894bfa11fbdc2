package org.vestige.windows.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.wizard.IWizardPage;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.Row;

/**
 * File &gt; New Collection Kit: the workbench's face of {@code acquire.plan}. Its pages are made from the
 * analysis's declared options (the machine and its tools, then the processes never dumped), its review page
 * runs the plan into a folder of its own and shows every step with its reason before anything is written where
 * the analyst asked, and Finish copies the kit there, asking before it replaces a file.
 *
 * @since 0.1
 */
public final class CollectionKitWizard extends Wizard {

    /** The analysis the wizard runs. */
    public static final String PLAN = "acquire.plan";

    /** The options asked on the processes page; every other option is on the machine page. */
    private static final List<String> PROCESS_OPTIONS = List.of("skip");

    private final PluginDescriptor plan;
    private final Predicate<List<Path>> replace;
    private final OptionsPage machine;
    private final OptionsPage processes;
    private final ReviewPage review;
    private Path planned;
    private AnalysisResult result;
    private List<Path> written = List.of();

    /**
     * @param plan    {@code acquire.plan}'s descriptor
     * @param replace asked with the files of the kit that already exist in the chosen folder: whether to replace
     *                them (the workbench asks the analyst)
     */
    public CollectionKitWizard(PluginDescriptor plan, Predicate<List<Path>> replace) {
        this.plan = plan;
        this.replace = replace;
        setWindowTitle("New Collection Kit");
        setNeedsProgressMonitor(true);
        List<OptionSpec> all = plan.info().options();
        machine = new OptionsPage("machine", "The machine and the tools", "Where the kit writes on the live machine "
                + "(the evidence drive, never the system drive) and where it finds WinPmem, ProcDump and 7-Zip.",
                all.stream().filter(o -> !PROCESS_OPTIONS.contains(o.name())).toList());
        processes = new OptionsPage("processes", "Process dumps", "Processes ProcDump never dumps, one per line "
                + "(empty: the protected processes the plan names). The script's own console host is always skipped.",
                all.stream().filter(o -> PROCESS_OPTIONS.contains(o.name())).toList());
        review = new ReviewPage();
    }

    @Override
    public void addPages() {
        addPage(machine);
        addPage(processes);
        addPage(review);
    }

    @Override
    public IWizardPage getNextPage(IWizardPage page) {
        IWizardPage next = super.getNextPage(page);
        if (next == review && !preview()) {
            return null;
        }
        return next;
    }

    @Override
    public boolean canFinish() {
        return getContainer() != null && getContainer().getCurrentPage() == review && result != null && review
                .destination() != null;
    }

    /** @return the options both pages give, validated as on the command line */
    public Options options() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        machine.collect(given);
        processes.collect(given);
        return Options.parse(plan.info(), given);
    }

    /**
     * Runs the plan with the pages' options into a folder of the wizard's own and shows its steps on the review
     * page; nothing is written where the analyst asked.
     *
     * @return whether the plan ran
     */
    boolean preview() {
        Options options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            ((WizardPage) getContainer().getCurrentPage()).setErrorMessage(e.getMessage());
            return false;
        }
        try {
            Path folder = Files.createTempDirectory("vestige-kit");
            AnalysisResult[] ran = new AnalysisResult[1];
            getContainer().run(true, false, monitor -> {
                try (AnalysisSession session = new AnalysisSession(null, org.vestige.ui.VestigeUi.get().extensions(),
                        SessionSettings.writingTo(folder))) {
                    ran[0] = session.run(plan.info(), plan.create(), options, monitor == null
                            ? new NullProgressMonitor() : monitor);
                } catch (AnalysisException | IOException e) {
                    throw new InvocationTargetException(e);
                }
            });
            discard();
            planned = folder;
            result = ran[0];
            review.show(result);
            ((WizardPage) getContainer().getCurrentPage()).setErrorMessage(null);
            return true;
        } catch (InvocationTargetException e) {
            ((WizardPage) getContainer().getCurrentPage()).setErrorMessage(PLAN + " failed: " + e.getCause()
                    .getMessage());
            return false;
        } catch (IOException | InterruptedException e) {
            ((WizardPage) getContainer().getCurrentPage()).setErrorMessage(e.getMessage());
            return false;
        }
    }

    @Override
    public boolean performFinish() {
        Path to = review.destination();
        List<Path> files = result.files().stream().map(OutputFile::path).toList();
        List<Path> existing = files.stream().map(f -> to.resolve(f.getFileName())).filter(Files::exists).toList();
        if (!existing.isEmpty() && !replace.test(existing)) {
            return false;
        }
        try {
            Files.createDirectories(to);
            List<Path> out = new ArrayList<>();
            for (Path f : files) {
                out.add(Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
            written = List.copyOf(out);
        } catch (IOException e) {
            review.setErrorMessage("cannot write the kit to " + to + ": " + e.getMessage());
            return false;
        }
        discard();
        return true;
    }

    @Override
    public boolean performCancel() {
        discard();
        return true;
    }

    @Override
    public void dispose() {
        discard();
        super.dispose();
    }

    /** @return the files Finish wrote, in the plan's order */
    public List<Path> written() {
        return written;
    }

    /** @return the plan the review page shows, or null before it ran */
    public AnalysisResult plan() {
        return result;
    }

    /** @return the page an option is asked on */
    public OptionsPage pageOf(String option) {
        return PROCESS_OPTIONS.contains(option) ? processes : machine;
    }

    /** @return the review page */
    public ReviewPage review() {
        return review;
    }

    private void discard() {
        if (planned == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(planned)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is not the analyst's problem
        }
        planned = null;
    }

    /** A page of text fields made from declared options (several values of a repeatable one, one per line). */
    public static final class OptionsPage extends WizardPage {

        private final List<OptionSpec> options;
        private final Map<String, Text> fields = new LinkedHashMap<>();

        OptionsPage(String name, String title, String description, List<OptionSpec> options) {
            super(name, title, null);
            setDescription(description);
            this.options = options;
        }

        @Override
        public void createControl(Composite parent) {
            Composite form = new Composite(parent, SWT.NONE);
            form.setLayout(new GridLayout(2, false));
            for (OptionSpec o : options) {
                Label label = new Label(form, o.multiple() ? SWT.TOP : SWT.NONE);
                label.setText(o.name() + ":");
                label.setLayoutData(new GridData(SWT.LEFT, o.multiple() ? SWT.TOP : SWT.CENTER, false, false));
                Text t = new Text(form, SWT.BORDER | (o.multiple() ? SWT.MULTI | SWT.V_SCROLL : SWT.SINGLE));
                t.setText(o.defaultValue() == null ? "" : o.defaultValue());
                t.setMessage(o.description());
                t.setToolTipText(o.description());
                GridData data = new GridData(SWT.FILL, o.multiple() ? SWT.FILL : SWT.CENTER, true, o.multiple());
                data.widthHint = 420;
                t.setLayoutData(data);
                t.addModifyListener(e -> setErrorMessage(null));
                fields.put(o.name(), t);
            }
            setControl(form);
        }

        /** Sets an option's field, as the analyst would type it. */
        public void set(String option, String text) {
            fields.get(option).setText(text);
        }

        /** @return the text of an option's field */
        public String get(String option) {
            return fields.get(option).getText();
        }

        void collect(Map<String, List<String>> given) {
            fields.forEach((name, t) -> {
                List<String> values = new ArrayList<>();
                for (String line : t.getText().split("\\R")) {
                    if (!line.isBlank()) {
                        values.add(line.strip());
                    }
                }
                if (!values.isEmpty()) {
                    given.put(name, values);
                }
            });
        }
    }

    /** The plan's steps with their reasons, and the folder the kit is written to. */
    public final class ReviewPage extends WizardPage {

        private Table steps;
        private Text step;
        private Text notes;
        private Text folder;

        ReviewPage() {
            super("review", "What the kit will do", null);
            setDescription("Every step in order, with why it comes where it does. Nothing is written until Finish.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite page = new Composite(parent, SWT.NONE);
            page.setLayout(new GridLayout(3, false));
            steps = new Table(page, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
            steps.setHeaderVisible(true);
            steps.setLinesVisible(true);
            GridData data = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
            data.heightHint = 180;
            steps.setLayoutData(data);
            // a step's action and reason are sentences: the selected one is shown whole below the table
            step = readOnly(page, 5);
            steps.addListener(SWT.Selection, e -> showStep(steps.getSelectionIndex()));
            notes = readOnly(page, 4);
            new Label(page, SWT.NONE).setText("Write the kit to:");
            folder = new Text(page, SWT.BORDER);
            folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            folder.setMessage("a folder on this machine, to copy to the evidence drive");
            folder.addModifyListener(e -> getContainer().updateButtons());
            Button browse = new Button(page, SWT.PUSH);
            browse.setText("Browse...");
            browse.addListener(SWT.Selection, e -> {
                DirectoryDialog d = new DirectoryDialog(getShell());
                d.setText("Write the kit to");
                String chosen = d.open();
                if (chosen != null) {
                    folder.setText(chosen);
                }
            });
            setControl(page);
        }

        private Text readOnly(Composite page, int lines) {
            Text t = new Text(page, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
            GridData data = new GridData(SWT.FILL, SWT.FILL, true, false, 3, 1);
            data.heightHint = lines * t.getLineHeight();
            data.widthHint = 600;
            t.setLayoutData(data);
            return t;
        }

        private void showStep(int index) {
            if (index < 0) {
                step.setText("");
                return;
            }
            TableItem item = steps.getItem(index);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < steps.getColumnCount(); i++) {
                text.append(i == 0 ? "" : "\n").append(steps.getColumn(i).getText()).append(": ").append(item
                        .getText(i));
            }
            step.setText(text.toString());
        }

        void show(AnalysisResult plan) {
            steps.removeAll();
            for (TableColumn c : steps.getColumns()) {
                c.dispose();
            }
            List<Column<?>> columns = plan.table().columns();
            for (Column<?> c : columns) {
                new TableColumn(steps, SWT.LEFT).setText(c.name());
            }
            for (Row r : plan.table().rows()) {
                TableItem item = new TableItem(steps, SWT.NONE);
                for (int i = 0; i < columns.size(); i++) {
                    item.setText(i, CellFormat.text(columns.get(i).type(), r.cell(columns.get(i))));
                }
            }
            for (TableColumn c : steps.getColumns()) {
                c.pack();
                c.setWidth(Math.min(c.getWidth(), 360));
            }
            if (steps.getItemCount() > 0) {
                steps.select(0);
                showStep(0);
            }
            // every step in view without scrolling
            ((GridData) steps.getLayoutData()).heightHint = steps.getHeaderHeight() + steps.getItemHeight() * (steps
                    .getItemCount() + 1);
            org.eclipse.swt.graphics.Point has = getShell().getSize();
            int wants = getShell().computeSize(has.x, SWT.DEFAULT).y;
            if (wants > has.y) {
                getShell().setSize(has.x, wants);
            }
            steps.getParent().layout(true, true);
            StringBuilder text = new StringBuilder();
            for (OutputFile f : plan.files()) {
                text.append(f.path().getFileName()).append(": ").append(f.description()).append('\n');
            }
            for (Diagnostic d : plan.diagnostics()) {
                text.append(d.message()).append('\n');
            }
            notes.setText(text.toString().strip());
        }

        /** @return the folder the kit goes to, or null while none is typed */
        public Path destination() {
            String text = folder == null ? "" : folder.getText().strip();
            return text.isEmpty() ? null : Path.of(text);
        }

        /** Sets the folder the kit goes to, as the analyst would type it. */
        public void setDestination(String path) {
            folder.setText(path);
        }

        /** @return the steps shown, one string per row (its cells separated by tabs) */
        public List<String> shownSteps() {
            List<String> out = new ArrayList<>();
            for (TableItem item : steps.getItems()) {
                StringBuilder row = new StringBuilder();
                for (int i = 0; i < steps.getColumnCount(); i++) {
                    row.append(i == 0 ? "" : "\t").append(item.getText(i));
                }
                out.add(row.toString());
            }
            return out;
        }
    }
}
