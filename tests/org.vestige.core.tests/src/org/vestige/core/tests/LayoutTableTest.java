package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;

import org.junit.Test;
import org.vestige.core.types.LayoutTable;

/** Layout tables: comments and blank lines skipped, rows kept with their line numbers, bad rows named. */
public class LayoutTableTest {

    @Test
    public void rowsKeepTheirLineNumbers() {
        List<LayoutTable.Row> rows = LayoutTable.rows("# build offset\n\n19041 0x28\r\n  26100\t0x30  \n", "t.txt", 2);
        assertEquals(2, rows.size());
        assertEquals(3, rows.get(0).number());
        assertEquals(List.of("26100", "0x30"), rows.get(1).fields());
        assertEquals("0x30", rows.get(1).field(1));
    }

    @Test
    public void malformedRowsAreNamedByLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayoutTable.rows(
                "# x\n19041 0x28 extra\n", "t.txt", 2));
        assertEquals("t.txt line 2: 2 columns expected, 3 found", e.getMessage());
        LayoutTable.Row row = LayoutTable.rows("a b", "t.txt", 2).get(0);
        assertEquals("t.txt line 1: For input string: \"a\"", LayoutTable.malformed("t.txt", row,
                new NumberFormatException("For input string: \"a\"")).getMessage());
    }
}
