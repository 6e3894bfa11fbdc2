package org.vestige.ui.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TextCellEditor;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.vestige.core.store.PageStates;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.FormatHandle;
import org.vestige.core.evidence.FormatProbe;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.ui.CaseSettings;
import org.vestige.ui.WorkbenchPreferences;

/**
 * The Open Evidence wizard's page. Every format's probe answers as soon as an image is chosen, so the
 * analyst sees which format will open it and why, before anything is hashed. Paging files beside the
 * image are attached when the preference says so; their page-file numbers are left to the kernel's
 * records unless the analyst types one.
 */
public final class EvidencePage extends WizardPage {

    private static final List<String> PAGING_FILE_NAMES = List.of("pagefile.sys", "swapfile.sys");

    private final List<? extends FormatHandle> formats;
    private final WorkbenchPreferences preferences;
    private final Path initialImage;
    private final List<PagefileSpec> pagefiles = new ArrayList<>();
    private List<FormatProbe> probes = List.of();

    private Text imageText;
    private TableViewer probeViewer;
    private Label verdict;
    private TableViewer pagefileViewer;
    private Button hash;
    private Button compressedStore;

    EvidencePage(List<? extends FormatHandle> formats, WorkbenchPreferences preferences, Path initialImage) {
        super("evidence", "Open Evidence", null);
        this.formats = formats;
        this.preferences = preferences;
        this.initialImage = initialImage;
        setDescription("Choose a memory image and the paging files taken with it. The image is opened read-only.");
        setPageComplete(false);
    }

    @Override
    public void createControl(Composite parent) {
        Composite root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(3).applyTo(root);

        new Label(root, SWT.NONE).setText("Memory image:");
        imageText = new Text(root, SWT.BORDER | SWT.SINGLE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(imageText);
        Button browse = new Button(root, SWT.PUSH);
        browse.setText("Browse...");
        browse.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            d.setText("Open a memory image");
            d.setFilterNames(new String[] {"Memory images", "All files"});
            d.setFilterExtensions(new String[] {"*.raw;*.dd;*.mem;*.bin;*.img;*.vmem;*.vmss;*.vmsn;*.aff4;*.dmp",
                    "*"});
            String chosen = d.open();
            if (chosen != null) {
                imageText.setText(chosen);
            }
        });

