package org.vestige.synth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

import org.vestige.registry.KeySpec;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaDump;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SamAccount;
import org.vestige.registry.credentials.SamHashes;
import org.vestige.registry.internal.LittleEndian;
import org.vestige.registry.internal.LmHash;
import org.vestige.registry.internal.Md4;
import org.vestige.synth.internal.LsaEncryption;
import org.vestige.synth.internal.SamEncryption;

/**
 * Builds SYSTEM, SAM and SECURITY hive trees (for {@link org.vestige.registry.HiveWriter}) that hold
 * known credentials, encrypted exactly as Windows stores them: for synthesizing evidence whose truth is
 * known, and for tests of the readers. Random-looking fields (salts, key ids) come from a seed, so the output is
 * deterministic.
 *
 * @since 0.1
 */
public final class CredentialHives {

    /** How the SAM protects its domain key and hashes. */
    public enum SamRevision {
        /** Revision 1: RC4 and MD5 (Windows up to 10 1511). */
        RC4,
        /** Revision 2: AES-128-CBC (Windows 10 1607 and later). */
        AES
    }

    /**
     * An account to store.
     *
     * @param rid          the relative identifier
     * @param name         the user name
     * @param password     the password, or {@code null} for an account with no hash stored
     * @param storeLmHash  whether to store an LM hash too (only possible for passwords of up to 14 characters)
     * @param disabled     whether to flag the account disabled
     * @since 0.1
     */
    public record Account(long rid, String name, String password, boolean storeLmHash, boolean disabled) {

        public Account {
            Objects.requireNonNull(name);
        }

        /** An enabled account with an NT hash only. */
        public static Account of(long rid, String name, String password) {
            return new Account(rid, name, password, false, false);
        }

        /** @return the NT hash of the password, if there is one */
        public Optional<byte[]> ntHash() {
            return Optional.ofNullable(password).map(Md4::ntHash);
        }

        /** @return the LM hash of the password, when one is stored */
        public Optional<byte[]> lmHash() {
            return storeLmHash && password != null ? LmHash.of(password) : Optional.empty();
        }
    }

    private CredentialHives() {
    }

    /**
     * A SYSTEM hive tree whose {@code Select\Current} names control set {@code controlSet} and whose
     * {@code Control\Lsa} class names scramble {@code bootKey}.
     */
    public static KeySpec system(BootKey bootKey, int controlSet) {
        KeySpec root = KeySpec.named("SYSTEM");
        root.subkey("Select").dword("Current", controlSet).dword("Default", controlSet)
                .dword("LastKnownGood", controlSet).dword("Failed", 0);
        KeySpec lsa = root.path(String.format("ControlSet%03d\\Control\\Lsa", controlSet));
        lsa.dword("LimitBlankPasswordUse", 1);
        String[] classes = bootKey.scrambledClassNames();
        for (int i = 0; i < 4; i++) {
            lsa.subkey(BootKey.CLASS_KEYS[i]).className(classes[i]);
        }
        root.path(String.format("ControlSet%03d\\Control\\ComputerName\\ComputerName", controlSet))
                .string("ComputerName", "VESTIGE-SYNTH");
        return root;
    }

    /**
     * A SAM hive tree with the given accounts, the domain key {@code domainKey} (16 bytes) wrapped with
     * {@code bootKey}.
     */
    public static KeySpec sam(BootKey bootKey, byte[] domainKey, SamRevision revision, List<Account> accounts,
            long seed) {
        if (domainKey.length != 16) {
            throw new IllegalArgumentException("the domain key is 16 bytes");
        }
        Random random = new Random(seed);
        KeySpec root = KeySpec.named("SAM");
        KeySpec account = root.path(SamHashes.ACCOUNT_KEY);
        byte[] salt = bytes(random, 16);
        account.binary("F", revision == SamRevision.RC4 ? SamEncryption.domainKeyRc4(domainKey, salt, bootKey)
                : SamEncryption.domainKeyAes(domainKey, salt, bootKey));
        KeySpec users = account.subkey("Users");
        KeySpec names = users.subkey("Names");
        root.path("SAM\\Domains\\Builtin\\Aliases");
        for (Account a : accounts) {
            KeySpec user = users.subkey(String.format("%08X", a.rid()));
            byte[] lm = entry(a.lmHash(), domainKey, a.rid(), false, revision, random);
            byte[] nt = entry(a.ntHash(), domainKey, a.rid(), true, revision, random);
            user.binary("V", userV(a.name(), lm, nt));
            user.binary("F", userF(a));
            names.subkey(a.name()).value("", (int) a.rid(), new byte[0]);
        }
        return root;
    }

