package org.vestige.registry.credentials;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The LSA key and secrets of a SECURITY hive.
 *
 * @param scheme   how the LSA key is protected
 * @param lsaKey   the decrypted LSA key (32 bytes Vista+, 16 before)
 * @param secrets  the secrets in the order of the Secrets key
 * @param problems what could not be read, in words
 * @since 0.1
 */
public record LsaDump(Scheme scheme, byte[] lsaKey, List<LsaSecret> secrets, List<String> problems) {

    /** The protection of the LSA key. */
    public enum Scheme {
        /** Vista and later: PolEKList, AES-256 with SHA-256-derived keys. */
        AES_POLEKLIST,
        /** Before Vista: PolSecretEncryptionKey, RC4 and DES. */
        RC4_POLSECRETENCRYPTIONKEY
    }

    public LsaDump {
        lsaKey = lsaKey.clone();
        secrets = List.copyOf(secrets);
        problems = List.copyOf(problems);
    }

    @Override
    public byte[] lsaKey() {
        return lsaKey.clone();
    }

    /** @return the LSA key as hex */
    public String lsaKeyHex() {
        return HexFormat.of().formatHex(lsaKey);
    }

    /** @return the secret named {@code name} (case-insensitive) */
    public Optional<LsaSecret> secret(String name) {
        return secrets.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }
}
