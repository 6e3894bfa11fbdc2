package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.NoSuchElementException;

import org.junit.Test;
import org.vestige.core.types.Profile;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.TypeRef;
import org.vestige.testing.TestData;

public class IsfReaderTest {

    private static final String TINY = """
            {"metadata": {"format": "6.2.0", "producer": {"name": "test", "architecture": "x64"},
                          "windows": {"pdb": {"GUID": "00112233445566778899aabbccddeeff", "age": 2,
                                              "database": "ntkrnlmp.pdb", "machine_type": 34404},
                                      "pe": {"major": 10, "minor": 0, "build": 19041}}},
             "base_types": {"pointer": {"kind": "int", "size": 8, "signed": false, "endian": "little"},
                            "unsigned long": {"kind": "int", "size": 4, "signed": false, "endian": "little"},
                            "unsigned long long": {"kind": "int", "size": 8, "signed": false, "endian": "little"}},
             "user_types": {
               "_LIST_ENTRY": {"kind": "struct", "size": 16, "fields": {
                   "Flink": {"offset": 0, "type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "_LIST_ENTRY"}}},
                   "Blink": {"offset": 8, "type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "_LIST_ENTRY"}}}}},
               "_KPROCESS": {"kind": "struct", "size": 64, "fields": {
                   "DirectoryTableBase": {"offset": 40, "type": {"kind": "base", "name": "unsigned long long"}}}},
               "_EPROCESS": {"kind": "struct", "size": 256, "fields": {
                   "Pcb": {"offset": 0, "type": {"kind": "struct", "name": "nt_symbols!_KPROCESS"}},
                   "Flags": {"offset": 80, "type": {"kind": "bitfield", "bit_position": 3, "bit_length": 1,
                                                     "type": {"kind": "base", "name": "unsigned long"}}},
                   "ActiveProcessLinks": {"offset": 136, "type": {"kind": "struct", "name": "_LIST_ENTRY"}},
                   "ImageFileName": {"offset": 200, "type": {"kind": "array", "count": 15,
                                                             "subtype": {"kind": "base", "name": "unsigned long"}}}}}},
             "enums": {"_POOL_TYPE": {"size": 4, "base": "unsigned long", "constants": {"NonPagedPool": 0, "PagedPool": 1}}},
             "symbols": {"PsActiveProcessHead": {"address": 12648960}}}
            """;

    private static Profile tiny() throws IOException {
        return IsfReader.read(new ByteArrayInputStream(TINY.getBytes(StandardCharsets.UTF_8)), "tiny.json");
    }

    @Test
    public void readsIdentityTypesNestedPathsAndSymbols() throws IOException {
        Profile p = tiny();
        assertEquals("ntkrnlmp.pdb/00112233445566778899AABBCCDDEEFF-2", p.identity().pdbKey().get());
        assertEquals("x64", p.identity().architecture());
        assertEquals(19041, p.identity().build());
        assertEquals(136, p.offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(144, p.offset("_EPROCESS", "ActiveProcessLinks.Blink"));
        assertEquals(40, p.offset("_EPROCESS", "Pcb.DirectoryTableBase"));
        assertEquals(60, p.sizeOf(p.resolve("_EPROCESS", "ImageFileName").type()));
        assertTrue(p.resolve("_EPROCESS", "Flags").type() instanceof TypeRef.Bitfield bf && bf.position() == 3);
        assertEquals(12648960L, (long) p.symbol("PsActiveProcessHead").get());
        assertEquals("PagedPool", p.enums().get("_POOL_TYPE").nameOf(1).get());
        assertFalse(p.has("_EPROCESS", "Pcb.NoSuchField"));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> p.offset("_EPROCESS", "Peb"));
        assertTrue(e.getMessage(), e.getMessage().contains("tiny.json") && e.getMessage().contains("Peb"));
    }

    @Test
    public void aTableOfSymbolsAloneReadsWithoutBaseTypesButTypesNeedAPointer() throws IOException {
        String symbolsOnly = """
                {"metadata": {"format": "6.1.0", "windows": {"pdb": {"GUID": "0123456789ABCDEF0123456789ABCDEF",
                   "age": 2, "database": "tcpip.pdb", "machine_type": 34404}}},
                 "base_types": {}, "user_types": {}, "enums": {},
                 "symbols": {"PartitionTable": {"address": 2196464}}}
                """;
        Profile p = IsfReader.read(new ByteArrayInputStream(symbolsOnly.getBytes(StandardCharsets.UTF_8)),
                "tcpip.json");
        assertEquals("tcpip.pdb", p.identity().pdbName());
        assertEquals(2, p.identity().age());
        assertEquals(Long.valueOf(2196464), p.symbol("PartitionTable").orElseThrow());
        assertEquals(8, p.pointerSize());
        assertTrue(p.structs().isEmpty());
        String typesWithoutPointer = TINY.replaceFirst("\"pointer\": \\{[^}]*\\},", "");
        IOException e = assertThrows(IOException.class, () -> IsfReader.read(new ByteArrayInputStream(
                typesWithoutPointer.getBytes(StandardCharsets.UTF_8)), "nopointer.json"));
        assertTrue(e.getMessage(), e.getMessage().contains("no 'pointer'"));
    }

