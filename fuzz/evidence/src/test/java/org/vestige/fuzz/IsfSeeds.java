package org.vestige.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.tukaani.xz.XZInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ISF seeds: a real profile cut down to a few structs and every type they name (so that it still passes the
 * reader's validation), and a few symbols. Whole profiles are megabytes, far too big for mutation.
 */
final class IsfSeeds {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SYMBOLS = 16;
    private static final int MAX_TYPES = 24;

    private IsfSeeds() {
    }

    /** @return {@code profile} (plain or xz JSON) with only {@code structs} and what they refer to */
    static byte[] trimmed(Path profile, String... structs) throws IOException {
        JsonNode root;
        try (InputStream raw = Files.newInputStream(profile);
                InputStream in = profile.toString().endsWith(".xz") ? new XZInputStream(raw) : raw) {
            root = JSON.readTree(in);
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("metadata", root.get("metadata"));
        out.set("base_types", root.get("base_types"));
        ObjectNode users = out.putObject("user_types");
        ObjectNode enums = out.putObject("enums");
        Set<String> wanted = closure(root, structs);
        for (String name : wanted) {
            if (root.get("user_types").has(name)) {
                users.set(name, root.get("user_types").get(name));
            } else if (root.get("enums").has(name)) {
                enums.set(name, root.get("enums").get(name));
            }
        }
        ObjectNode symbols = out.putObject("symbols");
        Iterator<Map.Entry<String, JsonNode>> it = root.get("symbols").fields();
        for (int i = 0; i < SYMBOLS && it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            symbols.set(e.getKey(), e.getValue());
        }
        return JSON.writeValueAsBytes(out);
    }

    /** The named user types and enums reachable from {@code structs} through fields, up to {@value #MAX_TYPES}. */
    private static Set<String> closure(JsonNode root, String... structs) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(java.util.List.of(structs));
        while (!todo.isEmpty() && seen.size() < MAX_TYPES) {
            String name = todo.pop();
            if (!seen.add(name) || !root.get("user_types").has(name)) {
                continue;
            }
            for (JsonNode field : root.get("user_types").get(name).path("fields")) {
                field.get("type").findValues("name").forEach(n -> todo.add(n.asText()));
            }
        }
        return seen;
    }
}
