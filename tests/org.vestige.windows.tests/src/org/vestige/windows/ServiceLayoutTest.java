package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

/** The service record layouts of {@code data/service-layouts.txt}: every row parses, names its source and fits. */
public class ServiceLayoutTest {

    @Test
    public void everyRowParsesNamesASourceAndTheRangesAreContiguous() {
        List<ServiceLayout> all = ServiceLayout.all();
        assertTrue(all.size() >= 7);
        for (int i = 0; i < all.size(); i++) {
            ServiceLayout l = all.get(i);
            assertTrue(l.toString(), l.from() <= l.to());
            assertTrue(l.toString(), l.source().matches("(\\[V[23]\\])+"));
            assertEquals("serH", l.headerTag());
            if (i > 0) {
                assertEquals("no gap and no overlap before " + l, all.get(i - 1).to() + 1, l.from());
            }
        }
    }

    @Test
    public void theSynthesizedBuildsHaveTheirPublishedOffsets() {
        ServiceLayout win7 = ServiceLayout.forBuild(7601).orElseThrow();
        assertNull(win7.recordTag());
        assertEquals(0x00, win7.prev());
        assertEquals(0x4c, win7.start());
        assertEquals(0x50, win7.recordSize());
        assertEquals("sErv", ServiceLayout.forBuild(9600).orElseThrow().recordTag());
        assertEquals(0xe8, ServiceLayout.forBuild(17763).orElseThrow().process());
        assertEquals(0x28, ServiceLayout.forBuild(17763).orElseThrow().processId());
        assertEquals(0x128, ServiceLayout.forBuild(19041).orElseThrow().process());
        assertEquals(0x128, ServiceLayout.forBuild(22000).orElseThrow().process());
        ServiceLayout win11 = ServiceLayout.forBuild(26100).orElseThrow();
        assertEquals(0x150, win11.process());
        assertEquals(0x50, win11.type());
        assertEquals(0x54, win11.state());
        assertEquals(0x158, win11.recordSize());
        assertFalse(ServiceLayout.forBuild(2600).isPresent());
    }

    @Test
    public void aMalformedRowIsNamedByItsLine() {
        try {
            ServiceLayout.parse("# header\n6000 9199 serH 0x10 - 0x00 0x08 0x10 0x18 0x4c 0x30 0x34 zz 0x10 0x18 [V2]\n");
            fail("a malformed offset must not parse");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 2"));
        }
    }

    @Test
    public void serviceNumbersAreNamedAsWinsvcNamesThem() {
        assertEquals("WIN32_SHARE_PROCESS", ServiceRecord.typeName(0x20));
        assertEquals("WIN32_OWN_PROCESS|INTERACTIVE_PROCESS", ServiceRecord.typeName(0x110));
        assertEquals("KERNEL_DRIVER|0x800", ServiceRecord.typeName(0x801));
        assertEquals("AUTO_START", ServiceRecord.startName(2));
        assertEquals("RUNNING", ServiceRecord.stateName(4));
        assertEquals("9", ServiceRecord.stateName(9));
    }
}
