package org.vestige.registry.credentials;

import static org.vestige.registry.internal.LittleEndian.u32;

import java.util.Arrays;

import org.vestige.registry.internal.Ciphers;

/**
 * The LSA's encryption of its key and secrets, as a reader undoes it (org.vestige.synth writes it).
 *
 * <p>Vista and later: a record is Version(4) EncKeyId(16) EncAlgorithm(4) Flags(4) then data whose first
 * 32 bytes are a salt; the AES-256 key is SHA-256 of the wrapping key followed by the salt 1000 times,
 * and the rest is decrypted block by block (ECB). The plaintext is Length(4) Unknown(12) Secret(Length).
 * PolEKList's secret is a key list: Unknown(4) CurrentKeyId(16) Unknown(4) Count(4), then per key
 * KeyId(16) Type(4) Size(4) Key(Size); its wrapping key is the boot key, the secrets' is the LSA key.
 *
 * <p>Before Vista: PolSecretEncryptionKey holds at 12..60 RC4 data keyed with MD5 of the boot key followed
 * by bytes 60..76 1000 times; the LSA key is bytes 16..32 of the plaintext. A secret is DES-ECB in 8-byte
 * blocks with 7-byte keys taken in turn from the 16-byte LSA key (wrapping around), over the last
 * Length(@0) bytes of the value; its plaintext is Length(4) Version(4) Secret(Length).
 */
final class LsaCipher {

    static final int RECORD_HEADER = 28;
    private static final int SALT = 32;

    private LsaCipher() {
    }

    /** @return the key id (EncKeyId) a Vista record was encrypted with */
    static byte[] recordKeyId(byte[] record) {
        if (record.length < RECORD_HEADER) {
            throw new CredentialException("LSA record of " + record.length + " bytes is shorter than its header");
        }
        return Arrays.copyOfRange(record, 4, 20);
    }

    static byte[] decryptRecord(byte[] key, byte[] record) {
        if (record.length < RECORD_HEADER + SALT + 16) {
            throw new CredentialException("LSA record of " + record.length + " bytes is too short to hold a secret");
        }
        byte[] salt = Arrays.copyOfRange(record, RECORD_HEADER, RECORD_HEADER + SALT);
        byte[] aesKey = Ciphers.digestRepeated("SHA-256", key, salt, 1000);
        int from = RECORD_HEADER + SALT;
        byte[] data = Arrays.copyOfRange(record, from, from + align16(record.length - from));
        byte[] plain = Ciphers.aesEcb(false, aesKey, data, 0, data.length);
        long length = u32(plain, 0);
        if (length > plain.length - 16) {
            throw new CredentialException("decrypted secret claims " + length + " bytes but only " + (plain.length - 16)
                    + " were decrypted: wrong key (boot key from another system?)");
        }
        return Arrays.copyOfRange(plain, 16, 16 + (int) length);
    }

    /** A key of the LSA key list. */
    record ListedKey(byte[] id, byte[] key) {
    }

    /** @return the keys of a decrypted PolEKList secret, the current one first */
    static java.util.List<ListedKey> keyList(byte[] list) {
        if (list.length < 28) {
            throw new CredentialException("LSA key list of " + list.length + " bytes is too short");
        }
        byte[] current = Arrays.copyOfRange(list, 4, 20);
        long count = u32(list, 24);
        java.util.List<ListedKey> keys = new java.util.ArrayList<>();
        int at = 28;
        for (long i = 0; i < count; i++) {
            if (at + 24 > list.length) {
                throw new CredentialException("LSA key list says " + count + " keys but holds " + i);
            }
            long size = u32(list, at + 20);
            if (at + 24 + size > list.length) {
                throw new CredentialException("LSA key " + i + " of " + size + " bytes runs past the key list");
            }
            byte[] id = Arrays.copyOfRange(list, at, at + 16);
            ListedKey k = new ListedKey(id, Arrays.copyOfRange(list, at + 24, at + 24 + (int) size));
            if (Arrays.equals(id, current)) {
                keys.add(0, k);
            } else {
                keys.add(k);
            }
            at += 24 + (int) size;
        }
        if (keys.isEmpty()) {
            throw new CredentialException("LSA key list holds no key");
        }
        return keys;
    }

    // ---- before Vista ----

    static byte[] legacyLsaKey(byte[] value, BootKey bootKey) {
        if (value.length < 76) {
            throw new CredentialException("PolSecretEncryptionKey of " + value.length + " bytes is too short (76 needed)");
        }
        byte[] rc4Key = Ciphers.digestRepeated("MD5", bootKey.bytes(), Arrays.copyOfRange(value, 60, 76), 1000);
        byte[] plain = Ciphers.rc4(rc4Key, value, 12, 48);
        return Arrays.copyOfRange(plain, 16, 32);
    }

    static byte[] decryptLegacySecret(byte[] lsaKey, byte[] value) {
        if (value.length < 4) {
            throw new CredentialException("secret of " + value.length + " bytes holds no length");
        }
        long size = u32(value, 0);
        if (size > value.length || size < 8) {
            throw new CredentialException("secret says " + size + " encrypted bytes in a value of " + value.length);
        }
        byte[] data = Arrays.copyOfRange(value, value.length - (int) size, value.length - (int) size + align8((int) size));
        byte[] plain = Ciphers.desWithWalkingKey(false, lsaKey, data);
        long length = u32(plain, 0);
        if (length > plain.length - 8) {
            throw new CredentialException("decrypted secret claims " + length + " bytes but only " + (plain.length - 8)
                    + " were decrypted: wrong key (boot key from another system?)");
        }
        return Arrays.copyOfRange(plain, 8, 8 + (int) length);
    }

    private static int align16(int n) {
        return (n + 15) & ~15;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }
}
