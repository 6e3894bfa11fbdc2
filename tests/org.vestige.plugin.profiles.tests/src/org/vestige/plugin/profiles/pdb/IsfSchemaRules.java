package org.vestige.plugin.profiles.pdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules of Volatility 3's ISF JSON schema (format 6.x, {@code volatility3/schemas/schema-6.x.json}),
 * checked in code: required keys and their JSON types, the allowed kinds, no unknown keys where the
 * schema forbids them. Returns every violation with its JSON path.
 */
public final class IsfSchemaRules {

    private final List<String> problems = new ArrayList<>();

    private IsfSchemaRules() {
    }

    /** @return the violations, empty when the document follows the schema */
    public static List<String> check(JsonNode isf) {
        IsfSchemaRules r = new IsfSchemaRules();
        r.document(isf);
        return r.problems;
    }

    private void document(JsonNode isf) {
        if (!isf.isObject()) {
            problems.add("$: not an object");
            return;
        }
        only("$", isf, Set.of("metadata", "base_types", "user_types", "enums", "symbols"), Set.of("metadata",
                "base_types", "user_types", "enums", "symbols"));
        metadata(isf.path("metadata"));
        isf.path("base_types").properties().forEach(e -> baseType("$.base_types." + e.getKey(), e.getValue()));
        isf.path("user_types").properties().forEach(e -> userType("$.user_types." + e.getKey(), e.getValue()));
        isf.path("enums").properties().forEach(e -> enumeration("$.enums." + e.getKey(), e.getValue()));
        isf.path("symbols").properties().forEach(e -> symbol("$.symbols." + e.getKey(), e.getValue()));
    }

    private void metadata(JsonNode m) {
        only("$.metadata", m, Set.of("format", "producer", "windows"), Set.of("format", "windows"));
        if (!m.path("format").asText().matches("6\\.[0-9]+\\.[0-9]+")) {
            problems.add("$.metadata.format: not 6.x.y");
        }
        if (m.has("producer")) {
            only("$.metadata.producer", m.get("producer"), Set.of("name", "version", "datetime"), Set.of("name",
                    "version"));
            if (!m.path("producer").path("version").asText().matches("[0-9]+.[0-9]+.[0-9]+")) {
                problems.add("$.metadata.producer.version: not x.y.z");
            }
        }
        JsonNode w = m.path("windows");
        only("$.metadata.windows", w, Set.of("pe", "pdb"), Set.of());
        if (w.has("pdb")) {
            JsonNode pdb = w.get("pdb");
            only("$.metadata.windows.pdb", pdb, Set.of("GUID", "age", "database", "machine_type"), Set.of("GUID",
                    "age", "database", "machine_type"));
            types("$.metadata.windows.pdb", pdb, Map.of("GUID", "string", "age", "integer", "database", "string",
                    "machine_type", "integer"));
        }
        if (w.has("pe")) {
            only("$.metadata.windows.pe", w.get("pe"), Set.of("major", "minor", "revision", "build"), Set.of("major",
                    "minor", "revision"));
            types("$.metadata.windows.pe", w.get("pe"), Map.of("major", "integer", "minor", "integer", "revision",
                    "integer", "build", "integer"));
        }
    }

    private void baseType(String at, JsonNode b) {
        only(at, b, Set.of("size", "signed", "kind", "endian"), Set.of("size", "signed", "kind", "endian"));
        types(at, b, Map.of("size", "integer", "signed", "boolean", "kind", "string", "endian", "string"));
        if (!b.path("kind").asText().matches("void|int|float|char|bool")) {
            problems.add(at + ".kind: " + b.path("kind"));
        }
        if (!b.path("endian").asText().matches("little|big")) {
            problems.add(at + ".endian: " + b.path("endian"));
        }
    }

    private void userType(String at, JsonNode u) {
        only(at, u, Set.of("kind", "size", "fields"), Set.of("kind", "size", "fields"));
        types(at, u, Map.of("kind", "string", "size", "integer", "fields", "object"));
        if (!u.path("kind").asText().matches("struct|union|class")) {
            problems.add(at + ".kind: " + u.path("kind"));
        }
        u.path("fields").properties().forEach(f -> {
            String fat = at + ".fields." + f.getKey();
            only(fat, f.getValue(), Set.of("type", "offset", "anonymous"), Set.of("type", "offset"));
            types(fat, f.getValue(), Map.of("offset", "integer", "anonymous", "boolean"));
            descriptor(fat + ".type", f.getValue().path("type"));
        });
    }

    private void enumeration(String at, JsonNode e) {
        only(at, e, Set.of("size", "base", "constants"), Set.of("size", "base", "constants"));
        types(at, e, Map.of("size", "integer", "base", "string", "constants", "object"));
        e.path("constants").properties().forEach(c -> {
            if (!c.getValue().isIntegralNumber()) {
                problems.add(at + ".constants." + c.getKey() + ": not an integer");
            }
        });
    }

    private void symbol(String at, JsonNode s) {
        only(at, s, Set.of("address", "linkage_name", "type", "constant_data"), Set.of("address"));
        types(at, s, Map.of("address", "number", "linkage_name", "string", "constant_data", "string"));
        if (s.has("type")) {
            descriptor(at + ".type", s.get("type"));
        }
    }

    private void descriptor(String at, JsonNode d) {
        String kind = d.path("kind").asText();
        switch (kind) {
            case "pointer" -> {
                only(at, d, Set.of("kind", "base", "subtype"), Set.of("kind", "subtype"));
                descriptor(at + ".subtype", d.path("subtype"));
            }
            case "base", "enum", "struct", "class", "union" -> {
                only(at, d, Set.of("kind", "name"), Set.of("kind", "name"));
                types(at, d, Map.of("name", "string"));
            }
            case "array" -> {
                only(at, d, Set.of("kind", "subtype", "count"), Set.of("kind", "subtype", "count"));
                types(at, d, Map.of("count", "integer"));
                descriptor(at + ".subtype", d.path("subtype"));
            }
            case "function" -> only(at, d, Set.of("kind"), Set.of("kind"));
            case "bitfield" -> {
                only(at, d, Set.of("kind", "bit_position", "bit_length", "type"), Set.of("kind", "bit_position",
                        "bit_length", "type"));
                types(at, d, Map.of("bit_position", "integer", "bit_length", "integer"));
                String inner = d.path("type").path("kind").asText();
                if (!inner.equals("base") && !inner.equals("enum")) {
                    problems.add(at + ".type: a bitfield's type must be base or enum, is " + inner);
                } else {
                    descriptor(at + ".type", d.path("type"));
                }
            }
            default -> problems.add(at + ": unknown kind '" + kind + "'");
        }
    }

    private void only(String at, JsonNode node, Set<String> allowed, Set<String> required) {
        if (!node.isObject()) {
            problems.add(at + ": not an object");
            return;
        }
        for (String r : required) {
            if (!node.has(r)) {
                problems.add(at + ": no '" + r + "'");
            }
        }
        node.fieldNames().forEachRemaining(n -> {
            if (!allowed.contains(n)) {
                problems.add(at + ": '" + n + "' is not allowed");
            }
        });
    }

    private void types(String at, JsonNode node, Map<String, String> expected) {
        expected.forEach((key, type) -> {
            JsonNode v = node.get(key);
            boolean ok = v == null || switch (type) {
                case "string" -> v.isTextual();
                case "integer" -> v.isIntegralNumber();
                case "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                default -> v.isObject();
            };
            if (!ok) {
                problems.add(at + "." + key + ": not " + (type.equals("integer") ? "an " : "a ") + type);
            }
        });
    }
}
