package org.vestige.core.internal.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.render.Renderer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Unavailable;

/**
 * RFC 4180 CSV: a header, then one record per row at every depth, with a leading {@code Depth}
 * column so trees survive the flattening.
 */
public final class CsvRenderer implements Renderer {

    @Override
    public void render(AnalysisResult result, Writer out) throws IOException {
        render(result, out, MissingHint.NONE);
    }

    @Override
    public void render(AnalysisResult result, Writer out, MissingHint hint) throws IOException {
        List<Column<?>> columns = result.table().columns();
        StringBuilder header = new StringBuilder("Depth");
        for (Column<?> c : columns) {
            header.append(',').append(quote(c.name()));
        }
        out.write(header.append("\r\n").toString());
        IOException[] failure = new IOException[1];
        result.table().walk((row, depth) -> {
            if (failure[0] != null) {
                return;
            }
            StringBuilder sb = new StringBuilder().append(depth);
            for (int i = 0; i < columns.size(); i++) {
                Object cell = row.cell(i);
                sb.append(',');
                if (!(cell instanceof Unavailable u) || !CellFormat.notApplicable(u)) {
                    sb.append(quote(CellFormat.text(columns.get(i).type(), cell, hint)));
                }
            }
            try {
                out.write(sb.append("\r\n").toString());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.flush();
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
