package org.vestige.windows.ui;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.render.CellFormat;
import org.vestige.ui.Cases;
import org.vestige.ui.MissingHints;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * A hex view of a process's virtual memory (the one selected in the Processes view), every row
 * coloured by where its page came from — RAM, transition, a paging file, the compressed store,
 * demand-zero, or missing — with the provenance as a tool tip, a legend, and a minimap of the
 * 1 MiB around the address, one cell per page.
 *
 * @since 0.1
 */
public final class MemoryView extends ViewPart {

    public static final String ID = "org.vestige.windows.ui.memory";

    /** Bytes shown at once. */
    public static final int WINDOW = 64 * 1024;
    private static final int PAGE = 4096;
    private static final int MINIMAP_PAGES = 256;

    /** What was read: the window's bytes and each page's provenance, and the minimap's kinds. */
    public record Snapshot(long address, byte[] bytes, PageProvenance[] pages, long mapStart, String[] mapKinds) {
    }

    private Label target;
    private Text address;
    private Table table;
    private Canvas minimap;
    private final List<Color> colors = new ArrayList<>();
    private Font mono;
    private ProcessesView.ProcessSelection process;
    private volatile Snapshot snapshot;
    private volatile Job job;

    private final ISelectionListener selectionListener = (part, selection) -> {
        if (selection instanceof IStructuredSelection s
                && s.getFirstElement() instanceof ProcessesView.ProcessSelection p) {
            process = p;
            target.setText(p.name() + " (pid " + p.pid() + ") in " + p.openCase().label());
            target.getParent().layout();
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(4, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        target = new Label(bar, SWT.NONE);
        target.setText("Select a process in the Processes view");
        target.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        address = new Text(bar, SWT.BORDER);
        address.setMessage("virtual address, e.g. 0x7ff6a0000000");
        GridData ad = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        ad.widthHint = 200;
        address.setLayoutData(ad);
        Button go = new Button(bar, SWT.PUSH);
        go.setText("Go");
        go.addListener(SWT.Selection, e -> goToTyped());
        address.addListener(SWT.DefaultSelection, e -> goToTyped());
        Composite legend = new Composite(bar, SWT.NONE);
        legend.setLayout(new RowLayout());
        for (Map.Entry<String, RGB> k : ProvenanceColors.legend().entrySet()) {
            Label l = new Label(legend, SWT.BORDER);
            l.setText(" " + k.getKey() + " ");
            l.setBackground(color(k.getValue()));
        }
        minimap = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
        GridData md = new GridData(SWT.FILL, SWT.TOP, true, false);
        md.heightHint = 18;
        minimap.setLayoutData(md);
        minimap.setToolTipText("1 MiB around the address, one cell per 4 KiB page, coloured by where it lives");
        minimap.addPaintListener(e -> {
            Snapshot s = snapshot;
            if (s == null) {
                return;
            }
            int w = minimap.getClientArea().width;
            for (int i = 0; i < s.mapKinds().length; i++) {
                int x0 = i * w / s.mapKinds().length;
                int x1 = (i + 1) * w / s.mapKinds().length;
                e.gc.setBackground(color(ProvenanceColors.of(s.mapKinds()[i])));
                e.gc.fillRectangle(x0, 0, Math.max(1, x1 - x0), 16);
            }
            int cursor = (int) ((s.address() - s.mapStart()) / PAGE * w / s.mapKinds().length);
            e.gc.setForeground(minimap.getDisplay().getSystemColor(SWT.COLOR_BLACK));
            e.gc.drawRectangle(cursor, 0, Math.max(2, WINDOW / PAGE * w / s.mapKinds().length), 15);
        });
        table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.VIRTUAL);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setHeaderVisible(true);
        mono = new Font(parent.getDisplay(), "Monospace", 9, SWT.NORMAL);
        table.setFont(mono);
        for (String[] c : new String[][] {{"Address", "150"}, {"Bytes", "400"}, {"ASCII", "150"}, {"Source", "420"}}) {
            TableColumn col = new TableColumn(table, SWT.LEFT);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        table.addListener(SWT.SetData, e -> fill((TableItem) e.item, table.indexOf((TableItem) e.item)));
        getSite().getPage().addSelectionListener(ProcessesView.ID, selectionListener);
    }

    private void goToTyped() {
        try {
            String t = address.getText().strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
            long a = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t, 16);
            if (process != null) {
                show(process, a);
            }
        } catch (NumberFormatException e) {
            setContentDescription("not an address: " + address.getText());
        }
    }

    /**
     * Reads {@link #WINDOW} bytes of a process at an address (rounded down to a page) in the background
     * and shows them.
     *
     * @return the job reading them
     */
    public Job show(ProcessesView.ProcessSelection p, long at) {
        process = p;
        long start = at & ~(PAGE - 1L);
        if (address != null && !address.isDisposed()) {
            address.setText("0x" + Long.toHexString(at));
        }
        Cases.OpenCase c = p.openCase();
        Job j = Job.create("Reading memory of " + p.name(), monitor -> {
            try {
                WindowsKernel kernel = WindowsKernel.require(c.session(), "the Memory view");
                WinProcess wp = kernel.processes().processes().stream().filter(x -> x.eprocess() == p.eprocess())
                        .findFirst().orElseThrow(() -> new IllegalStateException(p.name() + " is no longer listed"));
                X64Layer layer = kernel.processLayers().layer(wp);
                byte[] bytes = new byte[WINDOW];
                PageProvenance[] pages = new PageProvenance[WINDOW / PAGE];
                layer.read(start, bytes, 0, WINDOW, (a, l, prov) -> {
                    for (long x = a; x < a + l; x += PAGE) {
                        pages[(int) ((x - start) / PAGE)] = prov;
                    }
                });
                long mapStart = (start & ~((long) MINIMAP_PAGES * PAGE - 1));
                String[] kinds = new String[MINIMAP_PAGES];
                for (int i = 0; i < MINIMAP_PAGES; i++) {
                    kinds[i] = layer.provenance(mapStart + (long) i * PAGE).kind();
                }
                Snapshot s = new Snapshot(start, bytes, pages, mapStart, kinds);
                table.getDisplay().asyncExec(() -> display(s));
                return Status.OK_STATUS;
            } catch (AnalysisException | RuntimeException e) {
                return Status.error("cannot read memory of " + p.name() + ": " + e.getMessage(), e);
            }
        });
        job = j;
        j.schedule();
        return j;
    }

    private void display(Snapshot s) {
        if (table.isDisposed()) {
            return;
        }
        snapshot = s;
        target.setText(process.name() + " (pid " + process.pid() + ") at " + CellFormat.address(s.address()));
        table.clearAll();
        table.setItemCount(WINDOW / 16);
        minimap.redraw();
        target.getParent().layout();
    }

    private void fill(TableItem item, int row) {
        Snapshot s = snapshot;
        if (s == null) {
            return;
        }
        int off = row * 16;
        PageProvenance p = s.pages()[off / PAGE];
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            int b = s.bytes()[off + i] & 0xff;
            ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(s.bytes(), off, off + 16);
        item.setText(new String[] {CellFormat.address(s.address() + off), p.isAvailable() ? hex : "?? ".repeat(16)
                .strip(), p.isAvailable() ? ascii.toString() : "", MissingHints.describe(p)});
        item.setBackground(color(ProvenanceColors.of(p)));
    }

    /** @return the page provenance shown on a row (for tests and tool tips), or null */
    public PageProvenance provenanceOfRow(int row) {
        Snapshot s = snapshot;
        return s == null ? null : s.pages()[row * 16 / PAGE];
    }

    /** @return the background colour of a row as shown, or null */
    public RGB colorOfRow(int row) {
        return table.getItemCount() > row ? table.getItem(row).getBackground().getRGB() : null;
    }

    /** @return the text of a row's cell as shown */
    public String textOfRow(int row, int column) {
        return table.getItem(row).getText(column);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Job job() {
        return job;
    }

    private Color color(RGB rgb) {
        for (Color c : colors) {
            if (c.getRGB().equals(rgb)) {
                return c;
            }
        }
        Color c = new Color(rgb);
        colors.add(c);
        return c;
    }

    @Override
    public void setFocus() {
        address.setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removeSelectionListener(ProcessesView.ID, selectionListener);
        if (mono != null) {
            mono.dispose();
        }
        super.dispose();
    }
}
