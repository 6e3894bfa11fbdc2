package org.vestige.api.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.eclipse.osgi.util.ManifestElement;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * The bundles of a Vestige source tree as their manifests and build.properties describe them: what
 * each exports, how, and where its sources are.
 */
final class Bundles {

    /**
     * One exported package.
     *
     * @param name      the package
     * @param version   its version attribute, or null when it has none
     * @param internal  exported {@code x-internal:=true}
     * @param friends   the {@code x-friends} bundles, or null
     */
    record Export(String name, String version, boolean internal, String friends) {

        /** @return true for API: neither x-internal nor x-friends */
        boolean api() {
            return !internal && friends == null;
        }
    }

    /**
     * One bundle.
     *
     * @param symbolicName its Bundle-SymbolicName without directives
     * @param folder       its project folder
     * @param exports      its Export-Package entries
     * @param sources      its source folders (from build.properties)
     */
    record Bundle(String symbolicName, Path folder, List<Export> exports, List<Path> sources) {

        /** @return the folder of a package in the bundle's sources, if there is one */
        java.util.Optional<Path> packageFolder(String pkg) {
            return sources.stream().map(s -> s.resolve(pkg.replace('.', '/'))).filter(Files::isDirectory).findFirst();
        }
    }

    private Bundles() {
    }

    /** @return every bundle under the given folders (each holding bundle projects at any depth) */
    static List<Bundle> under(Path root, String... folders) throws IOException, BundleException {
        List<Bundle> out = new ArrayList<>();
        for (String f : folders) {
            Path top = root.resolve(f);
            if (!Files.isDirectory(top)) {
                continue;
            }
            List<Path> manifests;
            try (Stream<Path> walk = Files.walk(top)) {
                manifests = walk.filter(p -> p.endsWith(Path.of("META-INF", "MANIFEST.MF")))
                        .filter(p -> !root.relativize(p).toString().matches("(.*/)?(target|bin)/.*")).sorted()
                        .toList();
            }
            for (Path m : manifests) {
                out.add(read(m.getParent().getParent()));
            }
        }
        return out;
    }

    /** Reads one bundle project. */
    static Bundle read(Path folder) throws IOException, BundleException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(folder.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        bsn = bsn == null ? folder.getFileName().toString() : bsn.split(";")[0].trim();
        List<Path> sources = new ArrayList<>();
        Path buildProperties = folder.resolve("build.properties");
        if (Files.isRegularFile(buildProperties)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(buildProperties, StandardCharsets.ISO_8859_1)) {
                p.load(r);
            }
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("source.")) {
                    for (String s : p.getProperty(key).split(",")) {
                        if (!s.isBlank()) {
                            sources.add(folder.resolve(s.trim()));
                        }
                    }
                }
            }
        }
        return new Bundle(bsn, folder, exports(main.getValue(Constants.EXPORT_PACKAGE)), List.copyOf(sources));
    }

    /** Parses an Export-Package header with the framework's own header parser. */
    static List<Export> exports(String header) throws BundleException {
        List<Export> out = new ArrayList<>();
        ManifestElement[] elements = header == null ? null : ManifestElement.parseHeader(Constants.EXPORT_PACKAGE,
                header);
        if (elements == null) {
            return out;
        }
        for (ManifestElement e : elements) {
            String version = e.getAttribute(Constants.VERSION_ATTRIBUTE);
            boolean internal = "true".equals(e.getDirective("x-internal"));
            String friends = e.getDirective("x-friends");
            for (String name : e.getValueComponents()) {
                out.add(new Export(name, version, internal, friends));
            }
        }
        return out;
    }
}
