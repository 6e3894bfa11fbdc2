package org.vestige.windows.ui;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.part.IShowInTarget;
import org.eclipse.ui.part.ShowInContext;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.render.CellFormat;
import org.vestige.ui.Cases;
import org.vestige.ui.MissingHints;
import org.vestige.ui.Subject;
import org.vestige.windows.PeHeaders;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * A hex view of a process's virtual memory (the one selected in the Processes view), every row
 * coloured by where its page came from — RAM, transition, a paging file, the compressed store,
 * demand-zero, or missing — with the provenance as a tool tip, a legend, and a minimap of the
 * 1 MiB around the address, one cell per page. A process selected (even before the view opened) is shown
 * at once from the start of its image (its first mapped region when it has no image); Go, and Show In from
 * a result row ({@link Subject} with a pid and an address), scroll to the address and select its row. A
 * row's whole provenance is its tool tip and, selected, the status line.
 *
 * @since 0.1
 */
public final class MemoryView extends ViewPart implements IShowInTarget {

    public static final String ID = "org.vestige.windows.ui.memory";

    /** Bytes shown at once. */
    public static final int WINDOW = 64 * 1024;
    private static final int PAGE = 4096;
    private static final int MINIMAP_PAGES = 256;

    /** What was read: the window's bytes and each page's provenance, and the minimap's kinds. */
    public record Snapshot(long address, byte[] bytes, PageProvenance[] pages, long mapStart, String[] mapKinds) {
    }

    /**
     * A place the region list goes to: a VAD of the process, or a section of the image a VAD maps.
     *
     * @param address where it starts
     * @param label   what the list shows: the range, its kind and file, or the section's name, address and size
     * @since 0.1
     */
    public record Region(long address, String label) {
    }

    private Label target;
    private Combo regions;
    private volatile List<Region> regionList = List.of();
    /** The case and process {@link #regionList} is of (it is read again only for another). */
    private volatile Object regionsKey;
    private Text address;
    /** The find bar's pattern and encoding: a search started elsewhere shows in them too. */
    private Text findPattern;
    private Combo findEncoding;
    private Table table;
    private Canvas minimap;
    private final List<Color> colors = new ArrayList<>();
    private Font mono;
    private ProcessesView.ProcessSelection process;
    private volatile Snapshot snapshot;
    private volatile Job job;

    /** The top row {@link #scrollTo} asked for, kept until it holds or the analyst scrolls; -1 for none. */
    private int pendingTop = -1;
    private int topAttempts;
    private int topHeld;

    /** The address asked for last (the window starts at its page), or -1 for the process's first region. */
    private long asked = -1;
    private final ISelectionListener selectionListener = (part, selection) -> {
        if (selection instanceof IStructuredSelection s
                && s.getFirstElement() instanceof ProcessesView.ProcessSelection p && !p.equals(process)) {
            show(p, -1);
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(3, false));
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
        // the regions, and the legend, have rows of their own, so that the process and address are never cut short
        Composite regionRow = new Composite(bar, SWT.NONE);
        GridLayout rl = new GridLayout(2, false);
        rl.marginWidth = 0;
        rl.marginHeight = 0;
        regionRow.setLayout(rl);
        regionRow.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        new Label(regionRow, SWT.NONE).setText("Region:");
        regions = new Combo(regionRow, SWT.READ_ONLY | SWT.DROP_DOWN);
        regions.setToolTipText("go to a region of the process (its VADs) or a section of an image it maps");
        GridData rd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        rd.widthHint = 200; // grows with the view; its labels' length must not widen the view
        regions.setLayoutData(rd);
        regions.addListener(SWT.Selection, e -> goToRegion(regions.getSelectionIndex()));
        Composite legend = new Composite(bar, SWT.NONE);
        legend.setLayout(new RowLayout());
        legend.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        for (Map.Entry<String, RGB> k : ProvenanceColors.legend().entrySet()) {
            Label l = new Label(legend, SWT.BORDER);
            l.setText(" " + k.getKey() + " ");
            l.setBackground(color(k.getValue()));
            l.setForeground(color(ProvenanceColors.textOn(k.getValue())));
        }
        createFindBar(parent);
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
        table.addListener(SWT.Paint, e -> keepTop());
        for (int type : new int[] {SWT.MouseWheel, SWT.MouseDown, SWT.KeyDown}) {
            table.addListener(type, e -> pendingTop = -1);
        }
        table.getVerticalBar().addListener(SWT.Selection, e -> {
            if (e.detail != SWT.NONE) { // dragged or clicked by the analyst, not moved by setTopIndex
                pendingTop = -1;
            }
        });
        table.addListener(SWT.MouseHover, e -> {
            TableItem item = table.getItem(new org.eclipse.swt.graphics.Point(e.x, e.y));
            table.setToolTipText(item == null ? null : rowDescription(table.indexOf(item)));
        });
        table.addListener(SWT.Selection, e -> getViewSite().getActionBars().getStatusLineManager().setMessage(
                rowDescription(table.getSelectionIndex())));
        createRowMenu();
        getSite().getPage().addSelectionListener(ProcessesView.ID, selectionListener);
        // a process selected before the view opened
        selectionListener.selectionChanged(null, getSite().getPage().getSelection(ProcessesView.ID));
    }

