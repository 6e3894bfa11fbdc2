package org.vestige.core.internal.render;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.render.Renderer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * JSON lines: one object per top-level row, keyed by column name, children nested under
 * {@code "__children"}. Addresses are 0x-prefixed hex strings (64-bit values do not survive JSON
 * number parsing in many consumers), integers and sizes are numbers, times ISO-8601 UTC strings,
 * provenance an object with its kind and fields, and a missing value
 * {@code {"unavailable": "reason"}}.
 */
public final class JsonLinesRenderer implements Renderer {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    @Override
    public void render(AnalysisResult result, Writer out) throws IOException {
        render(result, out, MissingHint.NONE);
    }

    @Override
    public void render(AnalysisResult result, Writer out, MissingHint hint) throws IOException {
        List<Column<?>> columns = result.table().columns();
        for (Row row : result.table().rows()) {
            try (JsonGenerator g = FACTORY.createGenerator(new NonClosingWriter(out))) {
                writeRow(g, columns, row, hint);
            }
            out.write('\n');
        }
        out.flush();
    }

    private static void writeRow(JsonGenerator g, List<Column<?>> columns, Row row, MissingHint hint) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Column<?> c = columns.get(i);
            g.writeFieldName(c.name());
            writeCell(g, c, row.cell(i), hint);
        }
        if (!row.children().isEmpty()) {
            g.writeArrayFieldStart("__children");
            for (Row child : row.children()) {
                writeRow(g, columns, child, hint);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeCell(JsonGenerator g, Column<?> c, Object cell, MissingHint hint) throws IOException {
        if (cell instanceof Unavailable u) {
            if (u.equals(Unavailable.NOT_APPLICABLE)) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("unavailable", CellFormat.reason(u, hint));
                g.writeEndObject();
            }
            return;
        }
        switch (c.type()) {
            case ADDRESS -> g.writeString(CellFormat.address((Long) cell));
            case INTEGER, PID, SIZE -> g.writeNumber((Long) cell);
            case BOOLEAN -> g.writeBoolean((Boolean) cell);
            case TIME -> g.writeString(CellFormat.text(c.type(), (Instant) cell));
            case PROVENANCE -> writeProvenance(g, (PageProvenance) cell, hint);
            default -> g.writeString(CellFormat.text(c.type(), cell, hint));
        }
    }

    private static void writeProvenance(JsonGenerator g, PageProvenance p, MissingHint hint) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", p.kind());
        switch (p) {
            case PageProvenance.Evidence e -> {
                g.writeStringField("source", e.source());
                g.writeStringField("offset", CellFormat.address(e.offset()));
            }
            case PageProvenance.Physical ph -> g.writeStringField("physical", CellFormat.address(ph.physicalAddress()));
            case PageProvenance.Transition t -> g.writeStringField("physical", CellFormat.address(t.physicalAddress()));
            case PageProvenance.Pagefile pf -> {
                g.writeNumberField("slot", pf.slot());
                g.writeStringField("file", pf.file());
                g.writeStringField("offset", CellFormat.address(pf.offset()));
            }
            case PageProvenance.Compressed cp -> {
                g.writeStringField("key", CellFormat.address(cp.key()));
                g.writeNumberField("store", cp.store());
                g.writeNumberField("region", cp.region());
            }
            case PageProvenance.DemandZero d -> {
                // the kind says it all
            }
            case PageProvenance.FileBacked f -> {
                g.writeStringField("file", f.file());
                g.writeStringField("offset", CellFormat.address(f.offset()));
            }
            case PageProvenance.Missing m -> g.writeStringField("reason", CellFormat.reason(m, hint));
        }
        g.writeEndObject();
    }

    /** Lets one generator per line write to the shared writer without closing it. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
