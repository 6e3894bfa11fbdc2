package org.vestige.plugin.profiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.ProfileIdentity;
import org.vestige.core.types.StructType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns ISF documents into installable OSGi profile bundles: one bundle folder per Windows build
 * and architecture ({@code org.vestige.profile.windows.<arch>.<build>}) with {@code META-INF/MANIFEST.MF},
 * {@code build.properties}, a Tycho {@code pom.xml}, a {@code plugin.xml} contributing each profile
 * to {@code org.vestige.core.profiles} with the identity it is matched by, and the (optionally
 * trimmed) ISF as {@code profiles/<key>.json.xz}.
 *
 * <p>Every document is checked before it is accepted: the source must read as a valid profile,
 * and the written file is read back with {@link IsfReader} and must have the same identity, every
 * kept type with the same size and the same fields at the same offsets as the source, and every
 * kept symbol at the same RVA. A document whose build cannot be told (neither its metadata, nor
 * its {@code NtBuildLab} constant, nor the table in {@link KernelVersions}) is refused.
 *
 * <p>ISF made from a PDB alone has no PE version; the writer records the build it determined in
 * {@code metadata.windows.pe}, so the loaded profile reports its build and can be matched by build
 * when the PDB identity of a kernel in memory differs.
 *
 * @since 0.1
 */
public final class ProfileBundleWriter {

    /** Prefix of every profile bundle's symbolic name. */
    public static final String BUNDLE_PREFIX = "org.vestige.profile.windows.";