    /**
     * A SECURITY hive tree holding {@code secrets} (name to plaintext) under the LSA key {@code lsaKey}
     * (32 bytes for {@link LsaDump.Scheme#AES_POLEKLIST}, 16 for the RC4 scheme), itself wrapped with
     * {@code bootKey}.
     */
    public static KeySpec security(BootKey bootKey, LsaDump.Scheme scheme, byte[] lsaKey, Map<String, byte[]> secrets,
            long seed) {
        Random random = new Random(seed);
        KeySpec root = KeySpec.named("SECURITY");
        KeySpec policy = root.subkey("Policy");
        KeySpec secretsKey = root.path(LsaSecrets.SECRETS);
        if (scheme == LsaDump.Scheme.AES_POLEKLIST) {
            if (lsaKey.length != 32) {
                throw new IllegalArgumentException("a Vista+ LSA key is 32 bytes");
            }
            byte[] lsaKeyId = bytes(random, 16);
            byte[] list = LsaEncryption.keyList(lsaKeyId, lsaKey);
            policy.subkey("PolEKList").value("", 0, LsaEncryption.record(bootKey.bytes(), bytes(random, 16), list,
                    bytes(random, 32)));
            policy.subkey("PolRevision").value("", 0, revision(1, 10));
            for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
                secretsKey.subkey(s.getKey()).subkey("CurrVal").value("", 0,
                        LsaEncryption.record(lsaKey, lsaKeyId, s.getValue(), bytes(random, 32)));
            }
        } else {
            if (lsaKey.length != 16) {
                throw new IllegalArgumentException("a pre-Vista LSA key is 16 bytes");
            }
            policy.subkey("PolSecretEncryptionKey").value("", 0,
                    LsaEncryption.legacyKeyValue(lsaKey, bootKey, bytes(random, 16)));
            policy.subkey("PolRevision").value("", 0, revision(1, 9));
            for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
                secretsKey.subkey(s.getKey()).subkey("CurrVal").value("", 0,
                        LsaEncryption.legacySecret(lsaKey, s.getValue()));
            }
        }
        return root;
    }

    /** @return the plaintext of a DPAPI_SYSTEM secret: version 1, then the two 20-byte keys */
    public static byte[] dpapiSystem(byte[] machineKey, byte[] userKey) {
        byte[] s = new byte[44];
        LittleEndian.put32(s, 0, 1);
        System.arraycopy(machineKey, 0, s, 4, 20);
        System.arraycopy(userKey, 0, s, 24, 20);
        return s;
    }

    /** @return {@code text} as a secret's UTF-16LE plaintext */
    public static byte[] textSecret(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    private static byte[] revision(int major, int minor) {
        byte[] r = new byte[4];
        LittleEndian.put16(r, 0, minor);
        LittleEndian.put16(r, 2, major);
        return r;
    }

    private static byte[] entry(Optional<byte[]> hash, byte[] domainKey, long rid, boolean nt, SamRevision revision,
            Random random) {
        int rev = revision == SamRevision.RC4 ? 1 : 2;
        if (hash.isEmpty()) {
            return SamEncryption.emptyEntry(rev);
        }
        return rev == 1 ? SamEncryption.userHashRc4(hash.get(), domainKey, rid, nt)
                : SamEncryption.userHashAes(hash.get(), domainKey, rid, bytes(random, 16));
    }

    /** The V value: a 0xCC-byte table of (offset, length, unknown) triples, then the data they point into. */
    private static byte[] userV(String name, byte[] lm, byte[] nt) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_16LE);
        int nameAt = 0;
        int lmAt = align4(nameAt + nameBytes.length);
        int ntAt = align4(lmAt + lm.length);
        int end = align4(ntAt + nt.length);
        byte[] v = new byte[0xCC + end];
        // Every field starts empty at the end of the name; the three that are filled are set below.
        for (int field = 0x0C; field <= 0xA8; field += 12) {
            LittleEndian.put32(v, field, lmAt);
        }
        LittleEndian.put32(v, 0x0C, nameAt);
        LittleEndian.put32(v, 0x10, nameBytes.length);
        LittleEndian.put32(v, 0x9C, lmAt);
        LittleEndian.put32(v, 0xA0, lm.length);
        LittleEndian.put32(v, 0xA8, ntAt);
        LittleEndian.put32(v, 0xAC, nt.length);
        System.arraycopy(nameBytes, 0, v, 0xCC + nameAt, nameBytes.length);
        System.arraycopy(lm, 0, v, 0xCC + lmAt, lm.length);
        System.arraycopy(nt, 0, v, 0xCC + ntAt, nt.length);
        return v;
    }

    private static byte[] userF(Account a) {
        byte[] f = new byte[0x50];
        f[0] = 2;
        f[2] = 1;
        LittleEndian.put64(f, 0x20, 0x7FFF_FFFF_FFFF_FFFFL); // account never expires
        LittleEndian.put32(f, 0x30, a.rid());
        LittleEndian.put16(f, 0x38, 0x0010 | (a.disabled() ? SamAccount.ACB_DISABLED : 0)); // normal account
        return f;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** @return the accounts' expected hashdump lines, computed from the passwords */
    public static List<String> expectedHashdump(List<Account> accounts) {
        List<String> lines = new ArrayList<>();
        java.util.HexFormat hex = java.util.HexFormat.of();
        for (Account a : accounts) {
            lines.add(a.name() + ":" + a.rid() + ":" + a.lmHash().map(hex::formatHex).orElse(SamAccount.EMPTY_LM) + ":"
                    + a.ntHash().map(hex::formatHex).orElse(SamAccount.EMPTY_NT) + ":::");
        }
        return lines;
    }
}
