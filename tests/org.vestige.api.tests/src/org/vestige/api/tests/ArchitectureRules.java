package org.vestige.api.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.osgi.util.ManifestElement;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * The dependency rules of docs/architecture.md, read from every bundle's {@code MANIFEST.MF} and every
 * {@code feature.xml}:
 * <ol>
 * <li>nothing depends on an analysis bundle: no bundle requires an {@code org.vestige.plugin.*} bundle
 * or imports an {@code org.vestige.plugin.*} package (analyses, the workbench and third parties stand
 * side by side on core and the engines);</li>
 * <li>an analysis bundle exports no package without {@code x-internal:=true};</li>
 * <li>{@code org.vestige.testing} is in no feature;</li>
 * <li>core, the format layers, codecs and the engines depend on no UI bundle or UI package.</li>
 * </ol>
 * Test fragments (which share their host's class loader) are not bundles of the product and are not
 * checked.
 */
final class ArchitectureRules {

    static final String ANALYSES = "org.vestige.plugin.";
    static final String TESTING = "org.vestige.testing";

    /** One bundle's dependencies as its manifest declares them. */
    record Dependencies(String symbolicName, Path manifest, boolean fragment, List<String> requiredBundles,
            List<String> importedPackages, List<ManifestElement> exports) {
    }

    private ArchitectureRules() {
    }

    /** @return every rule broken under {@code root}'s bundles, examples and features, one line each */
    static List<String> problems(Path root) throws IOException, BundleException {
        List<String> out = new ArrayList<>();
        for (Dependencies d : bundles(root, "bundles", "examples", "releng")) {
            out.addAll(problems(d));
        }
        for (Path feature : files(root.resolve("features"), "feature.xml")) {
            for (String plugin : featurePlugins(feature)) {
                if (plugin.equals(TESTING)) {
                    out.add(root.relativize(feature) + ": ships " + TESTING + ", which holds test support only");
                }
            }
        }
        return out;
    }

    /** @return the rules one bundle breaks */
    static List<String> problems(Dependencies d) {
        List<String> out = new ArrayList<>();
        if (d.fragment()) {
            return out;
        }
        String who = d.symbolicName();
        for (String b : d.requiredBundles()) {
            if (b.startsWith(ANALYSES) && !b.equals(who)) {
                out.add(who + " requires the analysis bundle " + b + "; depend on core and the engines instead");
            }
        }
        for (String p : d.importedPackages()) {
            if (p.startsWith(ANALYSES)) {
                out.add(who + " imports the analysis package " + p + "; depend on core and the engines instead");
            }
        }
        if (who.startsWith(ANALYSES)) {
            for (ManifestElement e : d.exports()) {
                if (!"true".equals(e.getDirective("x-internal"))) {
                    out.add(who + " exports " + e.getValue() + " without x-internal:=true; an analysis bundle's "
                            + "packages are internal");
                }
            }
        }
        if (isBelowTheWorkbench(who)) {
            for (String b : d.requiredBundles()) {
                if (isUi(b)) {
                    out.add(who + " requires the UI bundle " + b + "; core, layers and engines run headless");
                }
            }
            for (String p : d.importedPackages()) {
                if (isUi(p)) {
                    out.add(who + " imports the UI package " + p + "; core, layers and engines run headless");
                }
            }
        }
        return out;
    }

    /** Core, the format layers, the codecs, the engines and the synthesizer. */
    static boolean isBelowTheWorkbench(String bundle) {
        return bundle.equals("org.vestige.core") || bundle.startsWith("org.vestige.layer.")
                || bundle.equals("org.vestige.codec") || bundle.equals("org.vestige.windows")
                || bundle.equals("org.vestige.registry") || bundle.equals("org.vestige.synth")
                || bundle.startsWith("org.vestige.profile.");
    }

    /** A bundle or package of a user interface: SWT, JFace, the Eclipse workbench, Vestige's own views. */
    static boolean isUi(String name) {
        return name.startsWith("org.eclipse.swt") || name.startsWith("org.eclipse.jface")
                || name.equals("org.eclipse.ui") || name.startsWith("org.eclipse.ui.")
                || name.equals("org.vestige.ui") || name.startsWith("org.vestige.ui.") || name.endsWith(".ui")
                && name.startsWith("org.vestige.") || name.contains(".ui.") && name.startsWith("org.vestige.");
    }

    static List<Dependencies> bundles(Path root, String... folders) throws IOException, BundleException {
        List<Dependencies> out = new ArrayList<>();
        for (String f : folders) {
            for (Path m : files(root.resolve(f), "MANIFEST.MF")) {
                if (m.getParent().getFileName().toString().equals("META-INF")) {
                    out.add(read(m));
                }
            }
        }
        return out;
    }

    static Dependencies read(Path manifestFile) throws IOException, BundleException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = new Manifest(in);
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        bsn = bsn == null ? manifestFile.getParent().getParent().getFileName().toString() : bsn.split(";")[0].trim();
        return new Dependencies(bsn, manifestFile, main.getValue(Constants.FRAGMENT_HOST) != null, names(
                Constants.REQUIRE_BUNDLE, main), names(Constants.IMPORT_PACKAGE, main), elements(
                        Constants.EXPORT_PACKAGE, main));
    }

    private static List<String> names(String header, Attributes main) throws BundleException {
        List<String> out = new ArrayList<>();
        for (ManifestElement e : elements(header, main)) {
            out.addAll(List.of(e.getValueComponents()));
        }
        return out;
    }

    private static List<ManifestElement> elements(String header, Attributes main) throws BundleException {
        String value = main.getValue(header);
        ManifestElement[] parsed = value == null ? null : ManifestElement.parseHeader(header, value);
        return parsed == null ? List.of() : List.of(parsed);
    }

    private static final Pattern PLUGIN = Pattern.compile("<plugin\\b[^>]*\\bid\\s*=\\s*\"([^\"]+)\"");

    /** @return the ids of the bundles a feature.xml includes */
    static List<String> featurePlugins(Path featureXml) throws IOException {
        String xml = Files.readString(featureXml).replaceAll("(?s)<!--.*?-->", "");
        List<String> out = new ArrayList<>();
        Matcher m = PLUGIN.matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<Path> files(Path top, String name) throws IOException {
        if (!Files.isDirectory(top)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).filter(p -> !top.relativize(p)
                    .toString().matches("(.*/)?(target|bin)/.*")).sorted().toList();
        }
    }
}