    /** @return a row's address and the whole of its page's provenance, or null */
    public String rowDescription(int row) {
        Snapshot s = snapshot;
        if (s == null || row < 0 || row >= WINDOW / 16) {
            return null;
        }
        return CellFormat.address(s.address() + row * 16L) + ": " + MissingHints.describe(s.pages()[row * 16 / PAGE]);
    }

    @Override
    public boolean show(ShowInContext context) {
        if (context.getSelection() instanceof IStructuredSelection s && s.getFirstElement() instanceof Subject subject
                && subject.openCase() != null) {
            java.util.Optional<Long> pid = subject.number(Subject.PID);
            java.util.Optional<Long> at = subject.number(Subject.ADDRESS);
            if (pid.isPresent()) {
                // without an address, the start of the process's image
                show(subject instanceof ProcessesView.ProcessSelection p ? p : new ProcessesView.ProcessSelection(
                        subject.openCase(), pid.get(), "pid " + pid.get(), 0), at.orElse(-1L));
                return true;
            }
        }
        return false;
    }

    private void createFindBar(Composite parent) {
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(4, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(bar, SWT.NONE).setText("Find:");
        Text pattern = new Text(bar, SWT.BORDER | SWT.SEARCH);
        findPattern = pattern;
        pattern.setMessage("bytes as hex (4d 5a 90), or text");
        GridData pd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        pd.widthHint = 260;
        pattern.setLayoutData(pd);
        org.eclipse.swt.widgets.Combo encoding = new org.eclipse.swt.widgets.Combo(bar, SWT.READ_ONLY);
        encoding.setItems("Hex", "ASCII", "UTF-16");
        encoding.select(0);
        findEncoding = encoding;
        Button next = new Button(bar, SWT.PUSH);
        next.setText("Find Next");
        Runnable find = () -> find(pattern.getText(), MemorySearch.Encoding.values()[encoding.getSelectionIndex()]);
        next.addListener(SWT.Selection, e -> find.run());
        pattern.addListener(SWT.DefaultSelection, e -> find.run());
    }

    /**
     * Finds bytes in the process shown, after the selected row (from the window's start when none is
     * selected), through its mapped regions, and goes to the first match.
     *
     * @return the job looking for them, or null when the pattern is not valid or no process is shown
     */
    public Job find(String typed, MemorySearch.Encoding encoding) {
        byte[] bytes;
        try {
            bytes = MemorySearch.pattern(typed, encoding);
        } catch (IllegalArgumentException e) {
            setContentDescription("cannot find " + typed + ": " + e.getMessage());
            return null;
        }
        if (findPattern != null && !findPattern.isDisposed() && !findPattern.getText().equals(typed)) {
            findPattern.setText(typed);
            findEncoding.select(encoding.ordinal());
        }
        ProcessesView.ProcessSelection p = process;
        Snapshot s = snapshot;
        if (p == null || s == null) {
            setContentDescription("select a process in the Processes view first");
            return null;
        }
        int row = table.getSelectionIndex();
        long from = s.address() + (row < 0 ? 0 : row * 16L + 1);
        setContentDescription("looking for " + typed + " after " + CellFormat.address(from) + "...");
        Job j = p.openCase().job("Finding " + typed + " in " + p.name(), monitor -> {
            try {
                WindowsKernel kernel = WindowsKernel.require(p.openCase().session(), "the Memory view");
                WinProcess wp = kernel.processes().processes().stream().filter(x -> x.eprocess() == p.eprocess())
                        .findFirst().orElseThrow(() -> new IllegalStateException(p.label() + " is not listed"));
                List<WinVad> regions = vadsOf(kernel, wp);
                java.util.OptionalLong hit = MemorySearch.find(kernel.processLayers().layer(wp), regions, from, bytes,
                        monitor);
                table.getDisplay().asyncExec(() -> {
                    if (table.isDisposed()) {
                        return;
                    }
                    if (hit.isPresent()) {
                        setContentDescription(typed + " found at " + CellFormat.address(hit.getAsLong()));
                        show(p, hit.getAsLong());
                    } else {
                        setContentDescription(typed + " is not in the readable memory of " + p.label() + " after "
                                + CellFormat.address(from));
                    }
                });
                return Status.OK_STATUS;
            } catch (AnalysisException | RuntimeException e) {
                return Status.error("cannot search the memory of " + p.name() + ": " + e.getMessage(), e);
            }
        });
        job = j;
        j.schedule();
        return j;
    }

    /** The hex rows' menu: follow either pointer of a row, copy the selected rows as hex or the address. */
    private void createRowMenu() {
        Menu menu = new Menu(table);
        for (int offset : new int[] {0, 8}) {
            MenuItem follow = new MenuItem(menu, SWT.PUSH);
            follow.setText("Follow Pointer at +" + offset);
            follow.addListener(SWT.Selection, e -> followPointer(table.getSelectionIndex(), offset));
        }
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem copyHex = new MenuItem(menu, SWT.PUSH);
        copyHex.setText("Copy as Hex");
        copyHex.addListener(SWT.Selection, e -> copy(hexOf(table.getSelectionIndices())));
        MenuItem copyAddress = new MenuItem(menu, SWT.PUSH);
        copyAddress.setText("Copy Address");
        copyAddress.addListener(SWT.Selection, e -> {
            Snapshot s = snapshot;
            int row = table.getSelectionIndex();
            if (s != null && row >= 0) {
                copy(CellFormat.address(s.address() + row * 16L));
            }
        });
        menu.addListener(SWT.Show, e -> {
            boolean rows = snapshot != null && table.getSelectionIndex() >= 0;
            for (MenuItem item : menu.getItems()) {
                item.setEnabled(rows);
            }
        });
        table.setMenu(menu);
    }

    private void copy(String text) {
        if (text.isEmpty()) {
            return;
        }
        Clipboard clipboard = new Clipboard(table.getDisplay());
        try {
            clipboard.setContents(new Object[] {text}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    /**
     * @return the rows as a hex dump, one line per row (address, the 16 bytes, their ASCII), as Copy as Hex puts
     *         them on the clipboard; a row whose page cannot be read says so instead of showing bytes
     */
    public String hexOf(int... rows) {
        Snapshot s = snapshot;
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int row : java.util.Arrays.stream(rows).sorted().toArray()) {
            if (row < 0 || row >= WINDOW / 16) {
                continue;
            }
            int off = row * 16;
            PageProvenance p = s.pages()[off / PAGE];
            out.append(CellFormat.address(s.address() + off)).append("  ");
            if (p.isAvailable()) {
                out.append(HexFormat.ofDelimiter(" ").formatHex(s.bytes(), off, off + 16)).append("  ").append(
                        ascii(s.bytes(), off));
            } else {
                out.append("(not readable: ").append(MissingHints.describe(p)).append(')');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Goes to where the 8 bytes at {@code offset} of a row point (little-endian, as an x64 pointer).
     *
     * @return the job reading there, or null when the row's page cannot be read or holds no canonical user or
     *         kernel address (the view says why)
     */
    public Job followPointer(int row, int offset) {
        Snapshot s = snapshot;
        if (s == null || row < 0 || row >= WINDOW / 16 || offset < 0 || offset > 8) {
            return null;
        }
        int at = row * 16 + offset;
        PageProvenance p = s.pages()[at / PAGE];
        if (!p.isAvailable()) {
            setContentDescription("no pointer at " + CellFormat.address(s.address() + at) + ": "
                    + MissingHints.describe(p));
            return null;
        }
        long pointer = java.nio.ByteBuffer.wrap(s.bytes(), at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        long high = pointer >> 47; // canonical: bits 47-63 all zero or all one
        if (pointer == 0 || (high != 0 && high != -1)) {
            setContentDescription("no pointer at " + CellFormat.address(s.address() + at) + ": 0x" + Long
                    .toHexString(pointer) + " is not a canonical address");
            return null;
        }
        setContentDescription("");
        return show(process, pointer);
    }

    /** @return the index of the last region of the list that starts at or below an address, or -1 */
    private int regionAt(long at) {
        List<Region> list = regionList;
        int found = -1;
        for (int i = 0; i < list.size(); i++) {
            if (Long.compareUnsigned(list.get(i).address(), at) <= 0) {
                found = i;
            }
        }
        return found;
    }

    /** @return the region the list shows: the one the window's address is in, or "" */
    public String shownRegion() {
        return regions.getText();
    }

    /** @return the regions the list offers for the process shown, in address order */
    public List<Region> regions() {
        return regionList;
    }

    /** Goes to a region of {@link #regions()}; returns the job reading there, or null. */
    public Job goToRegion(int index) {
        List<Region> list = regionList;
        if (index < 0 || index >= list.size() || process == null) {
            return null;
        }
        return show(process, list.get(index).address());
    }

    /**
     * The process's VADs in address order, each image VAD followed by the sections of its PE headers (read through
     * the backing stores; an image whose header page cannot be read is listed without them, saying why).
     */
    private static List<Region> regionsOf(List<WinVad> walked, X64Layer layer) {
        List<Region> out = new ArrayList<>();
        List<WinVad> vads = new ArrayList<>(walked);
        vads.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        for (WinVad v : vads) {
            String kind = v.image() ? "image" : v.privateMemory() ? "private" : "mapped";
            String file = v.file() != null && v.file().isPresent() ? "  " + v.file().get() : "";
            String headers = "";
            List<PeHeaders.Section> sections = List.of();
            if (v.image()) {
                byte[] page = new byte[PAGE];
                PageProvenance[] first = new PageProvenance[1];
                layer.read(v.start(), page, 0, PAGE, (a, l, prov) -> first[0] = prov);
                if (first[0] != null && first[0].isAvailable()) {
                    try {
                        sections = PeHeaders.parse(page).sections();
                    } catch (IllegalArgumentException e) {
                        headers = " (PE headers: " + e.getMessage() + ")";
                    }
                } else if (first[0] != null) {
                    headers = " (PE headers not readable: " + MissingHints.describe(first[0]) + ")";
                }
            }
            out.add(new Region(v.start(), CellFormat.address(v.start()) + "-" + CellFormat.address(v.end()) + "  "
                    + kind + file + headers));
            for (PeHeaders.Section sec : sections) {
                out.add(new Region(v.start() + sec.virtualAddress(), "    " + sec.name() + "  " + CellFormat.address(v
                        .start() + sec.virtualAddress()) + "  (0x" + Long.toHexString(sec.mappedSize()) + " bytes)"));
            }
        }
        return out;
    }

    private void goToTyped() {
        goTo(address.getText());
    }

    /**
     * Goes to a typed address (hexadecimal, with or without 0x; underscores ignored) in the process shown.
     *
     * @return the job reading there, or null when the text is no address or no process is shown
     */
    public Job goTo(String typed) {
        try {
            String t = typed.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
            long a = Long.parseUnsignedLong(t.startsWith("0x") ? t.substring(2) : t, 16);
            if (process == null) {
                setContentDescription("select a process in the Processes view first");
                return null;
            }
            setContentDescription("");
            return show(process, a);
        } catch (NumberFormatException e) {
            setContentDescription("not an address: " + typed);
            return null;
        }
    }

    /**
     * Reads {@link #WINDOW} bytes of a process from the page of an address in the background, shows them
     * and selects the address's row.
     *
     * @param p  the process (by its _EPROCESS, or by its pid when that is 0)
     * @param at the address, or -1 for the start of the process's image (else of its first region)
     * @return the job reading them
     */
    public Job show(ProcessesView.ProcessSelection p, long at) {
        process = p;
        asked = at;
        if (address != null && !address.isDisposed() && at != -1) {
            address.setText("0x" + Long.toHexString(at));
        }
        if (target != null && !target.isDisposed()) {
            target.setText(p.label() + " in " + p.openCase().label() + ": reading...");
        }
        Cases.OpenCase c = p.openCase();
        Job j = c.job("Reading memory of " + p.name(), monitor -> {
            try {
                WindowsKernel kernel = WindowsKernel.require(c.session(), "the Memory view");
                WinProcess wp = kernel.processes().processes().stream().filter(x -> p.eprocess() != 0 ? x
                        .eprocess() == p.eprocess() : x.pid() == p.pid()).findFirst().orElseThrow(
                                () -> new IllegalStateException(p.label() + " is not on the process list"));
                X64Layer layer = kernel.processLayers().layer(wp);
                // the VADs, walked once: for where to start and for the region list (when not already listed)
                Object key = List.of(c, wp.eprocess());
                boolean listed = key.equals(regionsKey);
                List<WinVad> vads = List.of();
                String unwalked = null;
                if (at == -1 || !listed) {
                    try {
                        vads = vadsOf(kernel, wp);
                    } catch (RuntimeException e) { // a damaged VAD tree costs the list, not the bytes
                        unwalked = e.getMessage();
                    }
                }
                long where = at != -1 ? at : firstAddress(vads, wp);
                long start = where & ~(PAGE - 1L);
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
                    kinds[i] = ProvenanceColors.kindOf(layer.provenance(mapStart + (long) i * PAGE));
                }
                Snapshot s = new Snapshot(start, bytes, pages, mapStart, kinds);
                List<Region> found = listed ? null : unwalked != null ? List.of(new Region(where,
                        "regions not readable: " + unwalked)) : regionsOf(vads, layer);
                // an empty list would read as a view that failed; say why there is nothing to pick
                List<Region> offered = found != null && found.isEmpty() ? List.of(new Region(where,
                        "no regions: its VAD tree is empty")) : found;
                ProcessesView.ProcessSelection known = new ProcessesView.ProcessSelection(c, wp.pid(), wp.name(), wp
                        .eprocess());
                table.getDisplay().asyncExec(() -> {
                    if (offered != null && !regions.isDisposed()) {
                        regionList = List.copyOf(offered);
                        regionsKey = key;
                        regions.setItems(offered.stream().map(Region::label).toArray(String[]::new));
                    }
                    display(known, at, s, where);
                });
                return Status.OK_STATUS;
            } catch (AnalysisException | RuntimeException e) {
                table.getDisplay().asyncExec(() -> {
                    if (!target.isDisposed()) {
                        target.setText("cannot read memory of " + p.label() + ": " + e.getMessage());
                    }
                });
                return Status.error("cannot read memory of " + p.name() + ": " + e.getMessage(), e);
            }
        });
        job = j;
        j.schedule();
        return j;
    }

    /**
     * Where a process is shown from when no address is asked for: the start of its image (the image map whose
     * file ends with its name), else of its first mapped region, else its PEB.
     */
    private static long firstAddress(List<WinVad> vads, WinProcess p) {
        String name = p.name().toLowerCase(java.util.Locale.ROOT);
        for (WinVad v : vads) {
            if (v.vadType() == WinVad.IMAGE && v.file().isPresent() && v.file().get().toLowerCase(java.util
                    .Locale.ROOT).endsWith(name)) {
                return v.start();
            }
        }
        return vads.isEmpty() ? p.peb() : vads.get(0).start();
    }

    /** @return the process's VADs in tree order, or none when no profile was chosen */
    private static List<WinVad> vadsOf(WindowsKernel kernel, WinProcess p) {
        return kernel.discovery().selectedProfile().map(profile -> new VadWalker(kernel.discovery().kernel(), profile)
                .walk(p.eprocess()).vads()).orElse(List.of());
    }

    private void display(ProcessesView.ProcessSelection p, long wasAsked, Snapshot s, long at) {
        if (table.isDisposed() || asked != wasAsked) {
            return; // another address was asked for since
        }
        process = p;
        snapshot = s;
        address.setText("0x" + Long.toHexString(at));
        target.setText(p.label() + " at " + CellFormat.address(at));
        table.clearAll();
        table.setItemCount(WINDOW / 16);
        target.getParent().layout(); // the table's height is final before it is scrolled
        int row = rowOf(at);
        regions.select(regionAt(at));
        table.setSelection(row);
        scrollTo(row);
        getViewSite().getActionBars().getStatusLineManager().setMessage(rowDescription(row));
        minimap.redraw();
    }

    /**
     * Puts a row near the top of the table. The selection scrolls only as far as it must (the row lands at the
     * bottom), and GTK applies a top index only once the table's rows are measured, which a table given new
     * rows may not be yet: the top index is set now and again after the pending events, unless the analyst has
     * scrolled since.
     */
    private void scrollTo(int row) {
        pendingTop = Math.max(0, row - 2);
        topAttempts = 0;
        topHeld = 0;
        keepTop();
    }

    /**
     * Applies the top row asked for until it holds: GTK may apply a top index late, or undo it when the table
     * is measured or laid out again, so the paints after a new window check it until it has held through three
     * of them (eight tries at most), and never once the analyst has scrolled, clicked or typed in the table.
     */
    private void keepTop() {
        if (pendingTop < 0 || table.isDisposed()) {
            return;
        }
        if (table.getTopIndex() == pendingTop) {
            if (++topHeld >= 3) {
                pendingTop = -1; // it held through the paints that follow a new window
            }
            return;
        }
        if (topAttempts >= 8) {
            pendingTop = -1; // as near as the table's length lets it come
            return;
        }
        topAttempts++;
        topHeld = 0;
        table.setTopIndex(pendingTop);
    }

    /** @return the row of the window an address is on (the first row when it is outside the window) */
    public int rowOf(long at) {
        Snapshot s = snapshot;
        if (s == null || Long.compareUnsigned(at, s.address()) < 0 || at - s.address() >= WINDOW) {
            return 0;
        }
        return (int) ((at - s.address()) / 16);
    }

    /** @return the row shown at the top of the table */
    public int topRow() {
        return table.getTopIndex();
    }

    /** @return the selected row, or -1 */
    public int selectedRow() {
        return table.getSelectionIndex();
    }

    /** @return the process shown, or null */
    public ProcessesView.ProcessSelection process() {
        return process;
    }

    private void fill(TableItem item, int row) {
        Snapshot s = snapshot;
        if (s == null) {
            return;
        }
        int off = row * 16;
        PageProvenance p = s.pages()[off / PAGE];
        String hex = HexFormat.ofDelimiter(" ").formatHex(s.bytes(), off, off + 16);
        item.setText(new String[] {CellFormat.address(s.address() + off), p.isAvailable() ? hex : "?? ".repeat(16)
                .strip(), p.isAvailable() ? ascii(s.bytes(), off) : "", MissingHints.describe(p)});
        RGB background = ProvenanceColors.of(p);
        item.setBackground(color(background));
        item.setForeground(color(ProvenanceColors.textOn(background)));
    }

    /** @return 16 bytes as ASCII, a dot for each byte that is not printable */
    private static String ascii(byte[] bytes, int off) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            int b = bytes[off + i] & 0xff;
            ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return ascii.toString();
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
