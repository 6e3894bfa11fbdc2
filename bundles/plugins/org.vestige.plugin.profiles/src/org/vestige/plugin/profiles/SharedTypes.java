package org.vestige.plugin.profiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.tukaani.xz.XZInputStream;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stores the kernels of one build as one shared types document plus, per kernel, a small document
 * with its identity, its symbols and only the types in which it differs: the kernels of a build
 * (its monthly revisions) lay out almost every structure alike, so 40 kernels of a build cost little
 * more than one. The shared document holds, for each type, enum and base type, the definition most
 * of the build's kernels have (the latest revision's on a tie); a kernel's own document holds the
 * definitions that differ from it and names, in {@code metadata.vestige.absent} (per section), the
 * shared entries it does not have. {@link IsfReader#readLayered} puts the two back together.
 *
 * <p>Every split is checked: each kernel read back from the shared document and its own must have the
 * same identity, types, enums, base types and symbols as the kernel's whole document.
 *
 * @since 0.1
 */
public final class SharedTypes {

    /** The shared types document's name inside a bundle's {@link ProfileBundleWriter#PROFILE_FOLDER}. */
    public static final String FILE_NAME = "types.json.xz";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] SECTIONS = {"base_types", "user_types", "enums"};

    /**
     * A build's kernels split.
     *
     * @param shared the shared types document, xz-compressed
     * @param own    each kernel's own document, xz-compressed, by profile id
     * @since 0.1
     */
    public record Split(byte[] shared, Map<String, byte[]> own) {
    }

    private SharedTypes() {
    }

    /**
     * @param build   names the build in the shared document and in messages
     * @param kernels the build's kernels (their whole, trimmed documents), latest revision last
     * @throws IOException when a kernel does not read back the same
     */
    public static Split split(String build, List<ProfileBundleWriter.Imported> kernels) throws IOException {
        List<JsonNode> trees = new ArrayList<>();
        for (ProfileBundleWriter.Imported k : kernels) {
            trees.add(tree(k.data()));
        }
        ObjectNode shared = MAPPER.createObjectNode();
        ObjectNode meta = shared.putObject("metadata");
        meta.set("format", trees.get(trees.size() - 1).path("metadata").path("format"));
        meta.putObject("vestige").put("shared_types_of", build).put("kernels", kernels.size());
        for (String section : SECTIONS) {
            shared.set(section, majority(trees, section));
        }
        shared.putObject("symbols");
        byte[] sharedXz = ProfileBundleWriter.xz(MAPPER.writeValueAsBytes(shared));

        Map<String, byte[]> own = new LinkedHashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            ProfileBundleWriter.Imported k = kernels.get(i);
            byte[] data = ProfileBundleWriter.xz(MAPPER.writeValueAsBytes(delta(trees.get(i), shared)));
            check(k, sharedXz, data);
            own.put(k.id(), data);
        }
        return new Split(sharedXz, own);
    }

    /** @return per name, the definition most documents have; the last document's on a tie */
    private static ObjectNode majority(List<JsonNode> trees, String section) {
        Map<String, Map<JsonNode, Integer>> counts = new TreeMap<>();
        Map<String, JsonNode> latest = new HashMap<>();
        for (JsonNode t : trees) {
            t.path(section).properties().forEach(e -> {
                counts.computeIfAbsent(e.getKey(), n -> new LinkedHashMap<>()).merge(e.getValue(), 1, Integer::sum);
                latest.put(e.getKey(), e.getValue());
            });
        }
        ObjectNode out = MAPPER.createObjectNode();
        counts.forEach((name, defs) -> {
            int best = defs.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            JsonNode chosen = defs.get(latest.get(name)) == best ? latest.get(name) : defs.entrySet().stream()
                    .filter(d -> d.getValue() == best).findFirst().orElseThrow().getKey();
            out.set(name, chosen);
        });
        return out;
    }

    private static ObjectNode delta(JsonNode whole, ObjectNode shared) {
        ObjectNode out = ((ObjectNode) whole).deepCopy();
        for (String section : SECTIONS) {
            ObjectNode mine = out.putObject(section);
            whole.path(section).properties().forEach(e -> {
                if (!Objects.equals(shared.path(section).get(e.getKey()), e.getValue())) {
                    mine.set(e.getKey(), e.getValue());
                }
            });
        }
        ObjectNode vestige = ((ObjectNode) out.get("metadata")).putObject("vestige");
        vestige.put("shared_types", FILE_NAME);
        ObjectNode absent = vestige.putObject("absent");
        for (String section : SECTIONS) {
            ArrayNode names = absent.putArray(section);
            shared.path(section).fieldNames().forEachRemaining(n -> {
                if (!whole.path(section).has(n)) {
                    names.add(n);
                }
            });
        }
        return out;
    }

    private static void check(ProfileBundleWriter.Imported k, byte[] shared, byte[] own) throws IOException {
        Profile whole = IsfReader.read(new ByteArrayInputStream(k.data()), k.id());
        Profile layered = IsfReader.readLayered(new ByteArrayInputStream(shared), new ByteArrayInputStream(own), k
                .id());
        String differs = !whole.identity().equals(layered.identity()) ? "identity" : !sameStructs(whole, layered)
                ? "types" : !whole.enums().equals(layered.enums()) ? "enums" : !whole.baseTypes().equals(layered
                        .baseTypes()) ? "base types" : !whole.symbols().equals(layered.symbols()) ? "symbols" : null;
        if (differs != null) {
            throw new IOException(k.id() + ": the shared types and the kernel's own document do not read back as "
                    + "the kernel's profile (its " + differs + " differ)");
        }
    }

    private static boolean sameStructs(Profile a, Profile b) {
        if (!a.structs().keySet().equals(b.structs().keySet())) {
            return false;
        }
        for (StructType s : a.structs().values()) {
            StructType t = b.structs().get(s.name());
            if (s.size() != t.size() || !s.kind().equals(t.kind()) || !s.fields().equals(t.fields())) {
                return false;
            }
        }
        return true;
    }

    /** @return the kernel's file revision recorded in its document's {@code metadata.windows.pe}, or 0 */
    static int revision(ProfileBundleWriter.Imported k) throws IOException {
        return tree(k.data()).path("metadata").path("windows").path("pe").path("revision").asInt(0);
    }

    /** @return an xz-compressed document, decompressed */
    static byte[] plain(byte[] xz) throws IOException {
        try (XZInputStream in = new XZInputStream(new ByteArrayInputStream(xz))) {
            return in.readAllBytes();
        }
    }

    private static JsonNode tree(byte[] xz) throws IOException {
        try (XZInputStream in = new XZInputStream(new ByteArrayInputStream(xz))) {
            return MAPPER.readTree(in);
        }
    }
}
