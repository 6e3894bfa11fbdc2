package org.vestige.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzer inputs as files, for parsers that open a path: one temporary folder per fuzzing JVM, each input
 * written under a fixed name (the name's extension is what some formats look at) and deleted after use.
 */
final class InputFiles {

    private static final Path DIR = createDir();

    private InputFiles() {
    }

    private static Path createDir() {
        try {
            Path dir = Files.createTempDirectory("vestige-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} as {@code name} in the input folder, replacing the previous input of that name. */
    static Path write(String name, byte[] bytes) {
        Path file = DIR.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Removes the input files of {@code names} (quietly: a leftover is overwritten by the next input). */
    static void delete(String... names) {
        for (String name : names) {
            try {
                Files.deleteIfExists(DIR.resolve(name));
            } catch (IOException e) {
                // the next input overwrites it
            }
        }
    }
}
