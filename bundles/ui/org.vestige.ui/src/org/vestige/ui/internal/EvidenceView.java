package org.vestige.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.FormatProbe;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.ui.Cases;
import org.vestige.ui.MissingHints;
import org.vestige.ui.TreeContent;
import org.vestige.ui.VestigeUi;

/**
 * The open cases: each evidence file with its format, size and hashes, the paging files taken
 * with it, what every format's probe said, the details the format read, and what the contributed
 * {@code org.vestige.ui.evidenceDetails} analyses found (for Windows: the kernel, profile, stores and
 * every discovery attempt). Selecting a case makes it the one analyses run on.
 */
public final class EvidenceView extends ViewPart {

    public static final String ID = "org.vestige.ui.evidence";

    /** A row of the evidence tree. */
    record Node(String label, String value, Object source, List<Node> children) {
    }

    private TreeViewer viewer;
    private final Cases.Listener listener = cases -> refreshLater();
    private final Runnable detailsListener = this::refreshLater;

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TreeViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        column("Item", 220, n -> n.label());
        column("Value", 420, n -> n.value());
        viewer.setContentProvider(TreeContent.ofList(e -> ((Node) e).children()));
        getSite().setSelectionProvider(viewer);
        VestigeUi.get().cases().addListener(listener);
        CaseDetails.addListener(detailsListener);
        refresh();
    }

    private void column(String title, int width, java.util.function.Function<Node, String> text) {
        TreeViewerColumn c = new TreeViewerColumn(viewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((Node) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return text.apply((Node) element);
            }
        });
    }

    private void refresh() {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        List<Node> roots = new ArrayList<>();
        for (Cases.OpenCase c : VestigeUi.get().cases().all()) {
            roots.add(caseNode(c));
        }
        Object[] expanded = viewer.getExpandedElements();
        viewer.setInput(roots);
        viewer.expandToLevel(2);
        for (Object e : expanded) {
            viewer.setExpandedState(e, true);
        }
    }

    private void refreshLater() {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(this::refresh);
        }
    }

    static Node caseNode(Cases.OpenCase open) {
        EvidenceCase c = open.evidence();
        OpenedEvidence e = c.evidence();
        List<Node> kids = new ArrayList<>();
        kids.add(fileNode("Image", c.image(), e.formatId()));
        for (EvidenceCase.SuppliedPagefile p : c.pagefiles()) {
            kids.add(fileNode(p.slot() >= 0 ? "Pagefile " + p.slot() : "Pagefile", p.record(), "raw pages"));
        }
        for (OpenedEvidence.BackingFile b : e.backing()) {
            kids.add(new Node("Pagefile in evidence", b.name() + (b.slot() >= 0 ? " (page-file number " + b.slot()
                    + ")" : ""), b, List.of()));
        }
        List<Node> probes = new ArrayList<>();
        for (FormatProbe p : c.probes()) {
            probes.add(new Node(p.formatName(), p.result().confidence() + "% — " + p.result().explanation(), p,
                    List.of()));
        }
        kids.add(new Node("Format probes", probes.size() + " formats asked; opened as " + e.formatId(), null,
                probes));
        List<Node> details = new ArrayList<>();
        for (Map.Entry<String, String> d : e.properties().entrySet()) {
            details.add(new Node(d.getKey(), d.getValue(), null, List.of()));
        }
        kids.add(new Node("Format details", e.formatId(), null, details));
        for (CaseDetails.Detail d : CaseDetails.of(open)) {
            kids.add(detailNode(d));
        }
        return new Node(open.label(), c.image().path().toString(), open, kids);
    }

    private static Node detailNode(CaseDetails.Detail d) {
        if (d.running()) {
            return new Node(d.name(), "running " + d.analysisId() + "...", d, List.of());
        }
        if (d.result() == null) {
            return new Node(d.name(), d.analysisId() + " gave no result: " + d.problem(), d, List.of());
        }
        AnalysisResult r = d.result();
        List<Node> rows = new ArrayList<>();
        for (Row row : r.table().rows()) {
            rows.add(rowNode(r.table().columns(), row));
        }
        for (Diagnostic diagnostic : r.diagnostics()) {
            rows.add(new Node(diagnostic.severity().toString().toLowerCase(java.util.Locale.ROOT), diagnostic
                    .subject() + ": " + diagnostic.message(), diagnostic, List.of()));
        }
        return new Node(d.name(), "from " + d.analysisId(), d, rows);
    }

    /**
     * A result row as label (first column) and value (the other columns), missing cells with their reason; a cell
     * that does not apply to the row is left out.
     */
    private static Node rowNode(List<Column<?>> columns, Row row) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 1; i < columns.size(); i++) {
            if (!Unavailable.NOT_APPLICABLE.equals(row.cell(i))) {
                shown.add(i); // a column with nothing for this row (a time on a row that is not one) is left out
            }
        }
        List<String> values = new ArrayList<>();
        for (int i : shown) {
            String text = cellText(columns.get(i), row.cell(i));
            values.add(shown.size() == 1 ? text : columns.get(i).name() + " " + text);
        }
        List<Node> children = new ArrayList<>();
        for (Row child : row.children()) {
            children.add(rowNode(columns, child));
        }
        return new Node(columns.isEmpty() ? "" : cellText(columns.get(0), row.cell(0)), String.join(", ", values), row,
                children);
    }

    private static String cellText(Column<?> column, Object cell) {
        return cell instanceof Unavailable u ? MissingHints.describe(u) : CellFormat.text(column.type(), cell);
    }

    private static Node fileNode(String role, EvidenceRecord r, String format) {
        List<Node> kids = new ArrayList<>();
        kids.add(new Node("Path", r.path().toString(), null, List.of()));
        kids.add(new Node("Format", format, null, List.of()));
        kids.add(new Node("Size", String.format("%,d bytes", r.size()), null, List.of()));
        kids.add(new Node("Modified", r.modified().toString(), null, List.of()));
        kids.add(new Node("Opened", r.openedAt() + " (read-only)", null, List.of()));
        if (r.digests() != null) {
            kids.add(new Node("MD5", r.digests().md5(), null, List.of()));
            kids.add(new Node("SHA-1", r.digests().sha1(), null, List.of()));
            kids.add(new Node("SHA-256", r.digests().sha256(), null, List.of()));
            kids.add(new Node("Hashed", r.digestOrigin(), null, List.of()));
        } else {
            kids.add(new Node("Hashes", "not hashed", null, List.of()));
        }
        return new Node(role, r.path().getFileName().toString(), r, kids);
    }

    /** @return the case selected in the view, else the only or most recent open case */
    public static Cases.OpenCase currentCase(org.eclipse.ui.IWorkbenchPage page) {
        List<Cases.OpenCase> all = VestigeUi.get().cases().all();
        if (page != null && page.findView(ID) instanceof EvidenceView v && v.viewer != null) {
            Object first = v.viewer.getStructuredSelection().getFirstElement();
            if (first instanceof Node n && n.source() instanceof Cases.OpenCase oc) {
                return oc;
            }
        }
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public TreeViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        VestigeUi.get().cases().removeListener(listener);
        CaseDetails.removeListener(detailsListener);
        super.dispose();
    }
}
