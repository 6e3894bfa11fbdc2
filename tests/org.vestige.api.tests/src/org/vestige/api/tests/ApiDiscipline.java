package org.vestige.api.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Version;

/**
 * The rules of docs/API_POLICY.md that a machine can check, applied to the bundles of a source tree:
 * every exported package has a version; a package named {@code internal} is exported
 * {@code x-internal} or {@code x-friends}; every exported package exists in the bundle's sources;
 * every public top-level type of an API package has a Javadoc {@code @since} naming a version no
 * later than its package's.
 */
final class ApiDiscipline {

    private ApiDiscipline() {
    }

    /** @return one line per problem, naming the bundle, the package or type, and what is wrong */
    static List<String> problems(List<Bundles.Bundle> bundles) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Bundles.Bundle b : bundles) {
            for (Bundles.Export e : b.exports()) {
                String where = b.symbolicName() + ": " + e.name();
                Version packageVersion = null;
                if (e.version() == null) {
                    problems.add(where + " is exported without a version");
                } else {
                    try {
                        packageVersion = Version.parseVersion(e.version());
                    } catch (IllegalArgumentException x) {
                        problems.add(where + " is exported with version \"" + e.version() + "\", which is not an OSGi version");
                    }
                }
                boolean namedInternal = Arrays.asList(e.name().split("\\.")).contains("internal");
                if (namedInternal && e.api()) {
                    problems.add(where + " is an internal package exported as API: add x-internal:=true (or x-friends)");
                }
                if (b.sources().isEmpty()) {
                    continue;
                }
                var folder = b.packageFolder(e.name());
                if (folder.isEmpty()) {
                    problems.add(where + " is exported but is not in the bundle's sources " + b.sources().stream()
                            .map(s -> b.folder().relativize(s).toString()).toList());
                    continue;
                }
                if (e.api() && !namedInternal) {
                    problems.addAll(typeProblems(where, folder.get(), packageVersion));
                }
            }
        }
        return problems;
    }

    private static List<String> typeProblems(String where, Path folder, Version packageVersion) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".java")).filter(p -> !p.getFileName().toString().equals(
                    "package-info.java")).sorted().toList();
        }
        for (Path file : files) {
            for (TopLevelTypes.Type t : TopLevelTypes.of(Files.readString(file, StandardCharsets.UTF_8))) {
                if (!t.isPublic()) {
                    continue;
                }
                String type = where + "." + t.name() + " (" + file.getFileName() + ":" + t.line() + ")";
                var since = t.since();
                if (since.isEmpty()) {
                    problems.add(type + " is public API without @since in its Javadoc");
                    continue;
                }
                Version v;
                try {
                    v = Version.parseVersion(since.get());
                } catch (IllegalArgumentException x) {
                    problems.add(type + " has @since " + since.get() + ", which is not a version");
                    continue;
                }
                if (packageVersion != null && new Version(v.getMajor(), v.getMinor(), 0).compareTo(new Version(
                        packageVersion.getMajor(), packageVersion.getMinor(), 0)) > 0) {
                    problems.add(type + " has @since " + since.get() + ", later than its package's version "
                            + packageVersion);
                }
            }
        }
        return problems;
    }
}
