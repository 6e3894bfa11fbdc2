package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.types.Field;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;
import org.vestige.core.types.TypeRef;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class IsfTrimmerTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String FULL_19041 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";
    static final String FULL_22000 = "isf-full/windows/ntkrnlmp.pdb/0CE4A95C0CD782A7596B034D8648E585-1.json.xz";
    static final String WIN7 = "isf/win7_sp1_x64.json.xz";
    static final String PARTIAL_26100 = "isf-partial/win11_x64_26100_partial.json.xz";

    /** The source, its trimmed form, and both read as profiles. */
    record Trimmed(Profile source, IsfTrimmer.Result result, Profile trimmed) {
    }

    static Trimmed trim(String relative) throws IOException {
        Path file = TestData.requireReferenceProfile(relative);
        byte[] json = IsfSources.find(List.of(file)).get(0).read();
        Profile source = IsfReader.read(new ByteArrayInputStream(json), relative);
        IsfTrimmer.Result r = new IsfTrimmer().trim(MAPPER.readTree(json), relative);
        Profile trimmed = IsfReader.read(new ByteArrayInputStream(MAPPER.writeValueAsBytes(r.isf())), "trimmed "
                + relative);
        return new Trimmed(source, r, trimmed);
    }

    static void assertRootsAsSource(Trimmed t) {
        for (String root : t.result().roots()) {
            StructType s = t.source().requireStruct(root);
            StructType k = t.trimmed().requireStruct(root);
            assertEquals(root + " size", s.size(), k.size());
            assertEquals(root + " field count", s.fields().size(), k.fields().size());
            for (Field f : s.fields().values()) {
                Field g = k.field(f.name()).orElseThrow(() -> new AssertionError(root + "." + f.name() + " lost"));
                assertEquals(root + "." + f.name() + " offset", f.offset(), g.offset());
                assertEquals(root + "." + f.name() + " type", f.type(), g.type());
            }
        }
    }

    @Test
    public void trimmingFull19041KeepsEveryRootFieldAtItsOffset() throws IOException {
        Trimmed t = trim(FULL_19041);
        assertRootsAsSource(t);
        assertTrue("roots found: " + t.result().roots(), t.result().roots().size() > 60);
        assertTrue(t.result().roots().containsAll(List.of("_EPROCESS", "_KTHREAD", "_MMPTE_SOFTWARE", "_MMVAD_SHORT",
                "_RTL_AVL_TREE", "_HANDLE_TABLE_ENTRY", "_OBJECT_HEADER", "_CMHIVE", "_HMAP_ENTRY", "_CM_KEY_NODE",
                "_MI_SYSTEM_INFORMATION", "_KUSER_SHARED_DATA", "_MMPAGING_FILE")));
        assertTrue("trimmed " + t.trimmed().structs().size() + " of " + t.source().structs().size(),
                t.trimmed().structs().size() < t.source().structs().size() * 2 / 3);
        assertEquals(t.source().offset("_EPROCESS", "ActiveProcessLinks"), t.trimmed().offset("_EPROCESS",
                "ActiveProcessLinks"));
        assertEquals(0x448, t.trimmed().offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(t.source().offset("_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask"), t.trimmed().offset(
                "_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask"));
        assertEquals(t.source().baseTypes(), t.trimmed().baseTypes());
        assertFalse("an unreferenced type is dropped", t.trimmed().structs().containsKey("_WHEA_ERROR_RECORD"));
    }

    @Test
    public void trimmingTypesOnlyWin7KeepsEveryRootFieldAtItsOffset() throws IOException {
        Trimmed t = trim(WIN7);
        assertRootsAsSource(t);
        assertTrue(t.result().roots().containsAll(List.of("_EPROCESS", "_MMADDRESS_NODE", "_MM_AVL_TABLE",
                "_MMVAD", "_HANDLE_TABLE", "_POOL_HEADER")));
        assertFalse(t.result().roots().contains("_RTL_AVL_TREE"));
        assertTrue(t.trimmed().structs().size() < t.source().structs().size());
        assertEquals(0x188, t.trimmed().offset("_EPROCESS", "ActiveProcessLinks"));
        assertTrue(t.trimmed().typesOnly());
    }

    @Test
    public void trimmingPartial26100KeepsEveryRootFieldAtItsOffset() throws IOException {
        Trimmed t = trim(PARTIAL_26100);
        assertRootsAsSource(t);
        assertEquals(0x1d8, t.trimmed().offset("_EPROCESS", "ActiveProcessLinks"));
        assertEquals(0x34, t.trimmed().offset("_MMVAD_SHORT", "CommitCharge"));
        assertEquals(26100, t.trimmed().identity().build());
    }

    @Test
    public void trimmingKeepsWhatTheObjectManagerAnalysesRead() throws IOException {
        Trimmed t = trim(FULL_22000);
        assertRootsAsSource(t);
        for (String type : List.of("_OBJECT_TYPE", "_OBJECT_HEADER_NAME_INFO", "_OBJECT_HEADER_HANDLE_INFO",
                "_OBJECT_HEADER_PROCESS_INFO", "_OBJECT_HEADER_QUOTA_INFO", "_OBJECT_HEADER_CREATOR_INFO",
                "_OBJECT_DIRECTORY_ENTRY", "_TOKEN", "_SEP_TOKEN_PRIVILEGES", "_SID_AND_ATTRIBUTES", "_EX_FAST_REF",
                "_CLIENT_ID", "_SECTION_OBJECT_POINTERS", "_CONTROL_AREA", "_SUBSECTION", "_SHARED_CACHE_MAP", "_VACB",
                "_VACB_ARRAY_HEADER", "_FILE_OBJECT", "_DEVICE_OBJECT", "_DRIVER_OBJECT", "_CM_KEY_BODY",
                "_CM_KEY_CONTROL_BLOCK", "_CM_NAME_CONTROL_BLOCK")) {
            assertEquals(type, t.source().requireStruct(type).size(), t.trimmed().requireStruct(type).size());
        }
        for (String symbol : List.of("ObpInfoMaskToOffset", "ObTypeIndexTable", "ObHeaderCookie")) {
            assertEquals(symbol, t.source().symbol(symbol), t.trimmed().symbol(symbol));
            assertTrue(symbol, t.trimmed().symbol(symbol).isPresent());
        }
    }

    @Test
    public void closureLeavesNoDanglingReference() throws IOException {
        for (String relative : List.of(FULL_19041, WIN7, PARTIAL_26100)) {
            Trimmed t = trim(relative);
            for (StructType s : t.trimmed().structs().values()) {
                for (Field f : s.fields().values()) {
                    assertClosed(t, s.name() + "." + f.name(), f.type());
                }
            }
            assertEquals(t.result().types().size(), t.trimmed().structs().size());
            assertEquals(t.result().enums().size(), t.trimmed().enums().size());
        }
    }

    /** Every struct or enum named, embedded or behind a pointer, is kept when the source defines it. */
    private static void assertClosed(Trimmed t, String where, TypeRef type) {
        switch (type) {
            case TypeRef.Struct s -> {
                if (t.source().structs().containsKey(s.name())) {
                    assertTrue(where + " names " + s.name(), t.trimmed().structs().containsKey(s.name()));
                }
            }
            case TypeRef.Enum e -> assertTrue(where + " names enum " + e.name(), t.trimmed().enums().containsKey(e
                    .name()));
            case TypeRef.Pointer p -> assertClosed(t, where, p.subtype());
            case TypeRef.Array a -> assertClosed(t, where, a.subtype());
            case TypeRef.Bitfield b -> assertClosed(t, where, b.type());
            case TypeRef.Base b -> assertTrue(where + " names base " + b.name(), t.trimmed().baseTypes()
                    .containsKey(b.name()));
            case TypeRef.Function f -> {
            }
        }
    }

    @Test
    public void listedSymbolsAreKeptAtTheirRvas() throws IOException {
        Trimmed t = trim(FULL_19041);
        Map<String, Long> kept = t.trimmed().symbols();
        long expected = t.source().symbols().keySet().stream().filter(n -> IsfTrimmer.matches(n,
                IsfTrimmer.ROOT_SYMBOLS)).count();
        assertEquals(expected, kept.size());
        assertTrue(kept.size() >= 30);
        for (Map.Entry<String, Long> e : kept.entrySet()) {
            assertEquals(e.getKey(), t.source().symbols().get(e.getKey()), e.getValue());
        }
        for (String s : List.of("PsActiveProcessHead", "PsLoadedModuleList", "KdpDataBlockEncoded", "KiWaitNever",
                "KiWaitAlways", "MiState", "?SmGlobals@@3U_SM_GLOBALS@@A", "NtBuildLab", "PspCidTable",
                "ObHeaderCookie")) {
            assertNotNull(s, kept.get(s));
        }
        assertEquals(Long.valueOf(12705632L), kept.get("PsActiveProcessHead"));
        assertFalse(kept.containsKey("NtCreatePagingFile"));
    }

    @Test
    public void closureFollowsPointersAndToleratesIncompleteTypes() throws IOException {
        JsonNode isf = MAPPER.readTree(Synthetic.isf(Synthetic.UNKNOWN_GUID, null, false));
        IsfTrimmer.Result r = new IsfTrimmer().trim(isf, "synthetic");
        assertEquals(List.of("_EPROCESS", "_LIST_ENTRY"), r.roots());
        assertEquals(List.of("_EPROCESS", "_LIST_ENTRY", "_TARGET"), r.types());
        assertEquals(List.of("_STATE"), r.enums());
        assertEquals(List.of("PsActiveProcessHead"), r.symbols());
        assertFalse(r.isf().get("user_types").has("_UNRELATED"));
        assertEquals(4, r.sourceTypes());
    }

    @Test
    public void aDocumentWithoutRootTypesIsRefusedByName() throws IOException {
        String json = "{\"metadata\":{},\"base_types\":{\"pointer\":{\"kind\":\"int\",\"size\":8,\"signed\":false,"
                + "\"endian\":\"little\"}},\"user_types\":{\"_FOO\":{\"kind\":\"struct\",\"size\":4,\"fields\":{}}},"
                + "\"enums\":{},\"symbols\":{}}";
        try {
            new IsfTrimmer().trim(MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8)), "foo.json");
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("foo.json: has none of the root types"));
        }
    }

    @Test
    public void anEmbeddedUndefinedTypeIsReportedWithItsPath() throws IOException {
        String json = new String(Synthetic.isf(Synthetic.UNKNOWN_GUID, null, false), StandardCharsets.UTF_8)
                .replace("{\"kind\":\"struct\",\"name\":\"_LIST_ENTRY\"}", "{\"kind\":\"struct\",\"name\":\"_GONE\"}");
        try {
            new IsfTrimmer().trim(MAPPER.readTree(json), "bad.json");
            fail();
        } catch (IOException e) {
            assertEquals("bad.json: user_types._EPROCESS.fields.ActiveProcessLinks refers to undefined type _GONE", e
                    .getMessage());
        }
    }
}
