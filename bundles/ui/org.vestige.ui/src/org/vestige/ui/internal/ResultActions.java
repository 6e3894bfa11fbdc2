package org.vestige.ui.internal;

import java.util.ArrayList;
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
     * @param label  the menu label
     * @param run    the analysis it runs
     * @param option the option the row sets
     * @param column the column whose cell gives the option's value
     */
    record Action(String label, PluginDescriptor run, String option, String column) {

        /**
         * @return the options to run with for a row of {@code table}, or {@code null} when the row does not offer
         *         the action (the table has no such column, or the row's cell is unavailable)
         */
        Options optionsFor(ResultTable table, Row row) {
            for (Column<?> c : table.columns()) {
                if (c.name().equals(column)) {
                    Object cell = row.cell(c);
                    String value = cell instanceof Long n ? (c.type() == ColumnType.ADDRESS ? "0x" + Long
                            .toHexString(n) : Long.toString(n)) : cell instanceof String s ? s : null;
                    return value == null ? null : Options.parse(run.info(), Map.of(option, List.of(value)));
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
            String option = e.getAttribute("option");
            String column = e.getAttribute("column");
            if (label == null || option == null || column == null) {
                VestigeUi.get().getLog().warn(e.getContributor().getName() + ": a resultActions action needs a "
                        + "label, an analysis to run, an option and a column");
                continue;
            }
            VestigeUi.get().extensions().plugin(String.valueOf(e.getAttribute("run"))).filter(p -> p.info()
                    .options().stream().anyMatch(o -> o.name().equals(option))).ifPresent(p -> found.add(
                            new Action(label, p, option, column)));
        }
        return found;
    }
}
