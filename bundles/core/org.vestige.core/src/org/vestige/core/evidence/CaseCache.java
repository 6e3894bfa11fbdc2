package org.vestige.core.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.vestige.core.internal.io.AtomicFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What earlier opens learnt about evidence files, kept so that the next open need not learn it again: per file,
 * the file's {@linkplain FileIdentity identity} when it was learnt, its digests and when they were taken, and
 * facts other components record about it (what discovery found, keyed by names they choose).
 *
 * <p>An entry is used only while its file's identity is unchanged: a file whose size, modify time, change time or
 * file key moved is hashed and discovered again, and {@link Lookup#ignored()} says why the entry was not used.
 * Each entry is one small JSON file carrying the SHA-256 of its own content, so a truncated or edited entry is
 * recognised and ignored (with the reason) rather than believed.
 *
 * <p>The cache lives in a folder of its own: the user's cache folder by default ({@link #userDefault()}), or a
 * folder the analyst keeps with the case notes. It is never written beside the evidence: {@link #store} refuses a
 * cache folder that is the folder of the file it describes. Evidence files themselves are only read.
 *
 * @since 0.1
 */
public final class CaseCache {

    /** The system property naming the default cache folder, over {@code XDG_CACHE_HOME} and the home folder. */
    public static final String FOLDER_PROPERTY = "vestige.cache";

    private static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path folder;

    private CaseCache(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** @return a cache kept in {@code folder} (created on the first store) */
    public static CaseCache at(Path folder) {
        return new CaseCache(Objects.requireNonNull(folder, "folder"));
    }

    /**
     * @return the user's case cache: the folder named by the {@value #FOLDER_PROPERTY} system property, else
     *         {@code $XDG_CACHE_HOME/vestige}, else {@code %LOCALAPPDATA%\Vestige\cache} on Windows, else
     *         {@code ~/.cache/vestige}
     */
    public static CaseCache userDefault() {
        String property = System.getProperty(FOLDER_PROPERTY);
        if (property != null && !property.isBlank()) {
            return at(Paths.get(property));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return at(Paths.get(xdg, "vestige"));
        }
        String local = System.getenv("LOCALAPPDATA");
        if (local != null && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return at(Paths.get(local, "Vestige", "cache"));
        }
        return at(Paths.get(System.getProperty("user.home"), ".cache", "vestige"));
    }

    /** @return the folder the cache keeps its entries in */
    public Path folder() {
        return folder;
    }

    /**
     * What the cache knows about one file.
     *
     * @param identity the file's identity when this was learnt
     * @param digests  its digests, or {@code null} when it was never hashed
     * @param hashedAt when the digests were taken, or {@code null} with them
     * @param facts    what components recorded about the file, by name
     */
    public record Entry(FileIdentity identity, Digests digests, Instant hashedAt, Map<String, String> facts) {

        public Entry {
            Objects.requireNonNull(identity, "identity");
            facts = Map.copyOf(facts);
        }

        /** @return this entry with one more fact (or a fact's new value) */
        public Entry withFact(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(facts);
            more.put(name, value);
            return new Entry(identity, digests, hashedAt, more);
        }

        /** @return this entry with digests taken at {@code when} */
        public Entry withDigests(Digests taken, Instant when) {
            return new Entry(identity, taken, when, facts);
        }
    }

    /**
     * The answer to a {@link #lookup}: the entry when it holds for the file as it is now, else why not.
     *
     * @param entry   the entry, or {@code null} when there is none or it cannot be used
     * @param ignored why an entry the cache holds for the path was not used (the file changed, the entry is
     *                damaged), or {@code null}
     */
    public record Lookup(Entry entry, String ignored) {

        /** @return whether a usable entry was found */
        public boolean found() {
            return entry != null;
        }
    }

    /**
     * Looks up what the cache knows about a file in its current state. An entry recorded for an earlier state of
     * the file, or one that does not read back intact, is not returned; the answer says why.
     */
    public Lookup lookup(FileIdentity now) {
        Path file = entryFile(now.path());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Lookup(null, null);
        } catch (IOException e) {
            return new Lookup(null, "its entry " + file + " cannot be read: " + e.getMessage());
        }
        Entry entry;
        try {
            entry = parse(text);
        } catch (IOException | RuntimeException e) {
            return new Lookup(null, "its entry " + file + " is damaged (" + e.getMessage() + ")");
        }
        var changes = now.changesSince(entry.identity());
        if (!changes.isEmpty()) {
            return new Lookup(null, "the file changed since it was recorded: " + String.join("; ", changes));
        }
        return new Lookup(entry, null);
    }

    /**
     * Records what is known about a file, replacing any earlier entry for its path. The entry is written to a
     * temporary file and moved into place, so a reader never sees half an entry.
     *
     * @throws IOException if the folder cannot be written, or it is the evidence's own folder
     */
    public void store(Entry entry) throws IOException {
        Path evidenceFolder = entry.identity().path().getParent();
        if (folder.equals(evidenceFolder)) {
            throw new IOException("the case cache " + folder + " is the evidence's own folder; nothing is written "
                    + "beside the evidence (keep the cache elsewhere)");
        }
        AtomicFiles.write(entryFile(entry.identity().path()), format(entry).getBytes(StandardCharsets.UTF_8));
    }

    /** @return where the entry of the file at {@code path} is kept: one file per path, named by its hash */
    public Path entryFile(Path path) {
        String name = sha256(path.toAbsolutePath().normalize().toString()).substring(0, 32);
        return folder.resolve("evidence").resolve(name + ".json");
    }

    private static String format(Entry e) throws JsonProcessingException {
        ObjectNode body = MAPPER.createObjectNode();
        FileIdentity id = e.identity();
        body.put("path", id.path().toString());
        body.put("size", id.size());
        body.put("modified", id.modified().toString());
        body.put("changed", id.changed() == null ? null : id.changed().toString());
        body.put("key", id.key());
        if (e.digests() != null) {
            ObjectNode d = body.putObject("digests");
            d.put("md5", e.digests().md5());
            d.put("sha1", e.digests().sha1());
            d.put("sha256", e.digests().sha256());
            d.put("taken", e.hashedAt().toString());
        }
        ObjectNode facts = body.putObject("facts");
        e.facts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(f -> facts.put(f.getKey(), f
                .getValue()));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("vestigeCaseCache", VERSION);
        root.put("sha256", sha256(MAPPER.writeValueAsString(body)));
        root.set("entry", body);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static Entry parse(String text) throws IOException {
        JsonNode root = MAPPER.readTree(text);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        if (root.path("vestigeCaseCache").asInt(-1) != VERSION) {
            throw new IOException("version " + root.path("vestigeCaseCache") + ", expected " + VERSION);
        }
        JsonNode body = root.get("entry");
        if (body == null || !body.isObject()) {
            throw new IOException("no entry");
        }
        if (!sha256(MAPPER.writeValueAsString(body)).equals(root.path("sha256").asText())) {
            throw new IOException("its content does not match its SHA-256");
        }
        try {
            FileIdentity id = new FileIdentity(Paths.get(text(body, "path")), body.path("size").asLong(-1),
                    Instant.parse(text(body, "modified")), body.path("changed").isTextual() ? Instant.parse(body.get(
                            "changed").asText()) : null, text(body, "key"));
            Digests digests = null;
            Instant taken = null;
            JsonNode d = body.get("digests");
            if (d != null && d.isObject()) {
                digests = new Digests(text(d, "md5"), text(d, "sha1"), text(d, "sha256"));
                taken = Instant.parse(text(d, "taken"));
            }
            Map<String, String> facts = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("facts").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                facts.put(f.getKey(), f.getValue().asText());
            }
            return new Entry(id, digests, taken, facts);
        } catch (DateTimeParseException e) {
            throw new IOException("a time does not parse: " + e.getParsedString(), e);
        }
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("no " + field);
        }
        return v.asText();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
