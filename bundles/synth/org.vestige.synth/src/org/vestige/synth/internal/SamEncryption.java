package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.internal.Ciphers;
import org.vestige.registry.internal.LittleEndian;

/**
 * The SAM's encryption as Windows writes it, for hives whose credentials are known: the domain key in
 * {@code SAM\Domains\Account\F} and the users' hash entries in their V values.
 *
 * <p>Domain key at 0x68: revision 1 holds salt (0x70), key (0x80) and checksum (0x90) RC4-encrypted with
 * MD5(salt, QWERTY, boot key, DIGITS), the checksum being MD5(key, DIGITS, key, QWERTY); revision 2 holds
 * checksum length (0x70), data length (0x74), salt/IV (0x78) and data (0x88) encrypted with AES-128-CBC
 * under the boot key.
 *
 * <p>User hashes: revision 1 entries are PekID(2) Revision(2) Hash(16), the hash RC4-encrypted with
 * MD5(domain key, RID, "NTPASSWORD\0" or "LMPASSWORD\0"); revision 2 entries are PekID(2) Revision(2)
 * DataOffset(4) Salt(16) Data, AES-128-CBC under the domain key with the salt as IV. Under either, the
 * hash is first DES-ECB encrypted in two halves with keys derived from the RID.
 */
public final class SamEncryption {

    private static final byte[] QWERTY = ascii("!@#$%^&*()qwertyUIOPAzxcvbnmQQQQQQQQQQQQ)(*@&%\0");
    private static final byte[] DIGITS = ascii("0123456789012345678901234567890123456789\0");
    private static final byte[] NTPASSWORD = ascii("NTPASSWORD\0");
    private static final byte[] LMPASSWORD = ascii("LMPASSWORD\0");

    /** Offset of the domain key structure in the Account F value. */
    private static final int KEY0 = 0x68;

    private SamEncryption() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return an Account F value (revision 1, 0xF0 bytes as Windows 7 writes it) wrapping {@code domainKey} */
    public static byte[] domainKeyRc4(byte[] domainKey, byte[] salt, BootKey bootKey) {
        byte[] f = new byte[0xF0];
        f[0] = 2;
        f[2] = 1;
        LittleEndian.put32(f, KEY0, 1);
        LittleEndian.put32(f, KEY0 + 4, 0x38);
        System.arraycopy(salt, 0, f, 0x70, 16);
        byte[] check = Ciphers.md5(domainKey, DIGITS, domainKey, QWERTY);
        byte[] plain = new byte[32];
        System.arraycopy(domainKey, 0, plain, 0, 16);
        System.arraycopy(check, 0, plain, 16, 16);
        byte[] rc4Key = Ciphers.md5(salt, QWERTY, bootKey.bytes(), DIGITS);
        System.arraycopy(Ciphers.rc4(rc4Key, plain), 0, f, 0x80, 32);
        return f;
    }

    /**
     * @return an Account F value (revision 2) wrapping {@code domainKey}; the second data block, which
     *         readers do not interpret, is filled with MD5 of the key
     */
    public static byte[] domainKeyAes(byte[] domainKey, byte[] iv, BootKey bootKey) {
        byte[] f = new byte[0x88 + 0x20 + 8];
        f[0] = 3;
        f[2] = 1;
        LittleEndian.put32(f, KEY0, 2);
        LittleEndian.put32(f, KEY0 + 4, 0x40);
        LittleEndian.put32(f, 0x70, 0x10);
        LittleEndian.put32(f, 0x74, 0x20);
        System.arraycopy(iv, 0, f, 0x78, 16);
        byte[] plain = new byte[32];
        System.arraycopy(domainKey, 0, plain, 0, 16);
        System.arraycopy(Ciphers.md5(domainKey), 0, plain, 16, 16);
        System.arraycopy(Ciphers.aesCbc(true, bootKey.bytes(), iv, plain, 0, 32), 0, f, 0x88, 32);
        return f;
    }

    /** @return a revision 1 entry holding {@code hash} for {@code rid} */
    public static byte[] userHashRc4(byte[] hash, byte[] domainKey, long rid, boolean nt) {
        byte[] entry = new byte[20];
        LittleEndian.put16(entry, 2, 1);
        byte[] rc4Key = Ciphers.md5(Arrays.copyOf(domainKey, 16), ridBytes(rid), nt ? NTPASSWORD : LMPASSWORD);
        System.arraycopy(Ciphers.rc4(rc4Key, Ciphers.desWithRidKeys(true, hash, rid)), 0, entry, 4, 16);
        return entry;
    }

    /** @return a revision 2 entry holding {@code hash} for {@code rid}, the data padded PKCS#7-style to 32 bytes */
    public static byte[] userHashAes(byte[] hash, byte[] domainKey, long rid, byte[] salt) {
        byte[] entry = new byte[24 + 32];
        LittleEndian.put16(entry, 2, 2);
        LittleEndian.put32(entry, 4, 0x10);
        System.arraycopy(salt, 0, entry, 8, 16);
        byte[] plain = new byte[32];
        System.arraycopy(Ciphers.desWithRidKeys(true, hash, rid), 0, plain, 0, 16);
        Arrays.fill(plain, 16, 32, (byte) 16);
        System.arraycopy(Ciphers.aesCbc(true, Arrays.copyOf(domainKey, 16), salt, plain, 0, 32), 0, entry, 24, 32);
        return entry;
    }

    /** @return an entry of revision {@code revision} that holds no hash */
    public static byte[] emptyEntry(int revision) {
        byte[] entry = new byte[revision == 2 ? 24 : 4];
        LittleEndian.put16(entry, 2, revision);
        if (revision == 2) {
            LittleEndian.put32(entry, 4, 0x10);
        }
        return entry;
    }

    private static byte[] ridBytes(long rid) {
        byte[] r = new byte[4];
        LittleEndian.put32(r, 0, rid);
        return r;
    }
}
