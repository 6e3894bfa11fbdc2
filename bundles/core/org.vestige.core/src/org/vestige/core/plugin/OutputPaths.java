package org.vestige.core.plugin;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Keeps every file an analysis writes under its output folder: names from options and from evidence
 * contents are resolved against the folder and refused when they would leave it.
 *
 * @since 0.1
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * @param folder the output folder
     * @param name   a file name or relative path
     * @return {@code folder/name}, normalized
     * @throws AnalysisException when {@code name} is empty, absolute, not a valid path, or climbs out of
     *                           {@code folder}
     */
    public static Path resolve(Path folder, String name) throws AnalysisException {
        if (name == null || name.isBlank()) {
            throw new AnalysisException("an output file needs a name");
        }
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw new AnalysisException("output file name '" + name + "' is not a valid path: " + e.getReason(), e);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new AnalysisException("output file name '" + name + "' is absolute; files are written under the "
                    + "output folder " + folder.toAbsolutePath().normalize() + " (-o), give a name relative to it");
        }
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new AnalysisException("output file name '" + name + "' leaves the output folder " + base
                    + " (-o); give a name inside it");
        }
        return resolved;
    }
}
