package org.vestige.plugin.aff4;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.vestige.core.result.OutputFile;

/** The SHA-256 record of a file an analysis wrote. */
final class Hashing {

    private Hashing() {
    }

    static OutputFile outputFile(Path file, String description) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, n);
            }
        }
        return new OutputFile(file, Files.size(file), HexFormat.of().formatHex(sha.digest()), description);
    }
}
