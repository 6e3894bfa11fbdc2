package org.vestige.registry.credentials;

import static org.vestige.registry.internal.LittleEndian.i64;
import static org.vestige.registry.internal.LittleEndian.u16;
import static org.vestige.registry.internal.LittleEndian.u32;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.RegistryKey;
import org.vestige.registry.RegistryValue;

/**
 * Recovers local account hashes from a SAM hive with the SYSTEM hive's {@link BootKey} (the
 * "hashdump" of pwdump, samdump2, secretsdump).
 *
 * <p>Each account is a subkey of {@code SAM\Domains\Account\Users} named by its RID in 8 hex digits;
 * its {@code V} value starts with a 0xCC-byte table of (offset, length) pairs relative to 0xCC: the
 * name at 0x0C/0x10, full name at 0x18/0x1C, comment at 0x24/0x28, LM hash entry at 0x9C/0xA0, NT hash
 * entry at 0xA8/0xAC. The {@code F} value carries logon times and the account control flags.
 *
 * @since 0.1
 */
public final class SamHashes {

    /** Key holding the domain key (F value) and the Users key. */
    public static final String ACCOUNT_KEY = "SAM\\Domains\\Account";

    private static final int V_DATA = 0xCC;

    private SamHashes() {
    }

    /**
     * Reads the domain key and every account. When the boot key does not belong to this SAM (the domain
     * key's checksum fails) the accounts are still listed, with their hashes {@code NOT_DECRYPTED}.
     *
     * @throws CredentialException when the SAM has no readable domain key
     * @throws HiveException       when the Account key cannot be read
     */
    public static SamDump dump(Hive sam, BootKey bootKey) {
        RegistryKey account = sam.findKey(ACCOUNT_KEY)
                .orElseThrow(() -> new CredentialException("SAM hive has no " + ACCOUNT_KEY));
        byte[] f = account.value("F")
                .orElseThrow(() -> new CredentialException(ACCOUNT_KEY + " has no F value")).data();
        HashedBootKey domainKey = SamCipher.decryptDomainKey(f, bootKey);
        List<String> problems = new ArrayList<>();
        if (domainKey.verification() == HashedBootKey.Verification.MISMATCH) {
            problems.add("the boot key " + bootKey.hex() + " does not belong to this SAM: the domain key checksum"
                    + " fails (another system's SYSTEM hive, or a syskey startup password); hashes not decrypted");
        }
        List<SamAccount> accounts = new ArrayList<>();
        Optional<RegistryKey> users = account.subkey("Users");
        if (users.isEmpty()) {
            problems.add(ACCOUNT_KEY + " has no Users key");
            return new SamDump(domainKey, accounts, problems);
        }
        for (RegistryKey user : users.get().subkeys(p -> problems.add(p.toString()))) {
            long rid = ridOf(user.name());
            if (rid < 0) {
                continue; // "Names" and anything else that is not an account
            }
            try {
                accounts.add(account(user, rid, domainKey));
            } catch (HiveException | CredentialException e) {
                problems.add("account " + user.name() + " (RID " + rid + "): " + e.getMessage());
            }
        }
        return new SamDump(domainKey, accounts, problems);
    }

    private static long ridOf(String name) {
        if (name.length() != 8) {
            return -1;
        }
        try {
            return Long.parseLong(name, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static SamAccount account(RegistryKey user, long rid, HashedBootKey domainKey) {
        List<String> notes = new ArrayList<>();
        byte[] v = user.value("V").orElseThrow(() -> new CredentialException("no V value")).data();
        if (v.length < V_DATA) {
            throw new CredentialException("V value of " + v.length + " bytes is shorter than its 0xcc-byte header");
        }
        String name = text(v, 0x0C, notes, "name");
        String fullName = text(v, 0x18, notes, "full name");
        String comment = text(v, 0x24, notes, "comment");
        byte[] lmEntry = field(v, 0x9C, notes, "LM hash entry");
        byte[] ntEntry = field(v, 0xA8, notes, "NT hash entry");
        boolean keyOk = domainKey.verification() != HashedBootKey.Verification.MISMATCH;
        byte[][] lm = hash(lmEntry, domainKey, rid, false, keyOk, notes);
        byte[][] nt = hash(ntEntry, domainKey, rid, true, keyOk, notes);
        int revision = Math.max(SamCipher.entryHasHash(ntEntry) ? SamCipher.entryRevision(ntEntry) : 0,
                SamCipher.entryHasHash(lmEntry) ? SamCipher.entryRevision(lmEntry) : 0);

        Integer flags = null;
        long lastLogon = 0;
        long passwordLastSet = 0;
        int logonCount = 0;
        try {
            Optional<RegistryValue> fv = user.value("F");
            if (fv.isPresent()) {
                byte[] f = fv.get().data();
                if (f.length >= 0x44) {
                    lastLogon = i64(f, 0x08);
                    passwordLastSet = i64(f, 0x18);
                    flags = u16(f, 0x38);
                    logonCount = u16(f, 0x42);
                } else {
                    notes.add("user F value of " + f.length + " bytes is too short");
                }
            }
        } catch (HiveException e) {
            notes.add("user F value unreadable: " + e.getMessage());
        }
        return new SamAccount(rid, name, fullName, comment, state(lm), lm[0], state(nt), nt[0], revision, flags,
                lastLogon, passwordLastSet, logonCount, notes);
    }

    private static SamAccount.HashState state(byte[][] h) {
        return h[0] != null ? SamAccount.HashState.DECRYPTED
                : h[1] != null ? SamAccount.HashState.NOT_DECRYPTED : SamAccount.HashState.ABSENT;
    }

    /** @return {hash or null, non-null marker when a stored hash was not decrypted} */
    private static byte[][] hash(byte[] entry, HashedBootKey domainKey, long rid, boolean nt, boolean keyOk,
            List<String> notes) {
        if (!SamCipher.entryHasHash(entry)) {
            return new byte[2][];
        }
        if (!keyOk) {
            return new byte[][] {null, entry};
        }
        try {
            return new byte[][] {SamCipher.decryptUserHash(entry, domainKey.key(), rid, nt), null};
        } catch (CredentialException e) {
            notes.add((nt ? "NT" : "LM") + " hash: " + e.getMessage());
            return new byte[][] {null, entry};
        }
    }

    private static byte[] field(byte[] v, int at, List<String> notes, String what) {
        long offset = u32(v, at) + V_DATA;
        long length = u32(v, at + 4);
        if (offset + length > v.length) {
            notes.add(what + " at " + offset + " (" + length + " bytes) lies outside the V value of " + v.length
                    + " bytes");
            return new byte[0];
        }
        return Arrays.copyOfRange(v, (int) offset, (int) (offset + length));
    }

    private static String text(byte[] v, int at, List<String> notes, String what) {
        byte[] b = field(v, at, notes, what);
        return new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE);
    }
}
