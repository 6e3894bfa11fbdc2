package org.vestige.registry.credentials;

import java.util.HexFormat;

/**
 * The SAM domain key ("hashed boot key"), decrypted with the boot key from the {@code F} value of
 * {@code SAM\Domains\Account}. It wraps every user's hashes.
 *
 * @param revision     1 (RC4 with an MD5-derived key, before Windows 10 1607) or 2 (AES-128-CBC)
 * @param key          the 16-byte key
 * @param verification whether the decrypted key passed its check
 * @since 0.1
 */
public record HashedBootKey(int revision, byte[] key, Verification verification) {

    /** Outcome of checking a decrypted domain key. */
    public enum Verification {
        /** Revision 1: the stored MD5 checksum matches, so the boot key belongs to this SAM. */
        VERIFIED,
        /** Revision 1: the checksum does not match: the boot key is from another system (or syskey has a password). */
        MISMATCH,
        /** Revision 2 keys carry no check this reader relies on. */
        NOT_CHECKED
    }

    public HashedBootKey {
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** @return the key as hex */
    public String hex() {
        return HexFormat.of().formatHex(key);
    }
}
