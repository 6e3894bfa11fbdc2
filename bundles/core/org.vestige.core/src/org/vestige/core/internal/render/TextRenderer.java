package org.vestige.core.internal.render;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.render.Renderer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;

/**
 * An aligned text table; child rows are marked with one {@code *} per level of depth in the first
 * column.
 */
public final class TextRenderer implements Renderer {

    /** Columns wider than this are not padded further (the value is still written whole). */
    private static final int MAX_PAD = 64;

    @Override
    public void render(AnalysisResult result, Writer out) throws IOException {
        render(result, out, MissingHint.NONE);
    }

    @Override
    public void render(AnalysisResult result, Writer out, MissingHint hint) throws IOException {
        ResultTable table = result.table();
        List<Column<?>> columns = table.columns();
        List<String[]> lines = new ArrayList<>();
        table.walk((row, depth) -> {
            String[] cells = new String[columns.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = CellFormat.text(columns.get(i).type(), row.cell(i), hint);
            }
            if (depth > 0 && cells.length > 0) {
                cells[0] = "*".repeat(depth) + " " + cells[0];
            }
            lines.add(cells);
        });
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).name().length();
        }
        for (String[] l : lines) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], Math.min(MAX_PAD, l[i].length()));
            }
        }
        String[] header = columns.stream().map(Column::name).toArray(String[]::new);
        writeLine(out, header, width);
        for (String[] l : lines) {
            writeLine(out, l, width);
        }
        out.flush();
    }

    private static void writeLine(Writer out, String[] cells, int[] width) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(cells[i]);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(Math.max(1, width[i] - cells[i].length() + 1)));
            }
        }
        out.write(sb.toString().stripTrailing());
        out.write('\n');
    }
}
