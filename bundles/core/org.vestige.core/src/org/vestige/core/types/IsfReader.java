package org.vestige.core.types;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tukaani.xz.XZInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads Volatility 3 Intermediate Symbol Format (ISF) JSON, plain or xz-compressed, into a
 * {@link Profile}. Validates what the rest of Vestige relies on (the required top-level keys, a
 * {@code pointer} base type, and that every named type a field refers to exists) and reports
 * problems with the file and the JSON path.
 *
 * @since 0.1
 */
public final class IsfReader {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);

    private IsfReader() {
    }

    /**
     * The most memory an xz-compressed symbol table may need to decompress, in KiB: 96 MiB covers every xz
     * preset up to {@code -9e} (a 64 MiB dictionary, about 65 MiB to decode), so only a stream crafted with a
     * larger dictionary is refused.
     *
     * @since 0.1
     */
    public static final int XZ_MEMORY_LIMIT_KIB = 96 * 1024;

    /**
     * Opens xz-compressed symbols with {@link #XZ_MEMORY_LIMIT_KIB}: a block whose header asks for more memory is
     * refused before its dictionary is allocated.
     *
     * @param source names the stream in the messages
     * @return the decompressed bytes; a read that meets a block over the limit throws an {@link IOException}
     *         naming {@code source} and the memory the block asked for
     * @throws IOException naming {@code source} when the xz stream header is unreadable
     * @since 0.1
     */
    public static InputStream xz(InputStream in, String source) throws IOException {
        InputStream xz;
        try {
            xz = new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
        } catch (org.tukaani.xz.MemoryLimitException e) {
            throw overLimit(source, e);
        } catch (IOException e) {
            throw new IOException(source + ": not a readable xz stream: " + e.getMessage(), e);
        }
        return new java.io.FilterInputStream(xz) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (org.tukaani.xz.MemoryLimitException e) {
                    throw overLimit(source, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (org.tukaani.xz.MemoryLimitException e) {
                    throw overLimit(source, e);
                }
            }
        };
    }

    private static IOException overLimit(String source, org.tukaani.xz.MemoryLimitException e) {
        return new IOException(source + ": the xz stream needs " + e.getMemoryNeeded() + " KiB to decompress, more "
                + "than the " + XZ_MEMORY_LIMIT_KIB + " KiB allowed for symbols (recompress it with a standard xz "
                + "preset)", e);
    }

    /** Reads a {@code .json} or {@code .json.xz} file. */
    public static Profile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads ISF from a stream; xz compression is detected from the stream's magic bytes.
     *
     * @param source names the stream in messages and in {@link Profile#source()}
     * @throws IOException with the source named when the JSON is malformed or not ISF
     */
    public static Profile read(InputStream raw, String source) throws IOException {
        return fromTree(tree(raw, source), source);
    }

    /**
     * Reads a kernel's profile stored as two documents: the types its build's kernels share and the
     * kernel's own document (its identity, its symbols and the types in which it differs from the
     * shared ones). The kernel's types, enums and base types replace the shared ones of the same name;
     * the shared entries named in its {@code metadata.vestige.absent} (per section) are dropped.
     *
     * @param shared the shared types document ({@code .json} or {@code .json.xz})
     * @param own    the kernel's document
     * @param source names the pair in messages and in {@link Profile#source()}
     * @throws IOException with the source named when either is malformed or the result is not ISF
     * @since 0.1
     */
    public static Profile readLayered(InputStream shared, InputStream own, String source) throws IOException {
        return fromTree(layer(shared, own, source), source);
    }

    /**
     * @return the whole ISF document of a kernel stored as shared types and its own document (see
     *         {@link #readLayered}), as JSON
     * @since 0.1
     */
    public static byte[] layeredJson(InputStream shared, InputStream own, String source) throws IOException {
        return MAPPER.writeValueAsBytes(layer(shared, own, source));
    }

    private static ObjectNode layer(InputStream shared, InputStream own, String source) throws IOException {
        JsonNode base = tree(shared, source + " (shared types)");
        JsonNode kernel = tree(own, source);
        ObjectNode merged = ((ObjectNode) kernel).deepCopy();
        for (String key : new String[] {"base_types", "user_types", "enums"}) {
            ObjectNode layer = merged.putObject(key);
            base.path(key).properties().forEach(e -> layer.set(e.getKey(), e.getValue()));
            kernel.path(key).properties().forEach(e -> layer.set(e.getKey(), e.getValue()));
        }
        JsonNode absent = kernel.path("metadata").path("vestige").path("absent");
        for (String key : new String[] {"base_types", "user_types", "enums"}) {
            for (JsonNode name : absent.path(key)) {
                ((ObjectNode) merged.get(key)).remove(name.asText());
            }
        }
        return merged;
    }

    private static JsonNode tree(InputStream raw, String source) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(6);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length == 6 && (magic[0] & 0xff) == 0xFD && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                && magic[4] == 'Z' && magic[5] == 0) {
            in = new BufferedInputStream(xz(in, source), 1 << 16);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(source + ": not an ISF file (top level is not an object)");
        }
        return root;
    }

    private static Profile fromTree(JsonNode root, String source) throws IOException {
        for (String key : new String[] {"metadata", "base_types", "user_types", "enums", "symbols"}) {
            if (!root.has(key)) {
                throw new IOException(source + ": not an ISF file (no '" + key + "')");
            }
        }
        Map<String, BaseType> baseTypes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.get("base_types").properties()) {
            JsonNode b = e.getValue();
            baseTypes.put(e.getKey(), new BaseType(e.getKey(), b.path("kind").asText("int"), b.path("size").asInt(),
                    b.path("signed").asBoolean(false), !"big".equals(b.path("endian").asText("little"))));
        }
        if (!baseTypes.containsKey("pointer") && !root.get("user_types").isEmpty()) {
            // a table of symbols alone (a driver's public symbols) lays out nothing that points
            throw new IOException(source + ": base_types has no 'pointer'");
        }
        Map<String, StructType> structs = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.get("user_types").properties()) {
            JsonNode u = e.getValue();
            Map<String, Field> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : u.path("fields").properties()) {
                String where = "user_types." + e.getKey() + ".fields." + f.getKey();
                fields.put(f.getKey(), new Field(f.getKey(), f.getValue().path("offset").asLong(),
                        typeRef(f.getValue().get("type"), source, where), f.getValue().path("anonymous").asBoolean()));
            }
            structs.put(e.getKey(), new StructType(e.getKey(), u.path("kind").asText("struct"), u.path("size").asLong(),
                    fields));
        }
        Map<String, EnumType> enums = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.get("enums").properties()) {
            Map<String, Long> constants = new HashMap<>();
            e.getValue().path("constants").properties().forEach(c -> constants.put(c.getKey(), c.getValue()
                    .asLong()));
            enums.put(e.getKey(), new EnumType(e.getKey(), e.getValue().path("size").asInt(), e.getValue().path("base")
                    .asText(), constants));
        }
        Map<String, Long> symbols = new HashMap<>();
        root.get("symbols").properties().forEach(s -> {
            JsonNode addr = s.getValue().get("address");
            if (addr != null && addr.canConvertToLong()) {
                symbols.put(s.getKey(), addr.asLong());
            }
        });
        JsonNode meta = root.get("metadata");
        JsonNode pdb = meta.path("windows").path("pdb");
        JsonNode pe = meta.path("windows").path("pe");
        int machine = pdb.path("machine_type").asInt(0);
        if (machine == 0) {
            String arch = meta.path("producer").path("architecture").asText("");
            machine = switch (arch) {
                case "x64" -> 0x8664;
                case "x86" -> 0x14c;
                default -> !baseTypes.containsKey("pointer") || baseTypes.get("pointer").size() == 8 ? 0x8664 : 0x14c;
            };
        }
        ProfileIdentity identity = new ProfileIdentity(pdb.hasNonNull("database") ? pdb.get("database").asText() : null,
                pdb.hasNonNull("GUID") ? pdb.get("GUID").asText() : null, pdb.path("age").asInt(0), machine,
                pe.path("major").asInt(0), pe.path("minor").asInt(0), pe.path("build").asInt(0));
        boolean typesOnly = meta.path("producer").path("types_only").asBoolean(false);
        Profile profile = new Profile(source, identity, typesOnly, baseTypes, structs, enums, symbols);
        validate(profile);
        return profile;
    }

    private static TypeRef typeRef(JsonNode t, String source, String where) throws IOException {
        if (t == null || !t.isObject()) {
            throw new IOException(source + ": " + where + " has no type");
        }
        String kind = t.path("kind").asText();
        return switch (kind) {
            case "base" -> new TypeRef.Base(t.path("name").asText());
            case "pointer" -> new TypeRef.Pointer(typeRef(t.get("subtype"), source, where + ".subtype"));
            case "array" -> new TypeRef.Array(t.path("count").asInt(), typeRef(t.get("subtype"), source, where
                    + ".subtype"));
            case "struct", "union", "class" -> new TypeRef.Struct(strip(t.path("name").asText()));
            case "enum" -> new TypeRef.Enum(strip(t.path("name").asText()));
            case "bitfield" -> new TypeRef.Bitfield(t.path("bit_position").asInt(), t.path("bit_length").asInt(),
                    typeRef(t.get("type"), source, where + ".type"));
            case "function" -> new TypeRef.Function();
            default -> throw new IOException(source + ": " + where + " has unknown type kind '" + kind + "'");
        };
    }

    private static String strip(String name) {
        int bang = name.indexOf('!');
        return bang >= 0 ? name.substring(bang + 1) : name;
    }

    private static void validate(Profile p) throws IOException {
        for (StructType s : p.structs().values()) {
            for (Field f : s.fields().values()) {
                String dangling = dangling(p, f.type());
                if (dangling != null) {
                    throw new IOException(p.source() + ": " + s.name() + "." + f.name() + " refers to undefined type "
                            + dangling);
                }
            }
        }
    }

    private static String dangling(Profile p, TypeRef t) {
        return switch (t) {
            case TypeRef.Base b -> p.baseTypes().containsKey(b.name()) ? null : b.name();
            case TypeRef.Pointer ptr -> ptr.subtype() instanceof TypeRef.Struct ? null : dangling(p, ptr.subtype());
            case TypeRef.Array a -> dangling(p, a.subtype());
            case TypeRef.Struct s -> p.structs().containsKey(s.name()) ? null : s.name();
            case TypeRef.Enum e -> p.enums().containsKey(e.name()) ? null : e.name();
            case TypeRef.Bitfield bf -> dangling(p, bf.type());
            case TypeRef.Function f -> null;
        };
    }
}
