package org.vestige.synth.internal;

import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.internal.Ciphers;
import org.vestige.registry.internal.LittleEndian;

/**
 * The LSA's encryption of its key and secrets as Windows writes it, for SECURITY hives whose secrets are
 * known.
 *
 * <p>Vista and later: a record is Version(4) EncKeyId(16) EncAlgorithm(4) Flags(4) then a 32-byte salt
 * and data; the AES-256 key is SHA-256 of the wrapping key followed by the salt 1000 times, and the data
 * is encrypted block by block (ECB). The plaintext is Length(4) Unknown(12) Secret(Length). PolEKList's
 * secret is a key list: Unknown(4) CurrentKeyId(16) Unknown(4) Count(4), then per key KeyId(16) Type(4)
 * Size(4) Key(Size); its wrapping key is the boot key, the secrets' is the LSA key.
 *
 * <p>Before Vista: PolSecretEncryptionKey holds at 12..60 RC4 data keyed with MD5 of the boot key followed
 * by bytes 60..76 1000 times; the LSA key is bytes 16..32 of the plaintext. A secret is DES-ECB in 8-byte
 * blocks with 7-byte keys taken in turn from the 16-byte LSA key (wrapping around); its plaintext is
 * Length(4) Version(4) Secret(Length).
 */
public final class LsaEncryption {

    private static final int RECORD_HEADER = 28;
    private static final int SALT = 32;

    private LsaEncryption() {
    }

    /** @return a Vista record holding {@code secret} under {@code key}, which has the id {@code keyId} */
    public static byte[] record(byte[] key, byte[] keyId, byte[] secret, byte[] salt) {
        byte[] blob = new byte[align16(16 + secret.length)];
        LittleEndian.put32(blob, 0, secret.length);
        System.arraycopy(secret, 0, blob, 16, secret.length);
        byte[] aesKey = Ciphers.digestRepeated("SHA-256", key, salt, 1000);
        byte[] enc = Ciphers.aesEcb(true, aesKey, blob, 0, blob.length);
        byte[] record = new byte[RECORD_HEADER + SALT + enc.length];
        LittleEndian.put32(record, 0, 1);
        System.arraycopy(keyId, 0, record, 4, 16);
        LittleEndian.put32(record, 20, 1);
        System.arraycopy(salt, 0, record, RECORD_HEADER, SALT);
        System.arraycopy(enc, 0, record, RECORD_HEADER + SALT, enc.length);
        return record;
    }

    /** @return the plaintext of a PolEKList holding one key, the current one */
    public static byte[] keyList(byte[] keyId, byte[] key) {
        byte[] list = new byte[28 + 24 + key.length];
        LittleEndian.put32(list, 0, 1);
        System.arraycopy(keyId, 0, list, 4, 16);
        LittleEndian.put32(list, 20, 1);
        LittleEndian.put32(list, 24, 1);
        System.arraycopy(keyId, 0, list, 28, 16);
        LittleEndian.put32(list, 44, 1);
        LittleEndian.put32(list, 48, key.length);
        System.arraycopy(key, 0, list, 52, key.length);
        return list;
    }

    /** @return a pre-Vista PolSecretEncryptionKey value wrapping {@code lsaKey} with the boot key */
    public static byte[] legacyKeyValue(byte[] lsaKey, BootKey bootKey, byte[] salt) {
        byte[] value = new byte[76];
        LittleEndian.put32(value, 0, 1);
        LittleEndian.put32(value, 4, 1);
        byte[] plain = new byte[48];
        System.arraycopy(lsaKey, 0, plain, 16, 16);
        System.arraycopy(salt, 0, value, 60, 16);
        byte[] rc4Key = Ciphers.digestRepeated("MD5", bootKey.bytes(), salt, 1000);
        System.arraycopy(Ciphers.rc4(rc4Key, plain), 0, value, 12, 48);
        return value;
    }

    /** @return a pre-Vista secret value holding {@code secret} under {@code lsaKey} */
    public static byte[] legacySecret(byte[] lsaKey, byte[] secret) {
        byte[] plain = new byte[align8(8 + secret.length)];
        LittleEndian.put32(plain, 0, secret.length);
        LittleEndian.put32(plain, 4, 1);
        System.arraycopy(secret, 0, plain, 8, secret.length);
        byte[] enc = Ciphers.desWithWalkingKey(true, lsaKey, plain);
        byte[] value = new byte[12 + enc.length];
        LittleEndian.put32(value, 0, enc.length);
        LittleEndian.put32(value, 4, enc.length);
        LittleEndian.put32(value, 8, 12);
        System.arraycopy(enc, 0, value, 12, enc.length);
        return value;
    }

    private static int align16(int n) {
        return (n + 15) & ~15;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }
}
