package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

public class ResultModelTest {

    static final Column<Long> PID = Column.pid("PID");
    static final Column<String> NAME = Column.string("Name");
    static final Column<Long> BASE = Column.address("Base");

    @Test
    public void valuesAreReadBackThroughTheirColumns() {
        ResultTable t = ResultTable.of(PID, NAME, BASE);
        Row r = t.addRow().set(PID, 4L).set(NAME, "System").set(BASE, 0xfffff80000000000L);
        assertEquals(Long.valueOf(4), r.get(PID));
        assertEquals("System", r.get(NAME));
        assertEquals(0xfffff80000000000L, (long) r.get(BASE));
    }

    @Test
    public void missingValuesCarryTheirReasonAndReadAsNull() {
        ResultTable t = ResultTable.of(PID, NAME);
        Row r = t.addRow().set(PID, 612L).missing(NAME, "PEB paged out to pagefile.sys (slot 0)");
        assertNull(r.get(NAME));
        assertEquals(new Unavailable("PEB paged out to pagefile.sys (slot 0)"), r.cell(NAME));
        assertEquals(Unavailable.NOT_APPLICABLE, t.addRow().cell(PID));
    }

    @Test
    public void aColumnOfAnotherTableIsRejected() {
        ResultTable t = ResultTable.of(PID);
        Column<String> foreign = Column.string("Other");
        assertThrows(IllegalArgumentException.class, () -> t.addRow().set(foreign, "x"));
        assertThrows(IllegalArgumentException.class, () -> ResultTable.of(PID, PID));
    }

    @Test
    public void treesAreWalkedDepthFirstAndSortedAtEveryLevel() {
        ResultTable t = ResultTable.of(PID, NAME);
        Row system = t.addRow().set(PID, 4L).set(NAME, "System");
        Row smss = system.addChild().set(PID, 388L).set(NAME, "smss.exe");
        system.addChild().set(PID, 96L).set(NAME, "Registry");
        smss.addChild().set(PID, 500L).set(NAME, "csrss.exe");
        t.addRow().set(PID, 1L).set(NAME, "orphan");
        t.sort((a, b) -> Long.compare(a.get(PID), b.get(PID)));
        List<String> order = new ArrayList<>();
        t.walk((row, depth) -> order.add(depth + ":" + row.get(NAME)));
        assertEquals(List.of("0:orphan", "0:System", "1:Registry", "1:smss.exe", "2:csrss.exe"), order);
        assertEquals(5, t.rowCount());
        assertTrue(system.children().size() == 2);
    }
}
