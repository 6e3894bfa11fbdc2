package org.vestige.plugin.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structure layouts a partial reference profile lacks, kept as data beside the generator and merged
 * into that profile before it is trimmed and written. A supplement is an ISF fragment
 * ({@code base_types}, {@code user_types}, {@code enums}) whose {@code metadata} names the source file
 * it applies to and describes every public source it draws on ({@code metadata.sources}: id →
 * description); every structure and enum carries {@code "source": [ids]}, and a field whose facts come
 * from elsewhere than its structure's carries its own.
 *
 * <p>The merge never overrides the source: a structure the source defines with a size or fields stays
 * the source's and the supplement's entry is reported as skipped. Only a structure the source lacks, or
 * declares without size and fields (a forward declaration), is taken from the supplement. The merged
 * document's {@code metadata.supplement} records the supplement file, the structures added, completed and
 * skipped, the descriptions of the sources, and the source of each structure and field, so the written
 * profile names where each of its facts came from.
 *
 * @since 0.1
 */
public final class ProfileSupplement {

    /** The supplements' folder, relative to the repository root. */
    public static final String FOLDER = "bundles/plugins/org.vestige.plugin.profiles/supplements";

    /** Key of the merge record in a merged document's {@code metadata}. */
    public static final String METADATA_KEY = "supplement";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);

    private final String name;
    private final ObjectNode document;

    private ProfileSupplement(String name, ObjectNode document) {
        this.name = name;
        this.document = document;
    }

    /**
     * What a merge did.
     *
     * @param isf       the merged document (the source is not modified)
     * @param added     structures the source did not have
     * @param completed structures the source only declared (no size, no fields)
     * @param skipped   structures the source defines, left as they were
     * @since 0.1
     */
    public record Merge(ObjectNode isf, List<String> added, List<String> completed, List<String> skipped) {

        /** @return the number of structures taken from the supplement */
        public int supplied() {
            return added.size() + completed.size();
        }
    }

    /** Reads and validates a supplement file. */
    public static ProfileSupplement read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode doc)) {
            throw new IOException(file + ": not a JSON object");
        }
        ProfileSupplement s = new ProfileSupplement(file.getFileName().toString(), doc);
        s.validate();
        return s;
    }

    /** Wraps a parsed supplement (for tests and tools), validating it. */
    public static ProfileSupplement of(String name, ObjectNode document) throws IOException {
        ProfileSupplement s = new ProfileSupplement(name, document.deepCopy());
        s.validate();
        return s;
    }

    /** @return the file name the supplement was read from */
    public String name() {
        return name;
    }

    /** @return the source file it applies to, relative to the reference profiles folder */
    public String appliesTo() {
        return document.path("metadata").path("applies_to").asText();
    }

    /** @return the names of the structures it describes, sorted */
    public List<String> types() {
        List<String> out = new ArrayList<>();
        document.path("user_types").fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    /** @return the supplement as read (a copy) */
    public ObjectNode document() {
        return document.deepCopy();
    }

    private void validate() throws IOException {
        JsonNode meta = document.path("metadata");
        if (appliesTo().isEmpty()) {
            throw new IOException(name + ": metadata.applies_to names no source file");
        }
        JsonNode sources = meta.path("sources");
        if (!sources.isObject() || sources.isEmpty()) {
            throw new IOException(name + ": metadata.sources describes no source");
        }
        JsonNode types = document.path("user_types");
        if (!types.isObject() || types.isEmpty()) {
            throw new IOException(name + ": user_types is empty");
        }
        for (Map.Entry<String, JsonNode> t : types.properties()) {
            String where = name + ": " + t.getKey();
            JsonNode type = t.getValue();
            checkSources(type.path("source"), sources, where, true);
            long size = type.path("size").asLong(-1);
            if (size <= 0 || !type.path("fields").isObject() || type.path("fields").isEmpty()) {
                throw new IOException(where + " has no size or no fields");
            }
            for (Map.Entry<String, JsonNode> f : type.path("fields").properties()) {
                checkSources(f.getValue().path("source"), sources, where + "." + f.getKey(), false);
                if (!f.getValue().path("offset").canConvertToLong() || !f.getValue().path("type").isObject()) {
                    throw new IOException(where + "." + f.getKey() + " has no offset or no type");
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : document.path("enums").properties()) {
            checkSources(e.getValue().path("source"), sources, name + ": enum " + e.getKey(), true);
        }
    }

    private static void checkSources(JsonNode ids, JsonNode sources, String where, boolean required)
            throws IOException {
        if (ids.isMissingNode()) {
            if (required) {
                throw new IOException(where + " names no source");
            }
            return;
        }
        if (!ids.isArray() || ids.isEmpty()) {
            throw new IOException(where + ": source must be a non-empty list of source ids");
        }
        for (JsonNode id : ids) {
            if (!sources.has(id.asText())) {
                throw new IOException(where + " names source '" + id.asText() + "', which metadata.sources does not "
                        + "describe");
            }
        }
    }

    /**
     * Merges the supplement into a copy of an ISF document.
     *
     * @param isf the parsed source document, left unchanged
     * @throws IOException when the document is not ISF
     */
    public Merge merge(JsonNode isf) throws IOException {
        for (String key : new String[] {"metadata", "base_types", "user_types", "enums", "symbols"}) {
            if (isf == null || !isf.path(key).isObject()) {
                throw new IOException(appliesTo() + ": not an ISF file (no '" + key + "' object)");
            }
        }
        ObjectNode out = (ObjectNode) isf.deepCopy();
        ObjectNode userTypes = (ObjectNode) out.get("user_types");
        List<String> added = new ArrayList<>();
        List<String> completed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, JsonNode> typeSources = new TreeMap<>();
        Map<String, JsonNode> fieldSources = new TreeMap<>();
        Map<String, String> notes = new TreeMap<>();
        for (String typeName : types()) {
            JsonNode supplied = document.path("user_types").get(typeName);
            JsonNode present = userTypes.get(typeName);
            if (present != null && !isDeclarationOnly(present)) {
                skipped.add(typeName);
                continue;
            }
            (present == null ? added : completed).add(typeName);
            ObjectNode clean = MAPPER.createObjectNode();
            clean.put("kind", supplied.path("kind").asText("struct"));
            clean.put("size", supplied.path("size").asLong());
            ObjectNode fields = clean.putObject("fields");
            for (Map.Entry<String, JsonNode> f : supplied.path("fields").properties()) {
                ObjectNode field = fields.putObject(f.getKey());
                field.put("offset", f.getValue().path("offset").asLong());
                field.set("type", f.getValue().get("type").deepCopy());
                if (f.getValue().has("source")) {
                    fieldSources.put(typeName + "." + f.getKey(), f.getValue().get("source").deepCopy());
                }
            }
            userTypes.set(typeName, clean);
            typeSources.put(typeName, supplied.get("source").deepCopy());
            if (supplied.has("note")) {
                notes.put(typeName, supplied.get("note").asText());
            }
        }
        ObjectNode enums = (ObjectNode) out.get("enums");
        for (Map.Entry<String, JsonNode> e : document.path("enums").properties()) {
            if (!enums.has(e.getKey())) {
                ObjectNode clean = e.getValue().deepCopy();
                clean.remove("source");
                enums.set(e.getKey(), clean);
                typeSources.put(e.getKey(), e.getValue().get("source").deepCopy());
            }
        }
        ObjectNode baseTypes = (ObjectNode) out.get("base_types");
        for (Map.Entry<String, JsonNode> b : document.path("base_types").properties()) {
            if (!baseTypes.has(b.getKey())) {
                baseTypes.set(b.getKey(), b.getValue().deepCopy());
            }
        }
        sortKeys(userTypes);
        sortKeys(enums);
        sortKeys(baseTypes);

        for (String typeName : added) {
            checkFits(out, typeName);
        }
        for (String typeName : completed) {
            checkFits(out, typeName);
        }

        ObjectNode record = ((ObjectNode) out.get("metadata")).putObject(METADATA_KEY);
        record.put("file", name);
        strings(record.putArray("added"), added);
        strings(record.putArray("completed"), completed);
        strings(record.putArray("skipped"), skipped);
        record.set("sources", document.path("metadata").path("sources").deepCopy());
        ObjectNode ts = record.putObject("type_sources");
        typeSources.forEach(ts::set);
        ObjectNode fs = record.putObject("field_sources");
        fieldSources.forEach(fs::set);
        ObjectNode ns = record.putObject("notes");
        notes.forEach(ns::put);
        return new Merge(out, List.copyOf(added), List.copyOf(completed), List.copyOf(skipped));
    }

    /**
     * Checks that every field of a merged structure lies inside it and names types the merged document
     * defines (a pointer may point to a type it does not define).
     */
    private void checkFits(JsonNode isf, String typeName) throws IOException {
        JsonNode type = isf.path("user_types").path(typeName);
        long size = type.path("size").asLong();
        for (Map.Entry<String, JsonNode> f : type.path("fields").properties()) {
            String where = name + ": " + typeName + "." + f.getKey();
            long end = f.getValue().path("offset").asLong() + sizeOf(isf, f.getValue().get("type"), where);
            if (end > size) {
                throw new IOException(where + " ends at 0x" + Long.toHexString(end) + ", beyond the structure's size 0x"
                        + Long.toHexString(size));
            }
        }
    }

    /** @return the size in bytes of a type in an ISF document */
    static long sizeOf(JsonNode isf, JsonNode type, String where) throws IOException {
        String kind = type.path("kind").asText();
        return switch (kind) {
            case "base" -> known(isf.path("base_types").get(type.path("name").asText()), where).path("size").asLong();
            case "pointer" -> known(isf.path("base_types").get("pointer"), where).path("size").asLong();
            case "array" -> type.path("count").asLong() * sizeOf(isf, type.get("subtype"), where);
            case "struct", "union", "class" -> known(isf.path("user_types").get(strip(type.path("name").asText())),
                    where).path("size").asLong();
            case "enum" -> known(isf.path("enums").get(strip(type.path("name").asText())), where).path("size")
                    .asLong();
            case "bitfield" -> sizeOf(isf, type.get("type"), where);
            case "function" -> 0;
            default -> throw new IOException(where + " has unknown type kind '" + kind + "'");
        };
    }

    private static JsonNode known(JsonNode definition, String where) throws IOException {
        if (definition == null) {
            throw new IOException(where + " refers to a type the document does not define");
        }
        return definition;
    }

    private static String strip(String typeName) {
        int bang = typeName.indexOf('!');
        return bang >= 0 ? typeName.substring(bang + 1) : typeName;
    }

    /** @return true for a type the source declares but does not lay out (no size, no fields) */
    static boolean isDeclarationOnly(JsonNode type) {
        return type.path("size").asLong(0) == 0 && type.path("fields").isEmpty();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void sortKeys(ObjectNode node) {
        Map<String, JsonNode> byName = new TreeMap<>();
        node.properties().forEach(e -> byName.put(e.getKey(), e.getValue()));
        node.removeAll();
        Map<String, JsonNode> ordered = new LinkedHashMap<>(byName);
        ordered.forEach(node::set);
    }

    /**
     * Finds the supplement for each source in a folder of supplements.
     *
     * @return supplements by the source file they apply to
     * @throws IOException when two supplements apply to the same source or one cannot be read
     */
    public static Map<String, ProfileSupplement> readFolder(Path folder) throws IOException {
        Map<String, ProfileSupplement> out = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                ProfileSupplement s = read(f);
                ProfileSupplement previous = out.put(s.appliesTo(), s);
                if (previous != null) {
                    throw new IOException(f + ": " + previous.name() + " already supplements " + s.appliesTo());
                }
            }
        }
        return out;
    }
}
