package org.vestige.registry.credentials;

import static org.vestige.registry.internal.LittleEndian.u16;
import static org.vestige.registry.internal.LittleEndian.u32;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.vestige.registry.internal.Ciphers;
import org.vestige.registry.internal.LittleEndian;

/**
 * The SAM's encryption, as a reader undoes it (org.vestige.synth writes it).
 *
 * <p>Domain key in {@code SAM\Domains\Account\F} at 0x68: revision 1 holds salt (0x70), key (0x80)
 * and checksum (0x90) RC4-encrypted with MD5(salt, QWERTY, boot key, DIGITS), the checksum being
 * MD5(key, DIGITS, key, QWERTY); revision 2 holds checksum length (0x70), data length (0x74),
 * salt/IV (0x78) and data (0x88) encrypted with AES-128-CBC under the boot key.
 *
 * <p>User hashes (entries in the V value): revision 1 entries are PekID(2) Revision(2) Hash(16), the
 * hash RC4-encrypted with MD5(domain key, RID, "NTPASSWORD\0" or "LMPASSWORD\0"); revision 2 entries are
 * PekID(2) Revision(2) DataOffset(4) Salt(16) Data, AES-128-CBC under the domain key with the salt as IV.
 * Under either, the hash is DES-ECB encrypted in two halves with keys derived from the RID.
 */
final class SamCipher {

    static final byte[] QWERTY = ascii("!@#$%^&*()qwertyUIOPAzxcvbnmQQQQQQQQQQQQ)(*@&%\0");
    static final byte[] DIGITS = ascii("0123456789012345678901234567890123456789\0");
    static final byte[] NTPASSWORD = ascii("NTPASSWORD\0");
    static final byte[] LMPASSWORD = ascii("LMPASSWORD\0");

    /** Offset of the domain key structure in the Account F value. */
    static final int KEY0 = 0x68;

    private SamCipher() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- domain key ----

    static HashedBootKey decryptDomainKey(byte[] f, BootKey bootKey) {
        if (f.length < KEY0 + 8) {
            throw new CredentialException("Account F value of " + f.length + " bytes holds no domain key");
        }
        int revision = f[KEY0] & 0xFF;
        byte[] boot = bootKey.bytes();
        switch (revision) {
            case 1 -> {
                if (f.length < 0xA0) {
                    throw new CredentialException("Account F value of " + f.length + " bytes is too short for a"
                            + " revision 1 domain key (0xa0 needed)");
                }
                byte[] salt = Arrays.copyOfRange(f, 0x70, 0x80);
                byte[] rc4Key = Ciphers.md5(salt, QWERTY, boot, DIGITS);
                byte[] plain = Ciphers.rc4(rc4Key, f, 0x80, 0x20);
                byte[] key = Arrays.copyOf(plain, 16);
                byte[] check = Ciphers.md5(key, DIGITS, key, QWERTY);
                boolean ok = Arrays.equals(check, 0, 16, plain, 16, 32);
                return new HashedBootKey(1, key, ok ? HashedBootKey.Verification.VERIFIED
                        : HashedBootKey.Verification.MISMATCH);
            }
            case 2 -> {
                long dataLength = u32(f, 0x74);
                if (f.length < 0x88 || dataLength < 16 || (dataLength & 15) != 0 || 0x88 + dataLength > f.length) {
                    throw new CredentialException("Account F value holds a revision 2 domain key with data length "
                            + dataLength + " that does not fit its " + f.length + " bytes");
                }
                byte[] iv = Arrays.copyOfRange(f, 0x78, 0x88);
                byte[] plain = Ciphers.aesCbc(false, boot, iv, f, 0x88, (int) dataLength);
                return new HashedBootKey(2, Arrays.copyOf(plain, 16), HashedBootKey.Verification.NOT_CHECKED);
            }
            default -> throw new CredentialException("Account F value has unknown domain key revision " + revision);
        }
    }

    // ---- user hashes ----

    /** @return the revision of a hash entry (1 or 2), 0 when the entry is too short to say */
    static int entryRevision(byte[] entry) {
        return entry.length >= 4 ? u16(entry, 2) : 0;
    }

    /** @return true when the entry carries a hash (not just its header) */
    static boolean entryHasHash(byte[] entry) {
        return switch (entryRevision(entry)) {
            case 1 -> entry.length >= 20;
            case 2 -> entry.length >= 24 + 16;
            default -> false;
        };
    }

    static byte[] decryptUserHash(byte[] entry, byte[] domainKey, long rid, boolean nt) {
        byte[] wrapped;
        switch (entryRevision(entry)) {
            case 1 -> {
                byte[] rc4Key = Ciphers.md5(Arrays.copyOf(domainKey, 16), ridBytes(rid), nt ? NTPASSWORD : LMPASSWORD);
                wrapped = Ciphers.rc4(rc4Key, entry, 4, 16);
            }
            case 2 -> {
                int length = (entry.length - 24) & ~15;
                byte[] iv = Arrays.copyOfRange(entry, 8, 24);
                wrapped = Arrays.copyOf(Ciphers.aesCbc(false, Arrays.copyOf(domainKey, 16), iv, entry, 24, length), 16);
            }
            default -> throw new CredentialException("unknown hash entry revision " + entryRevision(entry));
        }
        return Ciphers.desWithRidKeys(false, wrapped, rid);
    }

    private static byte[] ridBytes(long rid) {
        byte[] r = new byte[4];
        LittleEndian.put32(r, 0, rid);
        return r;
    }
}
