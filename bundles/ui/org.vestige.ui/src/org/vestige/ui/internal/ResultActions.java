package org.vestige.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.ui.VestigeUi;

/**
 * The {@code org.vestige.ui.resultActions} contributions: follow-up analyses a Results view offers on the rows of
 * one analysis, each setting one option of the analysis it runs from one column of the selected row.
 */
final class ResultActions {

    static final String EXTENSION_POINT = VestigeUi.ID + ".resultActions";

    /**
     * One follow-up analysis.
     *
     * @param label   the menu label
     * @param run     the analysis it runs
     * @param options the options the row sets, each from one column (the first is the action's own; the others
     *                its {@code also} elements, e.g. a module dump's pid and base)
     */
    record Action(String label, PluginDescriptor run, List<OptionFromColumn> options) {

        /** One option of the analysis run and the column whose cell gives its value. */
        record OptionFromColumn(String option, String column) {
        }

        /**
         * @return the options to run with for a row of {@code table}, or {@code null} when the row does not offer
         *         the action (the table lacks one of the columns, or one of the row's cells is unavailable)
         */
        Options optionsFor(ResultTable table, Row row) {
            Map<String, List<String>> given = new LinkedHashMap<>();
            for (OptionFromColumn o : options) {
                String value = cellText(table, row, o.column());
                if (value == null) {
                    return null;
                }
                given.put(o.option(), List.of(value));
            }
            return Options.parse(run.info(), given);
        }

        private static String cellText(ResultTable table, Row row, String column) {
            for (Column<?> c : table.columns()) {
                if (c.name().equals(column)) {
                    Object cell = row.cell(c);
                    return cell instanceof Long n ? (c.type() == ColumnType.ADDRESS ? "0x" + Long.toHexString(n)
                            : Long.toString(n)) : cell instanceof String s ? s : null;
                }
            }
            return null;
        }
    }

    private ResultActions() {
    }

    /** @return the installed actions offered on the rows of analysis {@code id}, in contribution order */
    static List<Action> on(String id) {
        List<Action> found = new ArrayList<>();
        for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            if (!id.equals(e.getAttribute("on"))) {
                continue;
            }
            String label = e.getAttribute("label");
            List<Action.OptionFromColumn> options = new ArrayList<>();
            options.add(new Action.OptionFromColumn(e.getAttribute("option"), e.getAttribute("column")));
            for (IConfigurationElement also : e.getChildren("also")) {
                options.add(new Action.OptionFromColumn(also.getAttribute("option"), also.getAttribute("column")));
            }
            if (label == null || options.stream().anyMatch(o -> o.option() == null || o.column() == null)) {
                VestigeUi.get().getLog().warn(e.getContributor().getName() + ": a resultActions action needs a "
                        + "label, an analysis to run, and an option and a column (on it and on each also)");
                continue;
            }
            // offered only when the analysis is installed and declares every option the action sets
            VestigeUi.get().extensions().plugin(String.valueOf(e.getAttribute("run"))).filter(p -> options.stream()
                    .allMatch(o -> p.info().options().stream().anyMatch(d -> d.name().equals(o.option())))).ifPresent(
                            p -> found.add(new Action(label, p, List.copyOf(options))));
        }
        return found;
    }
}
