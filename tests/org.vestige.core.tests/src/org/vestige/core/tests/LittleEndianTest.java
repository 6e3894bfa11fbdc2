package org.vestige.core.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;
import org.vestige.core.layer.LittleEndian;

public class LittleEndianTest {

    private static final byte[] BYTES = {(byte) 0xf0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, (byte) 0x87, (byte) 0xff};

    @Test
    public void readsTheLowByteFirst() {
        assertEquals(0xf0, LittleEndian.u8(BYTES, 0));
        assertEquals(0x01f0, LittleEndian.u16(BYTES, 0));
        assertEquals(0x030201f0, LittleEndian.i32(BYTES, 0));
        assertEquals(0x030201f0L, LittleEndian.u32(BYTES, 0));
        assertEquals(0x87060504030201f0L, LittleEndian.i64(BYTES, 0));
    }

    @Test
    public void unsignedReadsDoNotExtendTheSign() {
        assertEquals(0xff87, LittleEndian.u16(BYTES, 7));
        assertEquals(0xff870605L, LittleEndian.u32(BYTES, 5));
        assertEquals(0xff870605 /* negative as an int */, LittleEndian.i32(BYTES, 5));
    }

    @Test
    public void uintReadsAnyWidthUpToEightBytes() {
        assertEquals(0, LittleEndian.uint(BYTES, 0, 0));
        assertEquals(0x0201f0L, LittleEndian.uint(BYTES, 0, 3));
        assertEquals(0x0605040302L, LittleEndian.uint(BYTES, 2, 5));
        assertEquals(LittleEndian.i64(BYTES, 1), LittleEndian.uint(BYTES, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> LittleEndian.uint(BYTES, 0, 9));
    }

    @Test
    public void writesRoundTrip() {
        byte[] b = new byte[16];
        LittleEndian.put16(b, 0, 0x1234_5678);
        LittleEndian.put32(b, 2, 0x1_8badf00dL);
        LittleEndian.put64(b, 6, 0xfffff80012345678L);
        LittleEndian.put(b, 14, 0xabcd, 2);
        assertEquals(0x5678, LittleEndian.u16(b, 0));
        assertEquals(0x8badf00dL, LittleEndian.u32(b, 2));
        assertEquals(0xfffff80012345678L, LittleEndian.i64(b, 6));
        assertArrayEquals(new byte[] {(byte) 0xcd, (byte) 0xab}, new byte[] {b[14], b[15]});
    }

    @Test
    public void anIndexOutsideTheArrayThrows() {
        assertThrows(IndexOutOfBoundsException.class, () -> LittleEndian.u32(BYTES, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> LittleEndian.i64(BYTES, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> LittleEndian.put64(new byte[7], 0, 1));
    }
}
