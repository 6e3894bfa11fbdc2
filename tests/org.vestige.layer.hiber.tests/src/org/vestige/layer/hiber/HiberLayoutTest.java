package org.vestige.layer.hiber;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

/**
 * The table of header layouts: rows as LeechCore's HIBR_OFFSET_PROFILES gives them for a few builds checked
 * by hand, one row per LengthSelf, and a malformed row named by its line.
 */
public class HiberLayoutTest {

    @Test
    public void windows10And11RowsHoldTheCitedOffsets() {
        HiberLayout w10 = HiberLayout.forBuild(19041).orElseThrow();
        assertEquals(0x3e0, w10.lengthSelf());
        assertEquals(0x68, w10.firstBootRestore());
        assertEquals(0x70, w10.firstKernelRestore());
        assertEquals(0x230, w10.kernelPages());
        assertEquals(0x398, w10.highestPage());
        assertEquals(w10, HiberLayout.forBuild(17763).orElseThrow());
        HiberLayout w11 = HiberLayout.forBuild(22000).orElseThrow();
        assertEquals(0x448, w11.lengthSelf());
        assertEquals(0x400, w11.highestPage());
        HiberLayout w24h2 = HiberLayout.forBuild(26100).orElseThrow();
        assertEquals(0x4d8, w24h2.lengthSelf());
        assertEquals(0x498, w24h2.highestPage());
        assertEquals(w24h2, HiberLayout.forLength(0x4d8).orElseThrow());
    }

    @Test
    public void windows8HeaderDiffersFromWindows10() {
        HiberLayout w81 = HiberLayout.forBuild(9600).orElseThrow();
        assertEquals(0x360, w81.lengthSelf());
        assertEquals(0x60, w81.firstBootRestore());
        assertEquals(0x68, w81.firstKernelRestore());
        assertEquals(0x1c8, w81.kernelPages());
        assertEquals(0x330, w81.highestPage());
        assertEquals(w81, HiberLayout.forBuild(9200).orElseThrow());
    }

    @Test
    public void eachLengthSelfSelectsOneRowAndEveryRowNamesItsSource() {
        Set<Integer> lengths = new HashSet<>();
        for (HiberLayout l : HiberLayout.all()) {
            assertTrue("LengthSelf 0x" + Integer.toHexString(l.lengthSelf()) + " twice", lengths.add(l.lengthSelf()));
            assertTrue(l.source(), l.source().startsWith("["));
            assertTrue(l.extent() <= l.lengthSelf());
            assertFalse(l.builds().isEmpty());
        }
        assertTrue(HiberLayout.all().size() >= 7);
        assertFalse(HiberLayout.forLength(0x1234).isPresent());
    }

    @Test
    public void aMalformedRowIsNamedByItsLine() {
        try {
            HiberLayout.parse("# comment\n0x3e0 19041 0x18 0x20 0x58 0x68 0x70 0x230 [LC]\n");
            fail("a row with 9 columns was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 2"));
        }
        assertEquals(List.of(19041, 19042), HiberLayout.parse(
                "0x3e0 19041,19042 0x18 0x20 0x58 0x68 0x70 0x230 0x398 [LC]").get(0).builds());
    }
}
