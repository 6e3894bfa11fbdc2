package org.vestige.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Row;

/**
 * A row of a result as a {@link Subject}: its process (the first process-id column) and its virtual
 * address (the column holding where something starts, else the first address column).
 *
 * @param openCase the case the result is of, or null
 * @param result   the result the row is of
 * @param row      the row
 * @since 0.1
 */
public record ResultRow(Cases.OpenCase openCase, AnalysisResult result, Row row) implements Subject {

    /** Address columns that say where a row's thing starts, the first of them found being the row's address. */
    private static final List<String> STARTS = List.of("Virtual", "Base", "Start VPN", "Start", "Offset(V)");

    @Override
    public String label() {
        return result.pluginId() + " row " + optionValues();
    }

    @Override
    public Map<String, String> optionValues() {
        Map<String, String> values = new LinkedHashMap<>();
        List<Column<?>> columns = result.table().columns();
        Column<?> address = null;
        for (Column<?> c : columns) {
            Object cell = row.cell(c);
            if (!(cell instanceof Long v)) {
                continue;
            }
            if (c.type() == ColumnType.PID) {
                values.putIfAbsent(PID, Long.toString(v));
            } else if (c.type() == ColumnType.ADDRESS && (address == null || rank(c) < rank(address))) {
                address = c;
            }
        }
        if (address != null) {
            values.put(ADDRESS, "0x" + Long.toHexString((Long) row.cell(address)));
        }
        return values;
    }

    private static int rank(Column<?> c) {
        int i = STARTS.indexOf(c.name());
        return i < 0 ? STARTS.size() : i;
    }
}