    @Test
    public void malformedFilesAreRejectedWithTheSourceNamed() {
        IOException e = assertThrows(IOException.class, () -> IsfReader.read(new ByteArrayInputStream(
                "{\"metadata\": {}}".getBytes(StandardCharsets.UTF_8)), "broken.json"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("broken.json: not an ISF file"));
        e = assertThrows(IOException.class, () -> IsfReader.read(new ByteArrayInputStream(
                "{\"metadata\": ".getBytes(StandardCharsets.UTF_8)), "cut.json"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("cut.json: not valid JSON"));
        String dangling = TINY.replace("nt_symbols!_KPROCESS", "_NO_SUCH_TYPE");
        e = assertThrows(IOException.class, () -> IsfReader.read(new ByteArrayInputStream(dangling.getBytes(
                StandardCharsets.UTF_8)), "dangling.json"));
        assertTrue(e.getMessage(), e.getMessage().contains("_NO_SUCH_TYPE"));
    }

    @Test
    public void readsARealKernelWithSymbols() throws IOException {
        Path file = TestData.requireProfile("isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz");
        Profile p = IsfReader.read(file);
        assertEquals("ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1", p.identity().pdbKey().get());
        assertEquals(8, p.pointerSize());
        // cross-checked against WINDOWS-INTERNALS.md (19041 x64)
        assertEquals(0x440, p.offset("_EPROCESS", "UniqueProcessId"));
        assertEquals(0x448, p.offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(0x5a8, p.offset("_EPROCESS", "ImageFileName"));
        assertEquals(0x550, p.offset("_EPROCESS", "Peb"));
        assertEquals(0x28, p.offset("_EPROCESS", "Pcb.DirectoryTableBase"));
        assertEquals(0xa40, p.requireStruct("_EPROCESS").size());
        assertTrue(p.symbol("PsActiveProcessHead").isPresent());
        assertTrue(p.symbol("PsLoadedModuleList").isPresent());
        TypeRef.Bitfield low = (TypeRef.Bitfield) p.resolve("_MMPTE_SOFTWARE", "PageFileLow").type();
        assertEquals(12, low.position());
        assertEquals(4, low.length());
    }

    @Test
    public void readsTypesOnlyAndPartialLayouts() throws IOException {
        Profile win7 = IsfReader.read(TestData.requireProfile("isf/win7_sp1_x64.json.xz"));
        assertTrue(win7.typesOnly());
        assertEquals(7601, win7.identity().build());
        assertEquals(0x188, win7.offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(0x2e0, win7.offset("_EPROCESS", "ImageFileName"));
        assertEquals(1, ((TypeRef.Bitfield) win7.resolve("_MMPTE_SOFTWARE", "PageFileLow").type()).position());
        Profile win11 = IsfReader.read(TestData.requireProfile("isf-partial/win11_x64_26100_partial.json.xz"));
        assertEquals(26100, win11.identity().build());
        assertEquals(0x1d8, win11.offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(0x338, win11.offset("_EPROCESS", "ImageFileName"));
    }

    @Test
    public void xzSymbolsAskingForMoreMemoryThanTheLimitAreRefusedNamingTheSource() throws IOException {
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (org.tukaani.xz.XZOutputStream xz = new org.tukaani.xz.XZOutputStream(packed,
                new org.tukaani.xz.LZMA2Options(1))) {
            xz.write(TINY.getBytes(StandardCharsets.UTF_8));
        }
        byte[] ok = packed.toByteArray();
        assertEquals(19041, IsfReader.read(new ByteArrayInputStream(ok), "small.json.xz").identity().build());
        // the block header after the 12-byte stream header: size, flags, filter id 0x21, 1 property byte
        // (the dictionary size code), padding, CRC32 of the header; code 36 asks for a 1 GiB dictionary
        byte[] big = ok.clone();
        int header = 12;
        int headerSize = ((big[header] & 0xff) + 1) * 4;
        assertEquals(0, big[header + 1] & 0x40); // no compressed size recorded: the filter flags follow the flags
        int flags = header + 2 + ((big[header + 1] & 0x80) != 0 ? varintLength(big, header + 2) : 0);
        assertEquals(0x21, big[flags]);
        big[flags + 2] = 36;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(big, header, headerSize - 4);
        java.nio.ByteBuffer.wrap(big, header + headerSize - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(
                (int) crc.getValue());
        IOException e = assertThrows(IOException.class, () -> IsfReader.read(new ByteArrayInputStream(big),
                "huge.json.xz"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("huge.json.xz: the xz stream needs ")
                && e.getMessage().contains(IsfReader.XZ_MEMORY_LIMIT_KIB + " KiB allowed"));
    }

    private static int varintLength(byte[] b, int at) {
        int n = 1;
        while ((b[at + n - 1] & 0x80) != 0) {
            n++;
        }
        return n;
    }
}
