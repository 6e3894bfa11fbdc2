package org.vestige.plugin.windows;

import java.util.HexFormat;
import java.util.function.Consumer;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

/**
 * The rows of the YARA analyses: one per match (address, length, rule, string, its bytes in hex and where its
 * page came from) and one per range of memory that could not be read (its length and, as the source, the
 * typed cause), each with cells saying whose memory it is.
 */
final class YaraFindings implements YaraScanner.Sink {

    static final Column<Long> PID = Column.pid("PID");
    static final Column<String> PROCESS = Column.string("Process");
    static final Column<Long> ADDRESS = Column.address("Address");
    static final Column<Long> LENGTH = Column.size("Length");
    static final Column<String> RULE = Column.string("Rule");
    static final Column<String> STRING = Column.string("String");
    static final Column<String> DATA = Column.string("Data");
    static final Column<PageProvenance> SOURCE = Column.provenance("Source");

    /** The most bytes of a match shown. */
    static final int SHOWN = 32;

    private final ResultTable table;
    private final long limit;
    private long matches;
    private long unread;
    private Consumer<Row> owner = row -> {
    };

    YaraFindings(ResultTable table, long limit) {
        this.table = table;
        this.limit = limit;
    }

    /** Sets whose memory the next rows are from: fills the PID, process and any other such cells. */
    void owner(Consumer<Row> cells) {
        owner = cells;
    }

    /** Whose memory: a process. */
    static Consumer<Row> process(long pid, String name) {
        return row -> row.set(PID, pid).set(PROCESS, name);
    }

    /** Whose memory: none's (the kernel's, or physical memory), named. */
    static Consumer<Row> noProcess(String what) {
        return row -> row.setCell(PID, Unavailable.NOT_APPLICABLE).set(PROCESS, "(" + what + ")");
    }

    long matches() {
        return matches;
    }

    long unread() {
        return unread;
    }

    @Override
    public boolean hit(YaraScanner.Hit hit) {
        Row row = table.addRow();
        owner.accept(row);
        row.set(ADDRESS, hit.address()).set(LENGTH, (long) hit.length()).set(RULE, hit.rule()).set(SOURCE, hit
                .provenance());
        if (hit.string() == null) {
            row.missing(STRING, "the rule's condition held without a string match").missing(DATA,
                    "the rule's condition held without a string match");
        } else {
            byte[] data = hit.data();
            int shown = Math.min(SHOWN, data.length);
            row.set(STRING, hit.string()).set(DATA, HexFormat.of().formatHex(data, 0, shown) + (hit.length() > shown
                    ? "…" : ""));
        }
        return ++matches < limit;
    }

    @Override
    public void unread(long address, long length, PageProvenance.Missing why) {
        Row row = table.addRow();
        owner.accept(row);
        long pages = length + 0xfff >>> 12;
        row.set(ADDRESS, address).set(LENGTH, length).missing(RULE, "not scanned: " + pages + (pages == 1
                ? " page" : " pages") + " could not be read").setCell(STRING, Unavailable.NOT_APPLICABLE).setCell(
                        DATA, Unavailable.NOT_APPLICABLE).set(SOURCE, why);
        unread++;
    }
}
