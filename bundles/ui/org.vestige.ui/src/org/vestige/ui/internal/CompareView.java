package org.vestige.ui.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Row;
import org.vestige.ui.ResultTable;

/**
 * Two results side by side, the rows of each that the other does not hold highlighted: the same analysis
 * on two cases (before and after), or two analyses that should agree (pslist and psscan). Rows are matched
 * by the text of the columns both results have, so results with different columns compare on what they share.
 */
public final class CompareView extends ViewPart {

    public static final String ID = "org.vestige.ui.compare";

    private SashForm sash;
    private Label header;
    private ResultTable left;
    private ResultTable right;
    private final Set<Row> onlyLeft = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Row> onlyRight = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        header = new Label(parent, SWT.NONE);
        header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        header.setText("Compare two results: Compare With... in a Results view's menu.");
        sash = new SashForm(parent, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    }

    /** Shows two results side by side with their differences highlighted. */
    public void compare(String leftName, AnalysisResult a, String rightName, AnalysisResult b) {
        if (left != null) {
            left.dispose();
            right.dispose();
        }
        List<String> shared = a.table().columns().stream().map(Column::name).filter(n -> b.table().columns()
                .stream().anyMatch(c -> c.name().equals(n))).toList();
        Map<String, Integer> keysA = keys(a, shared);
        Map<String, Integer> keysB = keys(b, shared);
        onlyLeft.clear();
        onlyRight.clear();
        differences(a, shared, keysB, onlyLeft);
        differences(b, shared, keysA, onlyRight);
        left = new ResultTable(sash, a, null);
        right = new ResultTable(sash, b, null);
        left.highlight(onlyLeft::contains);
        right.highlight(onlyRight::contains);
        setPartName("Compare " + a.pluginId() + (a.pluginId().equals(b.pluginId()) ? "" : " / " + b.pluginId()));
        header.setText(leftName + " (" + a.table().rowCount() + " rows, " + onlyLeft.size() + " not in the other)  |  "
                + rightName + " (" + b.table().rowCount() + " rows, " + onlyRight.size()
                + " not in the other); compared on " + String.join(", ", shared));
        sash.layout(true, true);
        header.getParent().layout(true, true);
    }

    /** The rows of a result whose key is not among the other's (as many times as it is there, for duplicates). */
    private static void differences(AnalysisResult r, List<String> shared, Map<String, Integer> other, Set<Row> out) {
        Map<String, Integer> left = new HashMap<>(other);
        List<Column<?>> columns = columns(r, shared);
        r.table().walk((row, depth) -> {
            String k = key(columns, row);
            Integer n = left.get(k);
            if (n == null || n == 0) {
                out.add(row);
            } else {
                left.put(k, n - 1);
            }
        });
    }

    private static Map<String, Integer> keys(AnalysisResult r, List<String> shared) {
        Map<String, Integer> out = new HashMap<>();
        List<Column<?>> columns = columns(r, shared);
        r.table().walk((row, depth) -> out.merge(key(columns, row), 1, Integer::sum));
        return out;
    }

    private static String key(List<Column<?>> columns, Row row) {
        StringBuilder b = new StringBuilder();
        for (Column<?> c : columns) {
            b.append(CellFormat.text(c.type(), row.cell(c))).append('\u0000');
        }
        return b.toString();
    }

    /** @return a result's columns named in a list, in the list's order */
    private static List<Column<?>> columns(AnalysisResult r, List<String> names) {
        return names.stream().<Column<?>>map(n -> r.table().columns().stream().filter(c -> c.name().equals(n))
                .findFirst().orElseThrow()).toList();
    }

    /** @return the rows of the left result the right one does not hold */
    public Set<Row> onlyLeft() {
        return Collections.unmodifiableSet(onlyLeft);
    }

    /** @return the rows of the right result the left one does not hold */
    public Set<Row> onlyRight() {
        return Collections.unmodifiableSet(onlyRight);
    }

    /** @return the line above the two results */
    public String summary() {
        return header.getText();
    }

    @Override
    public void setFocus() {
        sash.setFocus();
    }
}
