package org.vestige.synth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SynthOptionsTest {

    @Test
    public void builderDefaultsDescribeAPlainTwoGibMachine() {
        SynthOptions o = SynthOptions.builder().build();
        assertEquals(1, o.seed());
        assertEquals(0, o.build());
        assertTrue(o.lowStub());
        assertFalse(o.encodedKdbg());
        assertEquals(6, o.svchostCount());
        assertEquals(SynthOptions.Smear.NONE, o.smear());
        assertEquals(2L << 30, o.physicalSize());
        assertFalse(o.swapfile());
        assertEquals(SynthOptions.CompressedStore.NONE, o.compressedStore());
        assertEquals(0, o.compressedPages());
        assertNull(o.hives());
        assertNull(o.bulk());
        assertFalse(o.vbs());
        assertTrue(o.plants());
        assertNull(o.extraProcess());
    }

    @Test
    public void everySetterReachesItsComponent() {
        SynthOptions o = SynthOptions.builder().seed(42).windowsBuild(22000).lowStub(false).encodedKdbg(true)
                .svchostCount(3).smear(SynthOptions.Smear.CYCLE).sizeMib(256).swapfile(true)
                .compressedStore(SynthOptions.CompressedStore.BROKEN_NODE).compressedPages(9)
                .hives(HiveMemoryWriter.HivePlacement.SCATTERED).bulk(new SynthOptions.Bulk(2, 3)).vbs(true).plants(false).extraProcess("odd.exe").dense(true).build();
        assertEquals(new SynthOptions(42, 22000, false, true, 3, SynthOptions.Smear.CYCLE, 256L << 20, true,
                SynthOptions.CompressedStore.BROKEN_NODE, 9, HiveMemoryWriter.HivePlacement.SCATTERED,
                new SynthOptions.Bulk(2, 3), true, false, "odd.exe", true), o);
        assertTrue("plants are written unless asked not to", SynthOptions.builder().build().plants());
    }

    @Test
    public void toBuilderKeepsEverythingAndChangesOnlyWhatIsSet() {
        SynthOptions o = SynthOptions.builder().seed(7).windowsBuild(19041).vbs(true)
                .hives(HiveMemoryWriter.HivePlacement.RESIDENT).sizeMib(512).build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(o.hashCode(), o.toBuilder().build().hashCode());
        SynthOptions other = o.toBuilder().seed(8).build();
        assertNotEquals(o, other);
        assertEquals(8, other.seed());
        assertEquals(o.physicalSize(), other.physicalSize());
        assertEquals(o.hives(), other.hives());
        assertTrue(other.vbs());
    }

    @Test
    public void buildRejectsOptionsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().svchostCount(201).build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().compressedPages(-1).build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder()
                .compressedPages(SynthOptions.MAX_COMPRESSED_PAGES + 1).build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().compressedStore(null).build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().smear(null).build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().physicalSize(4097).build());
        assertThrows(IllegalArgumentException.class, () -> new SynthOptions.Bulk(131_073, 0));
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().extraProcess("").build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().extraProcess("a name.exe").build());
        assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().extraProcess("fifteen_chars.x")
                .build());
    }
}
