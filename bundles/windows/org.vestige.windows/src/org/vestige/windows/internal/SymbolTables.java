package org.vestige.windows.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.vestige.core.types.ParsedProfiles;
import org.vestige.core.types.Profile;

/**
 * Reads the symbol tables an analyst supplies with {@code --symbols}: ISF files ({@code .json} or
 * {@code .json.xz}), folders of them (searched recursively, as Volatility 3 lays out
 * {@code windows/ntkrnlmp.pdb/GUID-AGE.json.xz}), and zip symbol packs. Files that cannot be read
 * are reported, not fatal.
 */
public final class SymbolTables {

    private SymbolTables() {
    }

    public record Loaded(List<Profile> profiles, List<String> problems) {
    }

    public static Loaded load(List<Path> paths) {
        List<Profile> profiles = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : paths) {
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p, 8)) {
                        for (Path f : files.filter(SymbolTables::isIsf).sorted().toList()) {
                            read(f, profiles, problems);
                        }
                    }
                } else if (p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
                    try (ZipFile zip = new ZipFile(p.toFile())) {
                        for (ZipEntry e : zip.stream().filter(e -> isIsfName(e.getName())).toList()) {
                            try (InputStream in = zip.getInputStream(e)) {
                                profiles.add(ParsedProfiles.userDefault().read(in.readAllBytes(), p + "!" + e.getName()));
                            } catch (IOException ex) {
                                problems.add(ex.getMessage());
                            }
                        }
                    }
                } else {
                    read(p, profiles, problems);
                }
            } catch (IOException e) {
                problems.add(p + ": " + e.getMessage());
            }
        }
        return new Loaded(profiles, problems);
    }

    private static void read(Path f, List<Profile> profiles, List<String> problems) {
        try {
            profiles.add(ParsedProfiles.userDefault().read(Files.readAllBytes(f), f.toString()));
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
    }

    private static boolean isIsf(Path p) {
        return Files.isRegularFile(p) && isIsfName(p.getFileName().toString());
    }

    private static boolean isIsfName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".json.xz");
    }
}
