package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

public class ValueDecodingTest {

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    @Test
    public void typesDecodeToTheirValues() {
        assertEquals(new DecodedValue.None(), RegistryValue.decode(0, new byte[0]));
        assertEquals(new DecodedValue.Text("abc"), RegistryValue.decode(1, utf16("abc\0garbage")));
        assertEquals(new DecodedValue.Text("%x%"), RegistryValue.decode(2, utf16("%x%")));
        assertEquals(new DecodedValue.Text("\\Registry\\Machine\\X"), RegistryValue.decode(6, utf16("\\Registry\\Machine\\X")));
        assertEquals(new DecodedValue.MultiText(List.of("a", "bc")), RegistryValue.decode(7, utf16("a\0bc\0\0")));
        assertEquals(new DecodedValue.MultiText(List.of("a", "bc")), RegistryValue.decode(7, utf16("a\0bc")));
        assertEquals(new DecodedValue.Number(0xFFFF_FFFEL, 4), RegistryValue.decode(4, new byte[] {-2, -1, -1, -1}));
        assertEquals(new DecodedValue.Number(0x01020304L, 4), RegistryValue.decode(5, new byte[] {1, 2, 3, 4}));
        assertEquals(new DecodedValue.Number(-1L, 8), RegistryValue.decode(11, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
        assertEquals("18446744073709551615 (0xffffffffffffffff)", RegistryValue.decode(11,
                new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}).display());
    }

    @Test
    public void dataThatDoesNotFitItsTypeStaysBinaryWithANote() {
        DecodedValue d = RegistryValue.decode(4, new byte[] {1, 2, 3});
        assertTrue(d instanceof DecodedValue.Binary b && b.note().contains("3 bytes for a REG_DWORD"));
        d = RegistryValue.decode(1, new byte[] {'a', 0, 'b'});
        assertTrue(d instanceof DecodedValue.Binary b && b.note().contains("odd length"));
        d = RegistryValue.decode(0x4242, new byte[] {1});
        assertTrue(d instanceof DecodedValue.Binary b && b.note() == null);
        assertEquals("0x4242", ValueType.nameOf(0x4242));
        assertEquals("REG_QWORD", ValueType.nameOf(11));
    }

    @Test
    public void inlineDataHoldsUpToFourBytes() {
        KeySpec root = KeySpec.named("R");
        root.binary("zero", new byte[0]).binary("three", new byte[] {7, 8, 9}).dword("d", 0x11223344)
                .binary("five", new byte[] {1, 2, 3, 4, 5});
        Hive hive = Hive.of("inline", HiveWriter.write(root));
        RegistryKey r = hive.root();
        assertTrue(r.value("zero").orElseThrow().isDataInline());
        assertEquals(0, r.value("zero").orElseThrow().data().length);
        assertEquals(0x00090807L, r.value("three").orElseThrow().dataOffset());
        assertEquals(0x11223344L, r.value("d").orElseThrow().asDword());
        assertTrue(!r.value("five").orElseThrow().isDataInline());
        assertEquals(5, r.value("five").orElseThrow().data().length);
    }
}
