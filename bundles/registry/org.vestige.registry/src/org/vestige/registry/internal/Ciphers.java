package org.vestige.registry.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK ciphers and digests the SAM and LSA formats use, with checked exceptions turned into
 * {@link IllegalStateException} (they mean a JDK without a standard algorithm, not bad input).
 */
public final class Ciphers {

    private Ciphers() {
    }

    public static byte[] md5(byte[]... parts) {
        return digestAll("MD5", parts);
    }

    public static byte[] sha256(byte[]... parts) {
        return digestAll("SHA-256", parts);
    }

    /** @return the digest of {@code first} followed by {@code repeated} {@code times} times */
    public static byte[] digestRepeated(String algorithm, byte[] first, byte[] repeated, int times) {
        MessageDigest md = digest(algorithm);
        md.update(first);
        for (int i = 0; i < times; i++) {
            md.update(repeated);
        }
        return md.digest();
    }

    private static byte[] digestAll(String algorithm, byte[]... parts) {
        MessageDigest md = digest(algorithm);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JDK", e);
        }
    }

    /** RC4 is symmetric: the same call encrypts and decrypts. */
    public static byte[] rc4(byte[] key, byte[] data, int from, int length) {
        return run("ARCFOUR", Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"), null, data, from, length);
    }

    public static byte[] rc4(byte[] key, byte[] data) {
        return rc4(key, data, 0, data.length);
    }

    /** DES-ECB on whole 8-byte blocks with an 8-byte key (see {@link DesKey}). */
    public static byte[] des(boolean encrypt, byte[] key8, byte[] data, int from, int length) {
        return run("DES/ECB/NoPadding", encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                new SecretKeySpec(key8, "DES"), null, data, from, length);
    }

    /**
     * The SAM's last layer over a 16-byte hash: DES-ECB of each half with the two keys derived from the
     * account's RID ({@link DesKey#fromRid}).
     */
    public static byte[] desWithRidKeys(boolean encrypt, byte[] hash16, long rid) {
        byte[][] keys = DesKey.fromRid(rid);
        byte[] out = new byte[16];
        System.arraycopy(des(encrypt, keys[0], hash16, 0, 8), 0, out, 0, 8);
        System.arraycopy(des(encrypt, keys[1], hash16, 8, 8), 0, out, 8, 8);
        return out;
    }

    /**
     * DES-ECB over 8-byte blocks with successive 7-byte pieces of {@code key}, wrapping around it: how LSA
     * secrets are encrypted before Windows Vista.
     */
    public static byte[] desWithWalkingKey(boolean encrypt, byte[] key, byte[] data) {
        byte[] out = new byte[data.length];
        int keyAt = 0;
        for (int at = 0; at + 8 <= data.length; at += 8) {
            byte[] k = DesKey.expand(key, keyAt);
            System.arraycopy(des(encrypt, k, data, at, 8), 0, out, at, 8);
            keyAt += 7;
            if (key.length - keyAt < 7) {
                keyAt = key.length - keyAt;
            }
        }
        return out;
    }

    /** AES-CBC without padding; {@code length} must be a multiple of 16. */
    public static byte[] aesCbc(boolean encrypt, byte[] key, byte[] iv, byte[] data, int from, int length) {
        return run("AES/CBC/NoPadding", encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                new SecretKeySpec(key, "AES"), new IvParameterSpec(iv), data, from, length);
    }

    /** AES-ECB without padding; {@code length} must be a multiple of 16. */
    public static byte[] aesEcb(boolean encrypt, byte[] key, byte[] data, int from, int length) {
        return run("AES/ECB/NoPadding", encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                new SecretKeySpec(key, "AES"), null, data, from, length);
    }

    private static byte[] run(String transformation, int mode, SecretKeySpec key, IvParameterSpec iv, byte[] data,
            int from, int length) {
        try {
            Cipher c = Cipher.getInstance(transformation);
            if (iv == null) {
                c.init(mode, key);
            } else {
                c.init(mode, key, iv);
            }
            return c.doFinal(data, from, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " failed: " + e.getMessage(), e);
        }
    }
}
