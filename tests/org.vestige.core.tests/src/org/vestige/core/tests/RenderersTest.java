package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;

import org.junit.Test;
import org.vestige.core.internal.render.CsvRenderer;
import org.vestige.core.internal.render.JsonLinesRenderer;
import org.vestige.core.internal.render.TextRenderer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.render.Renderer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.MissingText;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class RenderersTest {

    static final Column<Long> PID = Column.pid("PID");
    static final Column<String> NAME = Column.string("Name");
    static final Column<Long> BASE = Column.address("Base");
    static final Column<Instant> CREATED = Column.time("Created");
    static final Column<PageProvenance> FROM = Column.provenance("From");

    private static AnalysisResult sample() {
        ResultTable t = ResultTable.of(PID, NAME, BASE, CREATED, FROM);
        Row system = t.addRow().set(PID, 4L).set(NAME, "System").set(BASE, 0xfffff8047c600000L).set(CREATED,
                Instant.parse("2024-05-01T10:00:00Z")).set(FROM, new PageProvenance.Physical(0x1ad000));
        system.addChild().set(PID, 388L).set(NAME, "smss, \"the\" session manager").missing(BASE,
                "paged out to pagefile.sys (slot 0) at offset 0x1a000").set(FROM, new PageProvenance.Pagefile(0,
                        0x1a000, "pagefile.sys"));
        return new AnalysisResult("test.sample", t);
    }

    private static String render(Renderer r) throws IOException {
        StringWriter w = new StringWriter();
        r.render(sample(), w);
        return w.toString();
    }

    @Test
    public void textIsAlignedAndMarksDepthAndMissingReasons() throws IOException {
        String[] lines = render(new TextRenderer()).split("\n");
        assertEquals(3, lines.length);
        // every column starts at the same position on every line
        int[] header = {0, lines[0].indexOf("Name"), lines[0].indexOf("Base"), lines[0].indexOf("Created"),
                lines[0].indexOf("From")};
        assertEquals(header[1], lines[1].indexOf("System"));
        assertEquals(header[2], lines[1].indexOf("0xfffff8047c600000"));
        assertEquals(header[3], lines[1].indexOf("2024-05-01T10:00:00Z"));
        assertEquals(header[4], lines[1].indexOf("ram @ 0x1ad000"));
        assertTrue(lines[2], lines[2].startsWith("* 388 "));
        assertEquals(header[1], lines[2].indexOf("smss, \"the\" session manager"));
        assertEquals(header[2], lines[2].indexOf("[paged out to pagefile.sys (slot 0) at offset 0x1a000]"));
        assertEquals(header[3], lines[2].indexOf("- "));
        assertEquals(header[4], lines[2].indexOf("pagefile 0 (pagefile.sys) @ 0x1a000"));
    }

    @Test
    public void jsonLinesAreTypedAndNestChildren() throws IOException {
        String out = render(new JsonLinesRenderer());
        String[] lines = out.split("\n");
        assertEquals(1, lines.length);
        JsonNode row = new ObjectMapper().readTree(lines[0]);
        assertEquals(4, row.get("PID").asLong());
        assertEquals("0xfffff8047c600000", row.get("Base").asText());
        assertEquals("2024-05-01T10:00:00Z", row.get("Created").asText());
        assertEquals("ram", row.get("From").get("kind").asText());
        JsonNode child = row.get("__children").get(0);
        assertEquals(388, child.get("PID").asLong());
        assertEquals("paged out to pagefile.sys (slot 0) at offset 0x1a000", child.get("Base").get("unavailable")
                .asText());
        assertEquals(true, child.get("Created").isNull());
        assertEquals(0, child.get("From").get("slot").asInt());
        assertEquals("0x1a000", child.get("From").get("offset").asText());
    }

    @Test
    public void csvQuotesAndFlattensWithDepth() throws IOException {
        String out = render(new CsvRenderer());
        assertEquals("Depth,PID,Name,Base,Created,From\r\n"
                + "0,4,System,0xfffff8047c600000,2024-05-01T10:00:00Z,ram @ 0x1ad000\r\n"
                + "1,388,\"smss, \"\"the\"\" session manager\",[paged out to pagefile.sys (slot 0) at offset 0x1a000],,"
                + "pagefile 0 (pagefile.sys) @ 0x1a000\r\n", out);
    }

    /** A row whose missing cell and missing provenance carry their cause. */
    private static AnalysisResult withCauses() {
        ResultTable t = ResultTable.of(PID, BASE, FROM);
        PageProvenance.Missing pagedOut = new PageProvenance.Missing(new MissingCause.PagedOut(0, 0x1a000),
                "paged out to pagefile.sys (slot 0) at offset 0x1a000");
        PageProvenance.Missing gap = new PageProvenance.Missing(new MissingCause.OutsideImage(), "beyond the image");
        t.addRow().set(PID, 388L).setCell(BASE, Unavailable.of(pagedOut)).set(FROM, pagedOut);
        t.addRow().set(PID, 4L).setCell(BASE, Unavailable.of(gap)).set(FROM, gap);
        return new AnalysisResult("test.causes", t);
    }

    private static final MissingHint HINT = cause -> cause instanceof MissingCause.PagedOut p ? "; attach paging file "
            + p.slot() : "";

    private static String render(Renderer r, MissingHint hint) throws IOException {
        StringWriter w = new StringWriter();
        r.render(withCauses(), w, hint);
        return w.toString();
    }

    @Test
    public void everyRendererAddsTheFrontEndsHintFromTheCauseAndNothingWithoutOne() throws IOException {
        String csv = render(new CsvRenderer(), HINT);
        assertEquals("Depth,PID,Base,From\r\n"
                + "0,388,[paged out to pagefile.sys (slot 0) at offset 0x1a000; attach paging file 0],"
                + "missing: paged out to pagefile.sys (slot 0) at offset 0x1a000; attach paging file 0\r\n"
                + "0,4,[beyond the image],missing: beyond the image\r\n", csv);
        String[] text = render(new TextRenderer(), HINT).split("\n");
        assertTrue(text[1], text[1].contains("[paged out to pagefile.sys (slot 0) at offset 0x1a000; attach paging file 0]"));
        assertTrue(text[2], text[2].contains("[beyond the image]"));
        JsonNode json = new ObjectMapper().readTree(render(new JsonLinesRenderer(), HINT).split("\n")[0]);
        assertEquals("paged out to pagefile.sys (slot 0) at offset 0x1a000; attach paging file 0", json.get("Base").get(
                "unavailable").asText());
        assertEquals("paged out to pagefile.sys (slot 0) at offset 0x1a000; attach paging file 0", json.get("From").get(
                "reason").asText());
        // the two-argument form is the reason alone: what an export outside any front end writes
        StringWriter plain = new StringWriter();
        new JsonLinesRenderer().render(withCauses(), plain);
        assertEquals("paged out to pagefile.sys (slot 0) at offset 0x1a000", new ObjectMapper().readTree(plain
                .toString().split("\n")[0]).get("Base").get("unavailable").asText());
    }

    @Test
    public void textTellingOfMissingBytesIsTextWithTheFrontEndsHint() throws IOException {
        Column<String> detail = Column.string("Detail");
        ResultTable t = ResultTable.of(PID, detail);
        t.addRow().set(PID, 8L).setCell(detail, new MissingText("left out: paged out", new MissingCause.PagedOut(0,
                0x2000)));
        t.addRow().set(PID, 9L).setCell(detail, new MissingText("left out: not captured", new MissingCause
                .NotCaptured()));
        AnalysisResult r = new AnalysisResult("test.text", t);
        StringWriter json = new StringWriter();
        new JsonLinesRenderer().render(r, json, HINT);
        String[] lines = json.toString().split("\n");
        // a string, not a missing value: the row is there and says what is missing
        assertEquals("left out: paged out; attach paging file 0", new ObjectMapper().readTree(lines[0]).get("Detail")
                .asText());
        assertEquals("left out: not captured", new ObjectMapper().readTree(lines[1]).get("Detail").asText());
        StringWriter csv = new StringWriter();
        new CsvRenderer().render(r, csv, HINT);
        assertTrue(csv.toString(), csv.toString().contains("0,8,left out: paged out; attach paging file 0\r\n"));
        assertEquals("left out: paged out", CellFormat.text(ColumnType.STRING, t.rows().get(0).cell(detail)));
        try {
            ResultTable.of(PID).addRow().setCell(PID, new MissingText("x", new MissingCause.NotMapped()));
            fail("a number column took text");
        } catch (IllegalArgumentException e) {
            // only text columns hold text
        }
    }

    @Test
    public void aMissingValueWithoutACauseGetsNoHint() {
        assertEquals("[not recorded]", CellFormat.text(ColumnType.STRING, new Unavailable("not recorded"), c -> "; hint"));
        assertEquals("-", CellFormat.text(ColumnType.STRING, Unavailable.NOT_APPLICABLE, c -> "; hint"));
        assertEquals("[gone; hint]", CellFormat.text(ColumnType.STRING, new Unavailable("gone", new MissingCause
                .NotMapped()), c -> "; hint"));
    }
}
