package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.vestige.cli.internal.CliHints;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Unavailable;

/** The command line's hints are decided by the cause of a missing value, never by its text. */
public class CliHintsTest {

    @Test
    public void aPagedOutPageNamesThePagefileOption() {
        PageProvenance.Missing m = new PageProvenance.Missing(new MissingCause.PagedOut(1, 0x3000),
                "paged out to swapfile.sys (slot 1) at offset 0x3000");
        assertEquals("missing: paged out to swapfile.sys (slot 1) at offset 0x3000; supply it with --pagefile",
                CellFormat.provenance(m, CliHints.INSTANCE));
        assertEquals("[paged out to swapfile.sys (slot 1) at offset 0x3000; supply it with --pagefile]", CellFormat
                .text(ColumnType.STRING, Unavailable.of(m), CliHints.INSTANCE));
    }

    @Test
    public void otherCausesKeepTheirReasonAlone() {
        String why = "compressed, store reading disabled (virtual store page-file number 2, page 0x1f)";
        assertEquals(why, CellFormat.reason(new Unavailable(why, MissingCause.StoreUnavailable.disabled(2,
                "compressed")), CliHints.INSTANCE));
        assertEquals("not mapped (PTE is zero)", CellFormat.reason(new PageProvenance.Missing(new MissingCause
                .NotMapped(), "not mapped (PTE is zero)"), CliHints.INSTANCE));
        // a reason that merely reads like a paged-out page gets no hint without the cause
        assertEquals("[paged out to pagefile.sys (slot 0) at offset 0x1000]", CellFormat.text(ColumnType.STRING,
                new Unavailable("paged out to pagefile.sys (slot 0) at offset 0x1000"), CliHints.INSTANCE));
    }
}
