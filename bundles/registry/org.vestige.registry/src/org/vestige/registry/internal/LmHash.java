package org.vestige.registry.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The LAN Manager hash: the password upper-cased, cut or padded to 14 bytes, its two 7-byte halves
 * used as DES keys to encrypt "KGS!@#$%". Passwords longer than 14 characters have none.
 */
public final class LmHash {

    private static final byte[] MAGIC = "KGS!@#$%".getBytes(StandardCharsets.US_ASCII);

    private LmHash() {
    }

    /** @return the LM hash of {@code password}, empty when it is longer than 14 characters */
    public static Optional<byte[]> of(String password) {
        byte[] p = password.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        if (p.length > 14) {
            return Optional.empty();
        }
        byte[] padded = new byte[14];
        System.arraycopy(p, 0, padded, 0, p.length);
        byte[] out = new byte[16];
        System.arraycopy(Ciphers.des(true, DesKey.expand(padded, 0), MAGIC, 0, 8), 0, out, 0, 8);
        System.arraycopy(Ciphers.des(true, DesKey.expand(padded, 7), MAGIC, 0, 8), 0, out, 8, 8);
        return Optional.of(out);
    }
}
