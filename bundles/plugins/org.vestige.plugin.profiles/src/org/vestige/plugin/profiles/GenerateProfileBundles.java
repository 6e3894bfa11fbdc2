package org.vestige.plugin.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Regenerates Vestige's own profile bundles from the reference kernel layouts: {@code bundles/profiles/}
 * (one bundle per x64 Windows build, the bundles' aggregator {@code pom.xml}) and the feature
 * {@code features/org.vestige.profiles.windows.feature}. The inputs are the reference folder's
 * {@code isf-jpcert/windows/ntkrnlmp.pdb/} (PDB-made kernels with symbols; the kernels of a build are
 * stored as their {@link SharedTypes shared types} and one small document each), the drivers' public symbols
 * beside them ({@code isf-jpcert/windows/tcpip.pdb/}: one bundle per driver, each table trimmed to the symbols
 * {@link IsfTrimmer#MODULE_SYMBOLS} lists), {@code isf/} (types-only layouts; x64 only,
 * without the pre-release 9841 layout {@code win10_x64}) and {@code isf-partial/} (Windows 11
 * layouts). A source with a supplement in {@link ProfileSupplement#FOLDER} (the structures its partial
 * layout lacks, each with its public source) is merged with it first. Every document is trimmed and
 * checked by {@link ProfileBundleWriter}.
 *
 * <pre>
 * java -cp ... org.vestige.plugin.profiles.GenerateProfileBundles PROFILES_FOLDER REPOSITORY_ROOT
 * </pre>
 *
 * @since 0.1
 */
public final class GenerateProfileBundles {

    /** The feature listing every profile bundle. */
    public static final String FEATURE = "org.vestige.profiles.windows.feature";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The folder of real kernels' symbol tables (Microsoft PDBs, via JPCERTCC/Windows-Symbol-Tables). */
    public static final String KERNELS = "isf-jpcert";

    /** Kernels read at once (each takes tens of MB of heap while it is trimmed). */
    private static final int THREADS = 3;

    /** Pre-release Windows 10 (build 9841) layouts, not shipped. */
    private static final List<String> SKIPPED = List.of("win10_x64.json.xz");

    private GenerateProfileBundles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GenerateProfileBundles PROFILES_FOLDER REPOSITORY_ROOT");
            System.exit(2);
        }
        Path profiles = Paths.get(args[0]).toAbsolutePath().normalize();
        Path repo = Paths.get(args[1]).toAbsolutePath().normalize();
        List<ProfileBundleWriter.WrittenBundle> bundles = generate(profiles, repo);
        long total = 0;
        for (ProfileBundleWriter.WrittenBundle b : bundles) {
            for (ProfileBundleWriter.Imported i : b.profiles()) {
                total += i.size();
                System.out.printf(Locale.ROOT, "%-42s %-60s %5d/%5d types %3d/%6d symbols %7d bytes%n",
                        b.symbolicName(), i.id(), i.types(), i.sourceTypes(), i.symbols(), i.sourceSymbols(), i
                                .size());
            }
        }
        System.out.printf(Locale.ROOT, "%d bundles, %d profiles, %d bytes of ISF%n", bundles.size(), bundles.stream()
                .mapToInt(b -> b.profiles().size()).sum(), total);
    }

    /**
     * Writes the bundles, their aggregator pom and the feature into the repository.
     *
     * @return the bundles written
     */
    public static List<ProfileBundleWriter.WrittenBundle> generate(Path profiles, Path repo) throws IOException {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer()).withQuickChecks();
        Path license = profiles.resolve(KERNELS + "/LICENSE");
        String licenseText = Files.isRegularFile(license) ? Files.readString(license, StandardCharsets.UTF_8) : null;
        ProfileBundleWriter.Notice notice = licenseText != null ? new ProfileBundleWriter.Notice(
                "LICENSE-Windows-Symbol-Tables.txt", "Kernel types and symbols of the profiles whose PDB identity "
                        + "is given were generated from Microsoft's PDBs by JPCERTCC/Windows-Symbol-Tables, "
                        + "distributed under this license:\n\n" + licenseText) : null;
        addAll(writer, profiles, list(profiles.resolve(KERNELS).resolve("windows/ntkrnlmp.pdb")), notice);
        for (String module : IsfTrimmer.MODULE_SYMBOLS.keySet().stream().sorted().toList()) {
            String driver = ModuleVersions.moduleName(module) + ".sys";
            ProfileBundleWriter.Notice driverNotice = licenseText != null ? new ProfileBundleWriter.Notice(
                    "LICENSE-Windows-Symbol-Tables.txt", "The public symbols of " + driver + " in the profiles whose "
                            + "PDB identity is given were generated from Microsoft's PDBs by "
                            + "JPCERTCC/Windows-Symbol-Tables, distributed under this license:\n\n" + licenseText)
                    : null;
            addAll(writer, profiles, list(profiles.resolve(KERNELS).resolve("windows").resolve(module)), driverNotice);
        }
        for (Path f : list(profiles.resolve("isf"))) {
            String n = f.getFileName().toString();
            if (n.contains("_x64") && !SKIPPED.contains(n)) {
                writer.add(source(profiles, f), null);
            }
        }
        Map<String, ProfileSupplement> supplements = ProfileSupplement.readFolder(repo.resolve(
                ProfileSupplement.FOLDER));
        for (Path f : list(profiles.resolve("isf-partial"))) {
            if (f.getFileName().toString().contains("_x64")) {
                IsfSources.Source source = source(profiles, f);
                ProfileSupplement supplement = supplements.remove(source.name());
                if (supplement == null) {
                    writer.add(source, null);
                } else {
                    writer.add(source.name(), source.stem(), supplemented(source, supplement), null);
                }
            }
        }
        if (!supplements.isEmpty()) {
            throw new IOException("supplements for sources that are not there: " + supplements.keySet());
        }
        Path folder = repo.resolve("bundles/profiles");
        Files.createDirectories(folder);
        List<ProfileBundleWriter.WrittenBundle> bundles = writer.write(folder);
        writeAggregator(folder, bundles);
        writeFeature(repo.resolve("features").resolve(FEATURE), bundles);
        return bundles;
    }

    /** Adds the kernels a few at a time: each is read, trimmed, compressed and checked on its own. */
    private static void addAll(ProfileBundleWriter writer, Path profiles, List<Path> files,
            ProfileBundleWriter.Notice notice) throws IOException {
        ForkJoinPool pool = new ForkJoinPool(THREADS);
        try {
            pool.submit(() -> files.parallelStream().forEach(f -> {
                try {
                    writer.add(source(profiles, f), notice);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** @return the source document merged with its supplement, as JSON */
    static byte[] supplemented(IsfSources.Source source, ProfileSupplement supplement) throws IOException {
        JsonNode tree;
        try {
            tree = JSON.readTree(source.read());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source.name() + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        ProfileSupplement.Merge merge = supplement.merge(tree);
        if (!merge.skipped().isEmpty()) {
            System.err.printf(Locale.ROOT, "%s: %s defines %s already; the supplement's entries are not used%n",
                    supplement.name(), source.name(), merge.skipped());
        }
        return JSON.writeValueAsBytes(merge.isf());
    }

    private static IsfSources.Source source(Path root, Path file) {
        return new IsfSources.Source(root.relativize(file).toString().replace('\\', '/'), file, null);
    }

    private static List<Path> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": no such folder");
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> IsfSources.isIsfName(p.getFileName().toString()))
                    .sorted().toList();
        }
    }

    private static void writeAggregator(Path folder, List<ProfileBundleWriter.WrittenBundle> bundles)
            throws IOException {
        StringBuilder modules = new StringBuilder();
        for (ProfileBundleWriter.WrittenBundle b : bundles) {
            modules.append("    <module>").append(b.symbolicName()).append("</module>\n");
        }
        Files.writeString(folder.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.vestige</groupId>
                    <artifactId>org.vestige.parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>../../pom.xml</relativePath>
                  </parent>
                  <artifactId>org.vestige.profiles</artifactId>
                  <packaging>pom</packaging>
                  <modules>
                %s  </modules>
                </project>
                """.formatted(modules), StandardCharsets.UTF_8);
    }

    private static void writeFeature(Path folder, List<ProfileBundleWriter.WrittenBundle> bundles)
            throws IOException {
        Files.createDirectories(folder);
        StringBuilder plugins = new StringBuilder();
        List<String> builds = new ArrayList<>();
        List<String> drivers = new ArrayList<>();
        for (ProfileBundleWriter.WrittenBundle b : bundles) {
            plugins.append("   <plugin id=\"").append(b.symbolicName()).append("\" version=\"0.0.0\"/>\n");
            String pdb = b.profiles().get(0).identity().pdbName();
            if (IsfTrimmer.isModule(pdb)) {
                drivers.add(ModuleVersions.moduleName(pdb) + ".sys");
            } else {
                builds.add(String.valueOf(b.profiles().get(0).build()));
            }
        }
        String driverText = drivers.isEmpty() ? "" : ", and the public symbols of " + String.join(", ", drivers)
                + " builds Vestige's analyses read";
        Files.writeString(folder.resolve("feature.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="%s" label="Vestige Windows Kernel Profiles" version="0.1.0.qualifier" provider-name="Vestige">
                   <description>Kernel structure layouts and symbols for Windows x64 builds %s%s, trimmed to what Vestige reads and matched to a kernel or driver in memory by PDB identity or build.</description>
                   <license url="">See the LICENSE file of the Vestige distribution and the about_files folder of each profile bundle.</license>
                %s</feature>
                """.formatted(FEATURE, String.join(", ", builds), driverText, plugins), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.vestige</groupId>
                    <artifactId>org.vestige.parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>../../pom.xml</relativePath>
                  </parent>
                  <artifactId>%s</artifactId>
                  <packaging>eclipse-feature</packaging>
                </project>
                """.formatted(FEATURE), StandardCharsets.UTF_8);
    }
}
