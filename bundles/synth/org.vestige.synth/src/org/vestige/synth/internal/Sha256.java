package org.vestige.synth.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of the bytes the synthesizer places, as the truth records them. */
public final class Sha256 {

    private Sha256() {
    }

    /** @return the SHA-256 of {@code b} in lower-case hex */
    public static String hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