        Label probesLabel = new Label(root, SWT.NONE);
        probesLabel.setText("What each format's probe says:");
        GridDataFactory.fillDefaults().span(3, 1).applyTo(probesLabel);
        probeViewer = new TableViewer(root, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        probeViewer.getTable().setHeaderVisible(true);
        probeViewer.getTable().setLinesVisible(true);
        probeColumn("Format", 220, p -> p.formatName());
        probeColumn("Confidence", 80, p -> p.result().confidence() + "%");
        probeColumn("Explanation", 420, p -> p.result().explanation());
        probeViewer.setContentProvider(ArrayContentProvider.getInstance());
        GridDataFactory.fillDefaults().span(3, 1).grab(true, true).hint(720, 130).applyTo(probeViewer.getTable());
        verdict = new Label(root, SWT.WRAP);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(verdict);

        Label pagefilesLabel = new Label(root, SWT.NONE);
        pagefilesLabel.setText("Paging files taken with it (page-file number: blank to take it from the kernel):");
        GridDataFactory.fillDefaults().span(3, 1).applyTo(pagefilesLabel);
        pagefileViewer = new TableViewer(root, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        pagefileViewer.getTable().setHeaderVisible(true);
        pagefileViewer.getTable().setLinesVisible(true);
        pagefileColumns();
        pagefileViewer.setContentProvider(ArrayContentProvider.getInstance());
        pagefileViewer.setInput(pagefiles);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, true).hint(600, 70).applyTo(pagefileViewer.getTable());
        Composite buttons = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(buttons);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
        Button add = new Button(buttons, SWT.PUSH);
        add.setText("Add...");
        GridDataFactory.fillDefaults().applyTo(add);
        add.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN | SWT.MULTI);
            d.setText("Paging files taken with the image (pagefile.sys, swapfile.sys)");
            Path image = image();
            if (image != null && image.getParent() != null) {
                d.setFilterPath(image.getParent().toString());
            }
            if (d.open() != null) {
                for (String name : d.getFileNames()) {
                    addPagefile(new PagefileSpec(-1, Paths.get(d.getFilterPath(), name)));
                }
            }
        });
        Button remove = new Button(buttons, SWT.PUSH);
        remove.setText("Remove");
        GridDataFactory.fillDefaults().applyTo(remove);
        remove.addListener(SWT.Selection, e -> {
            pagefiles.removeAll(pagefileViewer.getStructuredSelection().toList());
            pagefileViewer.refresh();
        });

        hash = new Button(root, SWT.CHECK);
        hash.setText("Hash every file as the case opens (MD5, SHA-1, SHA-256)");
        hash.setSelection(preferences.hashEvidence());
        GridDataFactory.fillDefaults().span(3, 1).applyTo(hash);
        compressedStore = new Button(root, SWT.CHECK);
        compressedStore.setText("Read the memory-compression store");
        compressedStore.setSelection(preferences.readCompressedStore());
        GridDataFactory.fillDefaults().span(3, 1).applyTo(compressedStore);

        imageText.addListener(SWT.Modify, e -> imageChanged());
        setControl(root);
        if (initialImage != null) {
            imageText.setText(initialImage.toString());
        }
        imageChanged();
    }

    private void probeColumn(String title, int width, java.util.function.Function<FormatProbe, String> text) {
        TableViewerColumn c = new TableViewerColumn(probeViewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((FormatProbe) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return ((FormatProbe) element).result().explanation();
            }
        });
    }

    private void pagefileColumns() {
        TableViewerColumn file = new TableViewerColumn(pagefileViewer, SWT.LEFT);
        file.getColumn().setText("File");
        file.getColumn().setWidth(440);
        file.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> ((PagefileSpec) e).path().toString()));
        TableViewerColumn slot = new TableViewerColumn(pagefileViewer, SWT.LEFT);
        slot.getColumn().setText("Page-file number");
        slot.getColumn().setWidth(140);
        slot.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> slotText((PagefileSpec) e)));
        slot.setEditingSupport(new EditingSupport(pagefileViewer) {
            @Override
            protected CellEditor getCellEditor(Object element) {
                return new TextCellEditor(pagefileViewer.getTable());
            }

            @Override
            protected boolean canEdit(Object element) {
                return true;
            }

            @Override
            protected Object getValue(Object element) {
                int n = ((PagefileSpec) element).slot();
                return n < 0 ? "" : Integer.toString(n);
            }

            @Override
            protected void setValue(Object element, Object value) {
                setSlot((PagefileSpec) element, value.toString());
            }
        });
    }

    private static String slotText(PagefileSpec p) {
        return p.slot() < 0 ? "from the kernel's records" : Integer.toString(p.slot());
    }

    /** Sets a paging file's number from what the analyst typed; blank means "from the kernel". */
    public void setSlot(PagefileSpec spec, String typed) {
        int index = pagefiles.indexOf(spec);
        if (index < 0) {
            return;
        }
        try {
            PagefileSpec parsed = typed.isBlank() ? new PagefileSpec(-1, spec.path()) : PagefileSpec.parse(typed
                    .strip() + "=" + spec.path());
            pagefiles.set(index, parsed);
            setErrorMessage(null);
        } catch (IllegalArgumentException e) {
            setErrorMessage("'" + typed + "' is not a page-file number (0.." + PagefileSpec.MAX_SLOT + ")");
        }
        pagefileViewer.refresh();
    }

    private void imageChanged() {
        Path image = image();
        if (image == null || !Files.isRegularFile(image)) {
            probes = List.of();
            probeViewer.setInput(probes);
            verdict.setText(image == null ? "" : "No such file: " + image);
            setPageComplete(false);
            return;
        }
        probes = EvidenceCase.probe(image, formats);
        probeViewer.setInput(probes);
        Optional<FormatProbe> best = probes.stream().filter(p -> p.result().accepts()).max(Comparator.comparingInt(
                (FormatProbe p) -> p.result().confidence()).thenComparing(p -> -probes.indexOf(p)));
        if (best.isPresent()) {
            verdict.setText("Opens as " + best.get().formatName() + " (" + best.get().result().confidence()
                    + "%): " + best.get().result().explanation());
            setErrorMessage(null);
        } else {
            verdict.setText("No format recognises this file.");
            setErrorMessage("No evidence format recognises " + image.getFileName());
        }
        if (preferences.attachPagingFiles()) {
            attachSiblings(image);
        }
        verdict.getParent().layout(true, true);
        setPageComplete(best.isPresent());
    }

    /** Attaches pagefile.sys and swapfile.sys lying beside the image, once each. */
    private void attachSiblings(Path image) {
        Path dir = image.toAbsolutePath().getParent();
        if (dir == null) {
            return;
        }
        Set<Path> have = new HashSet<>();
        pagefiles.forEach(p -> have.add(p.path().toAbsolutePath().normalize()));
        try (Stream<Path> siblings = Files.list(dir)) {
            siblings.filter(Files::isRegularFile).filter(p -> PAGING_FILE_NAMES.contains(p.getFileName().toString()
                    .toLowerCase(Locale.ROOT))).sorted().filter(p -> !have.contains(p.toAbsolutePath().normalize()))
                    .forEach(p -> pagefiles.add(new PagefileSpec(-1, p)));
        } catch (java.io.IOException e) {
            setMessage("Could not list " + dir + ": " + e.getMessage(), WARNING);
        }
        pagefileViewer.refresh();
    }

    /** Adds a paging file to the list. */
    public void addPagefile(PagefileSpec spec) {
        pagefiles.add(spec);
        pagefileViewer.refresh();
    }

    /** Sets the image path as if typed. */
    public void setImage(Path image) {
        imageText.setText(image.toString());
    }

    /** @return the image chosen, or null */
    public Path image() {
        if (imageText == null || imageText.getText().isBlank()) {
            return initialImage;
        }
        try {
            return Paths.get(imageText.getText().strip());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** @return what every format's probe said about the current image */
    public List<FormatProbe> probes() {
        return probes;
    }

    /** @return the verdict line: which format opens the image, or why none does */
    public String verdict() {
        return verdict.getText();
    }

    /** @return the paging files attached */
    public List<PagefileSpec> pagefiles() {
        return List.copyOf(pagefiles);
    }

    /** @return the settings the case will open with: the page's choices over the preferences */
    public CaseSettings settings() {
        CaseSettings base = preferences.caseSettings();
        Set<String> disabled = new HashSet<>(base.disabledStores());
        if (compressedStore.getSelection()) {
            disabled.remove(PageStates.COMPRESSED);
        } else {
            disabled.add(PageStates.COMPRESSED);
        }
        return new CaseSettings(hash.getSelection(), base.outputDirectory(), base.symbolPaths(), disabled);
    }
}
