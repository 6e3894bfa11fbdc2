package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.types.Field;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

public class ProfileSupplementTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final List<String> PARTIAL_BUILDS = List.of("22621", "22631", "26100");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** A small source: one laid-out structure, one declared only, one enum. */
    static ObjectNode source() throws IOException {
        return (ObjectNode) MAPPER.readTree("""
                {"metadata":{"format":"6.2.0","producer":{"architecture":"x64","types_only":true},
                  "windows":{"pe":{"major":10,"minor":0,"revision":0,"build":26100}}},
                 "base_types":{"pointer":{"kind":"int","size":8,"signed":false,"endian":"little"},
                   "unsigned long":{"kind":"int","size":4,"signed":false,"endian":"little"}},
                 "user_types":{
                   "_EPROCESS":{"kind":"struct","size":16,"fields":{
                     "Token":{"offset":8,"type":{"kind":"pointer","subtype":{"kind":"struct","name":"_TOKEN"}}}}},
                   "_TOKEN":{"kind":"struct","size":0,"fields":{}},
                   "_KEPT":{"kind":"struct","size":4,"fields":{
                     "Value":{"offset":0,"type":{"kind":"base","name":"unsigned long"}}}}},
                 "enums":{},
                 "symbols":{}}
                """);
    }

    /** A supplement: completes _TOKEN, adds _NEW, and has an entry for _KEPT that must not be used. */
    static ObjectNode supplement(String extraField) throws IOException {
        return (ObjectNode) MAPPER.readTree("""
                {"metadata":{"applies_to":"isf-partial/x.json.xz","build":26100,
                  "sources":{"a":"source A","b":"source B"}},
                 "base_types":{"short":{"kind":"int","size":2,"signed":true,"endian":"little"},
                   "unsigned long":{"kind":"int","size":8,"signed":false,"endian":"little"}},
                 "user_types":{
                   "_TOKEN":{"kind":"struct","size":16,"source":["a"],"note":"from A","fields":{
                     "Privileges":{"offset":0,"type":{"kind":"struct","name":"_NEW"}},
                     "Flags":{"offset":8,"type":{"kind":"base","name":"short"},"source":["b"]}%s}},
                   "_NEW":{"kind":"struct","size":8,"source":["b"],"fields":{
                     "Present":{"offset":0,"type":{"kind":"base","name":"unsigned long"}}}},
                   "_KEPT":{"kind":"struct","size":64,"source":["a"],"fields":{
                     "Other":{"offset":32,"type":{"kind":"base","name":"unsigned long"}}}}},
                 "enums":{"_KIND":{"size":4,"base":"unsigned long","constants":{"One":1},"source":["a"]}}}
                """.formatted(extraField));
    }

    @Test
    public void mergeAddsAndCompletesButNeverOverridesTheSource() throws IOException {
        ObjectNode src = source();
        String before = src.toString();
        ProfileSupplement.Merge m = ProfileSupplement.of("x.json", supplement("")).merge(src);

        assertEquals("the source document is not modified", before, src.toString());
        assertEquals(List.of("_NEW"), m.added());
        assertEquals(List.of("_TOKEN"), m.completed());
        assertEquals(List.of("_KEPT"), m.skipped());
        assertEquals(2, m.supplied());

        Profile p = IsfReader.read(new ByteArrayInputStream(MAPPER.writeValueAsBytes(m.isf())), "merged");
        assertEquals("a structure the source lays out stays the source's", 4, p.requireStruct("_KEPT").size());
        assertEquals(List.of("Value"), List.copyOf(p.requireStruct("_KEPT").fields().keySet()));
        assertEquals(16, p.requireStruct("_TOKEN").size());
        assertEquals(8, p.offset("_TOKEN", "Flags"));
        assertEquals(8, p.offset("_EPROCESS", "Token"));
        assertEquals("a base type the source has stays the source's", 4, p.baseTypes().get("unsigned long").size());
        assertEquals(2, p.baseTypes().get("short").size());
        assertEquals(1L, (long) p.enums().get("_KIND").constants().get("One"));

        JsonNode merged = m.isf();
        assertFalse("source ids are not left in the layout", merged.path("user_types").path("_TOKEN").has("source"));
        assertFalse(merged.path("user_types").path("_TOKEN").path("fields").path("Flags").has("source"));
        assertFalse(merged.path("enums").path("_KIND").has("source"));

        JsonNode record = merged.path("metadata").path(ProfileSupplement.METADATA_KEY);
        assertEquals("x.json", record.path("file").asText());
        assertEquals("source A", record.path("sources").path("a").asText());
        assertEquals("[\"a\"]", record.path("type_sources").path("_TOKEN").toString());
        assertEquals("[\"b\"]", record.path("type_sources").path("_NEW").toString());
        assertEquals("[\"b\"]", record.path("field_sources").path("_TOKEN.Flags").toString());
        assertEquals("from A", record.path("notes").path("_TOKEN").asText());
        assertEquals("[\"_KEPT\"]", record.path("skipped").toString());
        assertTrue("the skipped entry names no source in the profile", record.path("type_sources").path("_KEPT")
                .isMissingNode());
    }

    @Test
    public void aFieldBeyondItsStructureIsRefused() throws IOException {
        ProfileSupplement s = ProfileSupplement.of("x.json", supplement(
                ",\"Tail\":{\"offset\":14,\"type\":{\"kind\":\"base\",\"name\":\"unsigned long\"}}"));
        try {
            s.merge(source());
            fail("_TOKEN.Tail, the source's 4-byte unsigned long at 14, ends at 0x12, beyond the 0x10 bytes of _TOKEN");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("_TOKEN.Tail") && e.getMessage().contains("0x12"));
        }
    }

    @Test
    public void everyFactMustNameADescribedSource() throws IOException {
        ObjectNode unknown = supplement("");
        ((ObjectNode) unknown.path("user_types").path("_NEW")).putArray("source").add("nowhere");
        try {
            ProfileSupplement.of("x.json", unknown);
            fail("a source id metadata.sources does not describe");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("_NEW") && e.getMessage().contains("nowhere"));
        }
        ObjectNode none = supplement("");
        ((ObjectNode) none.path("user_types").path("_NEW")).remove("source");
        try {
            ProfileSupplement.of("x.json", none);
            fail("a structure without a source");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("_NEW names no source"));
        }
    }

    @Test
    public void aFolderHoldsOneSupplementPerSource() throws IOException {
        Path dir = temp.newFolder("supplements").toPath();
        Files.writeString(dir.resolve("a.json"), supplement("").toString());
        assertEquals(List.of("isf-partial/x.json.xz"), List.copyOf(ProfileSupplement.readFolder(dir).keySet()));
        Files.writeString(dir.resolve("b.json"), supplement("").toString());
        try {
            ProfileSupplement.readFolder(dir);
            fail("two supplements for one source");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("already supplements"));
        }
    }

    /** @return the repository's folder of that relative path (tests run inside the repository) */
    static Path repository(String relative) {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError(relative + " not found above " + Paths.get("").toAbsolutePath());
    }

    static List<ProfileSupplement> shippedSupplements() throws IOException {
        Map<String, ProfileSupplement> byTarget = ProfileSupplement.readFolder(repository(ProfileSupplement.FOLDER));
        assertEquals("one supplement per partial layout: " + byTarget.keySet(), PARTIAL_BUILDS.size(), byTarget.size());
        return new ArrayList<>(byTarget.values());
    }

    @Test
    public void shippedSupplementsSayWhereEachLayoutWasNotReadForTheirBuild() throws IOException {
        for (ProfileSupplement s : shippedSupplements()) {
            JsonNode doc = s.document();
            String own = "ntdiff-" + doc.path("metadata").path("build").asText();
            JsonNode described = doc.path("metadata").path("sources");
            assertTrue(s.name() + " describes its build's own source " + own, described.has(own));
            java.util.Set<String> used = new java.util.TreeSet<>();
            doc.path("user_types").properties().forEach(t -> {
                t.getValue().path("source").forEach(id -> used.add(id.asText()));
                t.getValue().path("fields").forEach(f -> f.path("source").forEach(id -> used.add(id.asText())));
                boolean readForBuild = false;
                for (JsonNode id : t.getValue().path("source")) {
                    readForBuild |= id.asText().equals(own);
                }
                assertTrue(s.name() + ": " + t.getKey() + " was not read for its build and must say why",
                        readForBuild || !t.getValue().path("note").asText().isBlank());
            });
            doc.path("enums").forEach(e -> e.path("source").forEach(id -> used.add(id.asText())));
            described.fieldNames().forEachRemaining(id -> assertTrue(s.name() + " describes " + id + " but uses it "
                    + "nowhere", used.contains(id)));
        }
    }

    @Test
    public void shippedSupplementsApplyToThePartialLayoutsAndFitTheirSources() throws IOException {
        for (ProfileSupplement s : shippedSupplements()) {
            Path file = TestData.requireReferenceProfile(s.appliesTo());
            IsfSources.Source source = new IsfSources.Source(s.appliesTo(), file, null);
            JsonNode original = MAPPER.readTree(source.read());
            ProfileSupplement.Merge m = s.merge(original);
            assertEquals(s.name() + " supplies only what " + s.appliesTo() + " lacks", List.of(), m.skipped());
            assertEquals(s.types().size(), m.supplied());
            JsonNode merged = m.isf();
            Profile p = IsfReader.read(new ByteArrayInputStream(MAPPER.writeValueAsBytes(merged)), s.name());
            for (String t : s.types()) {
                StructType st = p.requireStruct(t);
                assertTrue(t + " has a size", st.size() > 0);
                for (Field f : st.fields().values()) {
                    long end = f.offset() + p.sizeOf(f.type());
                    assertTrue(s.name() + ": " + t + "." + f.name() + " ends at 0x" + Long.toHexString(end)
                            + " beyond 0x" + Long.toHexString(st.size()), end <= st.size());
                }
            }
            // structures the source already had keep their layout
            for (var e : IsfReader.read(new ByteArrayInputStream(MAPPER.writeValueAsBytes(original)), "source")
                    .structs().entrySet()) {
                if (!m.completed().contains(e.getKey())) {
                    assertEquals(e.getKey(), e.getValue().fields(), p.requireStruct(e.getKey()).fields());
                    assertEquals(e.getKey(), e.getValue().size(), p.requireStruct(e.getKey()).size());
                }
            }
            JsonNode sources = merged.path("metadata").path(ProfileSupplement.METADATA_KEY).path("type_sources");
            for (String t : s.types()) {
                assertTrue(t + " names its source in the profile", sources.path(t).isArray() && !sources.path(t)
                        .isEmpty());
            }
        }
    }

    @Test
    public void thePartialSourcesAlreadyHaveTheTablesAndHeadersTheSupplementsLeaveOut() throws IOException {
        for (ProfileSupplement s : shippedSupplements()) {
            Path file = TestData.requireReferenceProfile(s.appliesTo());
            Profile p = IsfReader.read(new ByteArrayInputStream(new IsfSources.Source(s.appliesTo(), file, null)
                    .read()), s.appliesTo());
            for (String t : List.of("_OBJECT_HEADER", "_HANDLE_TABLE", "_HANDLE_TABLE_ENTRY", "_EX_FAST_REF")) {
                assertTrue(s.appliesTo() + " lays out " + t, p.requireStruct(t).size() > 0);
                assertFalse(s.name() + " would be skipped for " + t, s.types().contains(t));
            }
        }
    }

    @Test
    public void supplementedSourcesAreWrittenWithTheirCountInPluginXml() throws Exception {
        ProfileSupplement s = shippedSupplements().stream().filter(x -> x.appliesTo().contains("26100")).findFirst()
                .orElseThrow();
        Path file = TestData.requireReferenceProfile(s.appliesTo());
        IsfSources.Source source = new IsfSources.Source(s.appliesTo(), file, null);
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        ProfileBundleWriter.Imported i = writer.add(source.name(), source.stem(), GenerateProfileBundles.supplemented(
                source, s), null);
        assertEquals(s.name(), i.supplement());
        assertEquals("every supplied structure survives trimming", s.types().size(), i.supplied());
        Path folder = writer.write(temp.getRoot().toPath()).get(0).folder();
        String xml = Files.readString(folder.resolve("plugin.xml"), StandardCharsets.UTF_8);
        assertTrue(xml, xml.contains(s.types().size() + " of the types from the supplement " + s.name()));
    }
}