    /** Folder inside the bundle that holds the ISF files. */
    public static final String PROFILE_FOLDER = "profiles";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);

    /**
     * A license or notice file that must travel with the data of a profile.
     *
     * @param fileName name under {@code about_files/} in the bundle
     * @param text     its content
     * @since 0.1
     */
    public record Notice(String fileName, String text) {

        public Notice {
            if (!fileName.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("notice file name '" + fileName + "' must be a plain file name");
            }
        }
    }

    /**
     * One accepted profile.
     *
     * @param source        where it came from
     * @param id            the profile id, e.g. {@code windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1}
     * @param bundle        the symbolic name of the bundle it goes into
     * @param identity      the identity of the written profile (as {@link IsfReader} reads it back)
     * @param file          its path inside the bundle
     * @param trimmed       whether it was trimmed
     * @param roots         root types present (all types when not trimmed)
     * @param types         user types written
     * @param enums         enums written
     * @param symbols       symbols written
     * @param sourceTypes   user types in the source
     * @param sourceSymbols symbols in the source
     * @param data          the xz-compressed ISF
     * @param notice        license to ship with it, or null
     * @param supplement    the supplement merged into the source ({@link ProfileSupplement}), or null
     * @param supplied      user types written that came from the supplement
     * @since 0.1
     */
    public record Imported(String source, String id, String bundle, ProfileIdentity identity, String file,
            boolean trimmed, List<String> roots, int types, int enums, int symbols, int sourceTypes,
            int sourceSymbols, byte[] data, Notice notice, String supplement, int supplied) {

        /** @return the compressed size in bytes */
        public long size() {
            return data.length;
        }

        public String architecture() {
            return identity.architecture();
        }

        public int build() {
            return identity.build();
        }
    }

    /**
     * A bundle folder written.
     *
     * @since 0.1
     */
    public record WrittenBundle(String symbolicName, Path folder, List<Imported> profiles) {
    }

    private final IsfTrimmer trimmer;
    private final Map<String, Imported> byId = new LinkedHashMap<>();
    private int preset = LZMA2Options.PRESET_MAX;

    /**
     * @param trimmer the trimmer to apply, or null to write documents whole
     */
    public ProfileBundleWriter(IsfTrimmer trimmer) {
        this.trimmer = trimmer;
    }

    /**
     * Compresses each document quickly while it is checked (for many documents at once); the bundle files
     * are still written as small as can be, so {@link Imported#size()} is then not the written size.
     *
     * @return this writer
     */
    public ProfileBundleWriter withQuickChecks() {
        preset = LZMA2Options.PRESET_MIN;
        return this;
    }

    /** @return the profiles accepted so far, in the order they were added */
    public Collection<Imported> imported() {
        synchronized (byId) {
            return List.copyOf(byId.values());
        }
    }

    /** Reads, trims, compresses and checks one document; documents may be added from several threads. */
    public Imported add(IsfSources.Source source, Notice notice) throws IOException {
        return add(source.name(), source.stem(), source.read(), notice);
    }

    /**
     * Trims, compresses and checks one document.
     *
     * @param name   names the document in messages
     * @param stem   names the written file when the document has no PDB identity (e.g.
     *               {@code win7_sp1_x64_24000})
     * @param json   the document, uncompressed
     * @param notice license to ship with it, or null
     * @throws IOException naming the document when it is not a valid profile, its build cannot be
     *                     told, its id was already added, or the written file does not read back the
     *                     same
     */
    public Imported add(String name, String stem, byte[] json, Notice notice) throws IOException {
        Profile original = IsfReader.read(new ByteArrayInputStream(json), name);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        ProfileIdentity id = original.identity();
        if (!"x64".equals(id.architecture()) && !"x86".equals(id.architecture())) {
            throw new IOException(name + ": cannot tell the architecture (machine type 0x"
                    + Integer.toHexString(id.machineType()) + ")");
        }
        boolean module = IsfTrimmer.isModule(id.pdbName());
        KernelVersions.Version version = module ? ModuleVersions.version(tree, id) : version(tree, id, name);

        ObjectNode out;
        List<String> roots;
        int enums;
        if (trimmer != null) {
            IsfTrimmer.Result r = trimmer.forPdb(id.pdbName()).trim(tree, name);
            out = r.isf();
            roots = r.roots();
            enums = r.enums().size();
        } else {
            out = (ObjectNode) tree;
            roots = new ArrayList<>(new TreeMap<>(original.structs()).keySet());
            enums = original.enums().size();
        }
        if (version.build() != 0) {
            recordVersion(out, version);
        }

        String key = id.guid() != null ? id.guid() + "-" + Integer.toHexString(id.age()).toUpperCase(Locale.ROOT)
                : stem.replaceAll("[^A-Za-z0-9_.-]", "_");
        String group = module ? ModuleVersions.moduleName(id.pdbName()) : String.valueOf(version.build());
        String profileId = "windows." + id.architecture() + "." + group + "." + key;
        byte[] data = xz(MAPPER.writeValueAsBytes(out), preset);
        String file = PROFILE_FOLDER + "/" + key + ".json.xz";
        String bundle = BUNDLE_PREFIX + id.architecture() + "." + group;
        Profile written = IsfReader.read(new ByteArrayInputStream(data), bundle + "/" + file);
        check(original, written, roots, version.build(), name);

        JsonNode supplement = out.path("metadata").path(ProfileSupplement.METADATA_KEY);
        int supplied = 0;
        for (String list : new String[] {"added", "completed"}) {
            for (JsonNode t : supplement.path(list)) {
                supplied += written.structs().containsKey(t.asText()) ? 1 : 0;
            }
        }
        Imported imported = new Imported(name, profileId, bundle, written.identity(), file, trimmer != null, List
                .copyOf(roots), written.structs().size(), enums, written.symbols().size(), original.structs().size(),
                original.symbols().size(), data, notice, supplement.isMissingNode() ? null : supplement.path("file")
                        .asText(), supplied);
        synchronized (byId) {
            Imported previous = byId.putIfAbsent(profileId, imported);
            if (previous != null) {
                throw new IOException(name + ": profile " + profileId + " was already imported from " + previous
                        .source());
            }
        }
        return imported;
    }

    private static KernelVersions.Version version(JsonNode tree, ProfileIdentity id, String name) throws IOException {
        if (id.build() != 0) {
            return new KernelVersions.Version(id.major(), id.minor(), id.build(), tree.path("metadata").path("windows")
                    .path("pe").path("revision").asInt(0));
        }
        String pdb = id.pdbKey().orElse(null);
        var fromTable = pdb == null ? java.util.Optional.<KernelVersions.Version>empty() : KernelVersions.known(pdb);
        var fromLab = KernelVersions.buildFromLab(tree);
        if (fromLab.isPresent()) {
            if (fromTable.isPresent() && fromTable.get().build() != fromLab.get()) {
                throw new IOException(name + ": NtBuildLab says build " + fromLab.get() + " but " + pdb
                        + " is known as " + fromTable.get());
            }
            return fromTable.orElseGet(() -> KernelVersions.forBuild(fromLab.get()));
        }
        return fromTable.orElseThrow(() -> new IOException(name + ": cannot tell the Windows build: no "
                + "metadata.windows.pe, no NtBuildLab constant data, and " + (pdb == null ? "no PDB identity"
                        : pdb + " is not a known kernel")));
    }

    private static void recordVersion(ObjectNode isf, KernelVersions.Version v) {
        ObjectNode meta = (ObjectNode) isf.get("metadata");
        ObjectNode windows = meta.has("windows") && meta.get("windows").isObject() ? (ObjectNode) meta.get("windows")
                : meta.putObject("windows");
        if (!windows.path("pe").isObject()) {
            ObjectNode pe = windows.putObject("pe");
            pe.put("major", v.major()).put("minor", v.minor()).put("revision", v.revision()).put("build", v.build());
        }
    }

    private static void check(Profile source, Profile written, List<String> roots, int build, String name)
            throws IOException {
        String where = name + " → " + written.source();
        ProfileIdentity a = source.identity();
        ProfileIdentity b = written.identity();
        if (!Objects.equals(a.pdbName(), b.pdbName()) || !Objects.equals(a.guid(), b.guid()) || a.age() != b.age()
                || a.machineType() != b.machineType() || b.build() != build) {
            throw new IOException(where + ": identity changed from " + a + " to " + b);
        }
        for (String r : roots) {
            if (!written.structs().containsKey(r)) {
                throw new IOException(where + ": root type " + r + " is missing");
            }
        }
        for (StructType w : written.structs().values()) {
            StructType s = source.structs().get(w.name());
            if (s == null || s.size() != w.size() || !s.kind().equals(w.kind()) || !s.fields().equals(w.fields())) {
                throw new IOException(where + ": type " + w.name() + " differs from the source");
            }
        }
        if (!written.baseTypes().equals(source.baseTypes())) {
            throw new IOException(where + ": base types differ from the source");
        }
        for (var e : written.enums().entrySet()) {
            if (!e.getValue().equals(source.enums().get(e.getKey()))) {
                throw new IOException(where + ": enum " + e.getKey() + " differs from the source");
            }
        }
        for (var e : written.symbols().entrySet()) {
            if (!e.getValue().equals(source.symbols().get(e.getKey()))) {
                throw new IOException(where + ": symbol " + e.getKey() + " has RVA 0x" + Long.toHexString(e
                        .getValue()) + ", the source says " + source.symbols().get(e.getKey()));
            }
        }
    }

    static byte[] xz(byte[] plain) throws IOException {
        return xz(plain, LZMA2Options.PRESET_MAX);
    }

    /** @return the data xz-compressed: quickly while it is checked, as small as can be when it is written */
    private static byte[] xz(byte[] plain, int preset) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 8);
        LZMA2Options options = new LZMA2Options(preset);
        try (XZOutputStream out = new XZOutputStream(bytes, options)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes one bundle folder per build and architecture under {@code output}, replacing the
     * {@code profiles/} folder of a bundle that is already there.
     *
     * @return the bundles written, by architecture and build
     */
    public List<WrittenBundle> write(Path output) throws IOException {
        Map<String, List<Imported>> bundles = new LinkedHashMap<>();
        imported().stream().sorted(java.util.Comparator.comparing(Imported::architecture).thenComparingInt(
                Imported::build).thenComparing((Imported i) -> i.identity().guid() == null).thenComparing(Imported::id)).forEach(i -> bundles.computeIfAbsent(i.bundle(), k -> new ArrayList<>()).add(i));
        List<WrittenBundle> written = new ArrayList<>();
        for (Map.Entry<String, List<Imported>> e : bundles.entrySet()) {
            written.add(writeBundle(output.resolve(e.getKey()), e.getKey(), e.getValue(), preset != LZMA2Options
                    .PRESET_MAX));
        }
        return written;
    }

    private static WrittenBundle writeBundle(Path folder, String bsn, List<Imported> profiles, boolean recompress)
            throws IOException {
        Path data = folder.resolve(PROFILE_FOLDER);
        if (Files.isDirectory(data)) {
            try (var old = Files.list(data)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(data);
        Files.createDirectories(folder.resolve("META-INF"));
        Imported first = profiles.get(0);
        boolean modules = IsfTrimmer.isModule(first.identity().pdbName());
        String what = modules ? "Windows " + first.architecture() + " " + ModuleVersions.moduleName(first.identity()
                .pdbName()) + ".sys" : "Windows " + first.architecture() + " build " + first.build();
        write(folder.resolve("META-INF/MANIFEST.MF"), """
                Manifest-Version: 1.0
                Bundle-ManifestVersion: 2
                Bundle-Name: Vestige %s profiles: %s
                Bundle-SymbolicName: %s;singleton:=true
                Bundle-Version: 0.1.0.qualifier
                Bundle-Vendor: Vestige
                Automatic-Module-Name: %s
                """.formatted(modules ? "driver" : "kernel", what, bsn, bsn));
        Map<String, Notice> notices = new TreeMap<>();
        for (Imported i : profiles) {
            if (i.notice() != null) {
                notices.put(i.notice().fileName(), i.notice());
            }
        }
        StringBuilder includes = new StringBuilder("bin.includes = META-INF/,\\\n               plugin.xml,\\\n"
                + "               " + PROFILE_FOLDER + "/");
        if (!notices.isEmpty()) {
            Files.createDirectories(folder.resolve("about_files"));
            for (Notice n : notices.values()) {
                write(folder.resolve("about_files").resolve(n.fileName()), n.text());
            }
            includes.append(",\\\n               about_files/");
        }
        write(folder.resolve("build.properties"), includes + "\n");
        write(folder.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.vestige</groupId>
                    <artifactId>org.vestige.parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>../../../pom.xml</relativePath>
                  </parent>
                  <artifactId>%s</artifactId>
                  <packaging>eclipse-plugin</packaging>
                </project>
                """.formatted(bsn));
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <?eclipse version="3.4"?>
                <plugin>
                   <extension point="org.vestige.core.profiles">
                """);
        Map<String, Integer> revisions = new LinkedHashMap<>();
        for (Imported i : profiles) {
            revisions.put(i.id(), SharedTypes.revision(i));
        }
        List<Imported> kernels = profiles.stream().filter(i -> i.identity().guid() != null && !IsfTrimmer.isModule(i
                .identity().pdbName())).sorted(java.util.Comparator
                .comparing((Imported i) -> revisions.get(i.id()))).toList();
        SharedTypes.Split split = kernels.size() >= 2 ? SharedTypes.split(what, kernels) : null;
        String sharedFile = PROFILE_FOLDER + "/" + SharedTypes.FILE_NAME;
        if (split != null) {
            Files.write(folder.resolve(sharedFile), split.shared());
        }
        for (Imported i : profiles) {
            byte[] own = split == null ? null : split.own().get(i.id());
            Files.write(folder.resolve(i.file()), own != null ? own : recompress ? xz(SharedTypes.plain(i.data()))
                    : i.data());
            ProfileIdentity id = i.identity();
            xml.append("      <!-- ").append(comment(i)).append(" -->\n");
            xml.append("      <profile id=\"").append(attr(i.id())).append("\" os=\"windows\" architecture=\"")
                    .append(i.architecture()).append('"');
            if (i.build() != 0) {
                xml.append(" build=\"").append(i.build()).append('"');
            }
            if (id.guid() != null && id.pdbName() != null) {
                xml.append("\n            pdbName=\"").append(attr(id.pdbName())).append("\" pdbGuid=\"").append(id
                        .guid()).append("\" pdbAge=\"").append(id.age()).append('"');
            }
            if (revisions.get(i.id()) > 0) {
                xml.append(" revision=\"").append(revisions.get(i.id())).append('"');
            }
            if (own != null) {
                xml.append("\n            types=\"").append(sharedFile).append('"');
            }
            xml.append("\n            origin=\"").append(attr(i.source() + (i.notice() == null ? ""
                    : "; license in about_files/" + i.notice().fileName()))).append('"');
            xml.append("\n            file=\"").append(attr(i.file())).append("\"/>\n");
        }
        xml.append("   </extension>\n</plugin>\n");
        write(folder.resolve("plugin.xml"), xml.toString());
        return new WrittenBundle(bsn, folder, List.copyOf(profiles));
    }

    private static String comment(Imported i) {
        String c = "from " + i.source() + (i.trimmed() ? ": " + i.types() + " of " + i.sourceTypes() + " types, "
                + i.symbols() + " of " + i.sourceSymbols() + " symbols" : ": whole");
        if (IsfTrimmer.isModule(i.identity().pdbName())) {
            c += "; " + ModuleVersions.describeBuild(i.identity(), i.build());
        }
        if (i.supplement() != null) {
            c += "; " + i.supplied() + " of the types from the supplement " + i.supplement()
                    + " (sources in the profile's metadata.supplement)";
        }
        return c.replace("--", "- -");
    }

    private static String attr(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
