package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.tukaani.xz.XZInputStream;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;

import com.fasterxml.jackson.databind.JsonNode;

/** The Windows 11 profiles this repository ships (bundles/profiles), read as an installation reads them. */
public class InstalledWindows11ProfilesTest {

    /** The structures the object-manager analyses (issue 20) read, which every installed profile must have. */
    static final List<String> OBJECT_MANAGER_TYPES = List.of("_OBJECT_HEADER", "_OBJECT_TYPE",
            "_OBJECT_HEADER_NAME_INFO", "_OBJECT_HEADER_HANDLE_INFO", "_OBJECT_HEADER_PROCESS_INFO",
            "_OBJECT_HEADER_QUOTA_INFO", "_OBJECT_HEADER_CREATOR_INFO", "_OBJECT_DIRECTORY",
            "_OBJECT_DIRECTORY_ENTRY", "_TOKEN", "_SEP_TOKEN_PRIVILEGES", "_SID_AND_ATTRIBUTES", "_SID",
            "_SECTION_OBJECT_POINTERS", "_CONTROL_AREA", "_SUBSECTION", "_SHARED_CACHE_MAP", "_VACB",
            "_DEVICE_OBJECT", "_DRIVER_OBJECT", "_FILE_OBJECT", "_CM_KEY_BODY", "_CM_KEY_CONTROL_BLOCK", "_ETHREAD",
            "_KTHREAD", "_EX_FAST_REF", "_CLIENT_ID", "_HANDLE_TABLE", "_HANDLE_TABLE_ENTRY");

    static final List<String> PARTIAL_BUILDS = ProfileSupplementTest.PARTIAL_BUILDS;

    static Profile shipped(String build) throws IOException {
        Path file = ProfileSupplementTest.repository("bundles/profiles/org.vestige.profile.windows.x64." + build
                + "/profiles/win11_x64_" + build + "_partial.json.xz");
        try (InputStream in = new XZInputStream(Files.newInputStream(file))) {
            return IsfReader.read(new ByteArrayInputStream(in.readAllBytes()), file.toString());
        }
    }

    static JsonNode shippedMetadata(String build) throws IOException {
        Path file = ProfileSupplementTest.repository("bundles/profiles/org.vestige.profile.windows.x64." + build
                + "/profiles/win11_x64_" + build + "_partial.json.xz");
        try (InputStream in = new XZInputStream(Files.newInputStream(file))) {
            return ProfileSupplementTest.MAPPER.readTree(in).path("metadata");
        }
    }

    @Test
    public void theInstalledWindows11ProfilesHaveTheObjectManagerStructures() throws IOException {
        for (String build : PARTIAL_BUILDS) {
            Profile p = shipped(build);
            for (String t : OBJECT_MANAGER_TYPES) {
                assertTrue(build + " " + t, p.structs().containsKey(t) && p.requireStruct(t).size() > 0
                        && !p.requireStruct(t).fields().isEmpty());
            }
            // consistency between structures from different places
            assertEquals(build + ": _ETHREAD.Tcb is the _KTHREAD and CreateTime follows it",
                    p.requireStruct("_KTHREAD").size(), p.offset("_ETHREAD", "CreateTime"));
            assertTrue(build, p.offset("_TOKEN", "Privileges") + p.requireStruct("_SEP_TOKEN_PRIVILEGES").size()
                    <= p.offset("_TOKEN", "AuditPolicy"));
            assertTrue(build, p.offset("_OBJECT_TYPE", "TypeInfo") + p.requireStruct("_OBJECT_TYPE_INITIALIZER").size()
                    <= p.offset("_OBJECT_TYPE", "TypeLock"));
            assertTrue(build + ": the token is reached through an _EX_FAST_REF", p.requireStruct("_EPROCESS").field(
                    "Token").orElseThrow().type() instanceof TypeRef.Struct ref && ref.name().equals("_EX_FAST_REF"));
            assertEquals(build, p.requireStruct("_CLIENT_ID").size(), 2L * p.baseTypes().get("pointer").size());

            JsonNode record = shippedMetadata(build).path(ProfileSupplement.METADATA_KEY);
            assertEquals("win11_x64_" + build + "_partial.json", record.path("file").asText());
            JsonNode sources = record.path("sources");
            record.path("type_sources").properties().forEach(e -> {
                for (JsonNode id : e.getValue()) {
                    assertTrue(build + " " + e.getKey() + " names a described source", sources.has(id.asText()));
                }
            });
            for (String t : List.of("_OBJECT_TYPE", "_TOKEN", "_FILE_OBJECT", "_ETHREAD", "_SHARED_CACHE_MAP")) {
                assertNotNull(build + " " + t + " has its source in the profile", record.path("type_sources").get(t));
            }
        }
    }

    @Test
    public void build26100CarriesItsOwnLayoutsWhereTheyChanged() throws IOException {
        Profile p26100 = shipped("26100");
        Profile p22621 = shipped("22621");
        // ntdiff/headers Win11_2409_24H2 (26100) against Win11_2209_22H2 (22621): _OBJECT_TYPE grew by two ULONGs,
        // _KTHREAD by 0x40 (so every _ETHREAD field after Tcb moved), _SHARED_CACHE_MAP gained SectionSizeIncrement
        assertEquals(0xe0, p26100.requireStruct("_OBJECT_TYPE").size());
        assertEquals(0xd8, p22621.requireStruct("_OBJECT_TYPE").size());
        assertEquals(0x508, p26100.offset("_ETHREAD", "Cid"));
        assertEquals(0x4c8, p22621.offset("_ETHREAD", "Cid"));
        assertEquals(p26100.offset("_ETHREAD", "Cid") - p22621.offset("_ETHREAD", "Cid"),
                p26100.requireStruct("_KTHREAD").size() - p22621.requireStruct("_KTHREAD").size());
        assertTrue(p26100.requireStruct("_SHARED_CACHE_MAP").field("SectionSizeIncrement").isPresent());
        assertFalse(p22621.requireStruct("_SHARED_CACHE_MAP").field("SectionSizeIncrement").isPresent());
        // what did not change is the same in both
        for (String t : List.of("_TOKEN", "_FILE_OBJECT", "_OBJECT_HEADER_NAME_INFO", "_OBJECT_DIRECTORY",
                "_CONTROL_AREA", "_VACB")) {
            assertEquals(t, p22621.requireStruct(t).size(), p26100.requireStruct(t).size());
            assertEquals(t, p22621.requireStruct(t).fields(), p26100.requireStruct(t).fields());
        }
    }

}
