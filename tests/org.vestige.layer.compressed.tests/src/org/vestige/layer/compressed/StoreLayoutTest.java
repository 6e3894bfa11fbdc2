package org.vestige.layer.compressed;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.vestige.codec.Codec;

public class StoreLayoutTest {

    @Test
    public void everyBuildOfTheBriefHasItsOffsets() {
        StoreLayout l14393 = StoreLayout.forBuild(14393).orElseThrow();
        assertEquals(0x17A8, l14393.regionPtrArray());
        assertEquals(0x1918, l14393.ownerProcess());
        assertEquals(0x3D0, l14393.compressionAlgorithm());
        assertEquals(0x1828, StoreLayout.forBuild(15063).orElseThrow().regionPtrArray());
        for (int build : new int[] {16299, 17134, 17763, 18362, 18363}) {
            StoreLayout l = StoreLayout.forBuild(build).orElseThrow();
            assertEquals(0x1848, l.regionPtrArray());
            assertEquals(0x19A8, l.ownerProcess());
            assertEquals(0x3E0, l.compressionAlgorithm());
        }
        for (int build : new int[] {19041, 19045, 22000, 22621, 22631}) {
            StoreLayout l = StoreLayout.forBuild(build).orElseThrow();
            assertEquals(0x19B8, l.ownerProcess());
            assertEquals(Codec.XPRESS, l.codec());
        }
        StoreLayout l26100 = StoreLayout.forBuild(26100).orElseThrow();
        assertEquals(0x1B70, l26100.regionPtrArray());
        assertEquals(0x1D08, l26100.ownerProcess());
        assertEquals(-1, l26100.compressionAlgorithm());
        assertEquals(Codec.LZ4, l26100.codec());
        assertEquals(Codec.LZ4, StoreLayout.forBuild(26200).orElseThrow().codec());
    }

    @Test
    public void unknownBuildsHaveNoLayout() {
        assertFalse(StoreLayout.forBuild(10586).isPresent());
        assertFalse(StoreLayout.forBuild(14392).isPresent());
        assertFalse(StoreLayout.forBuild(19000).isPresent());
        assertFalse(StoreLayout.forBuild(25000).isPresent());
        assertEquals("14393, 15063, 16299–18363, 19041–22631, 26100 and later", StoreLayout.knownBuilds());
    }

    @Test
    public void aMalformedRowIsNamedByItsLine() {
        try {
            StoreLayout.parse("# header\n14393 14393 0x17A8 0x1918 0x3D0\n");
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 2") && e.getMessage().contains("6 columns"));
        }
        try {
            StoreLayout.parse("14393 14393 0x17A8 0x1918 0x3D0 zip\n");
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 1") && e.getMessage().contains("codec"));
        }
    }
}
