package org.vestige.plugin.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finds the PDB files where an analyst points: single files, and folders searched recursively for
 * {@code *.pdb} (a symbol store's {@code ntkrnlmp.pdb/<GUID><age>/ntkrnlmp.pdb} layout included).
 *
 * @since 0.1
 */
public final class PdbSources {

    private PdbSources() {
    }

    /**
     * Lists the PDB files under each path, in a stable order (paths as given; inside folders sorted).
     *
     * @throws IOException naming a path that does not exist or a folder that holds no {@code .pdb} file
     */
    public static List<Path> find(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(p)) {
                    found = walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().toLowerCase(
                            Locale.ROOT).endsWith(".pdb")).sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new IOException(p + ": holds no PDB file (.pdb)");
                }
                out.addAll(found);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException(p + ": no such file or folder");
            }
        }
        return out;
    }

    /** @return the file name without {@code .pdb}, naming the profile when the PDB has no identity */
    public static String stem(Path pdb) {
        String n = pdb.getFileName().toString();
        return n.toLowerCase(Locale.ROOT).endsWith(".pdb") ? n.substring(0, n.length() - 4) : n;
    }
}
