package org.vestige.core.result;

import java.nio.file.Path;

/**
 * A file an analysis wrote (a process dump, a memory dump, an exported stream), with its hash so
 * the output is as accountable as the evidence.
 *
 * @param path        where it was written
 * @param size        its size in bytes
 * @param sha256      its SHA-256 in lower-case hex
 * @param description what it holds
 * @since 0.1
 */
public record OutputFile(Path path, long size, String sha256, String description) {

    /** Records a finished file, reading it once for its size and SHA-256. */
    public static OutputFile of(Path path, String description) throws java.io.IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        long size = 0;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new OutputFile(path, size, java.util.HexFormat.of().formatHex(sha.digest()), description);
    }
}
