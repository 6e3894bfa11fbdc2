package org.vestige.registry.credentials;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A local account from the SAM with its password hashes when they could be decrypted.
 *
 * @since 0.1
 */
public final class SamAccount {

    /** The LM hash of no password (also shown when no LM hash is stored). */
    public static final String EMPTY_LM = "aad3b435b51404eeaad3b435b51404ee";
    /** The NT hash of the empty password (also shown when no NT hash is stored). */
    public static final String EMPTY_NT = "31d6cfe0d16ae931b73c59d7e0c089c0";

    /** Account control flag: the account is disabled. */
    public static final int ACB_DISABLED = 0x0001;

    /** What is known about one of the account's hashes. */
    public enum HashState {
        /** Decrypted. */
        DECRYPTED,
        /** The account stores no such hash (no LM hash since Vista; no password set). */
        ABSENT,
        /** A hash is stored but could not be decrypted (wrong boot key, malformed entry); see the notes. */
        NOT_DECRYPTED
    }

    private final long rid;
    private final String name;
    private final String fullName;
    private final String comment;
    private final HashState lmState;
    private final byte[] lmHash;
    private final HashState ntState;
    private final byte[] ntHash;
    private final int hashRevision;
    private final Integer accountFlags;
    private final long lastLogon;
    private final long passwordLastSet;
    private final int logonCount;
    private final List<String> notes;

    SamAccount(long rid, String name, String fullName, String comment, HashState lmState, byte[] lmHash,
            HashState ntState, byte[] ntHash, int hashRevision, Integer accountFlags, long lastLogon,
            long passwordLastSet, int logonCount, List<String> notes) {
        this.rid = rid;
        this.name = name;
        this.fullName = fullName;
        this.comment = comment;
        this.lmState = lmState;
        this.lmHash = lmHash;
        this.ntState = ntState;
        this.ntHash = ntHash;
        this.hashRevision = hashRevision;
        this.accountFlags = accountFlags;
        this.lastLogon = lastLogon;
        this.passwordLastSet = passwordLastSet;
        this.logonCount = logonCount;
        this.notes = List.copyOf(notes);
    }

    /** @return the relative identifier (500 Administrator, 501 Guest, 1000+ created accounts) */
    public long rid() {
        return rid;
    }

    /** @return the user name from the V value */
    public String name() {
        return name;
    }

    /** @return the full name, "" when none */
    public String fullName() {
        return fullName;
    }

    /** @return the comment, "" when none */
    public String comment() {
        return comment;
    }

    /** @return the state of the LM hash */
    public HashState lmState() {
        return lmState;
    }

    /** @return the state of the NT hash */
    public HashState ntState() {
        return ntState;
    }

    /** @return the decrypted LM hash */
    public Optional<byte[]> lmHash() {
        return Optional.ofNullable(lmHash).map(byte[]::clone);
    }

    /** @return the decrypted NT hash */
    public Optional<byte[]> ntHash() {
        return Optional.ofNullable(ntHash).map(byte[]::clone);
    }

    /** @return how the hashes are stored: 1 RC4, 2 AES, 0 when no hash is stored */
    public int hashRevision() {
        return hashRevision;
    }

    /** @return the account control flags (ACB_*) from the user's F value, if it was readable */
    public Optional<Integer> accountFlags() {
        return Optional.ofNullable(accountFlags);
    }

    /** @return true when the account is flagged disabled */
    public boolean isDisabled() {
        return accountFlags != null && (accountFlags & ACB_DISABLED) != 0;
    }

    /** @return FILETIME of the last logon (0 never or unknown) */
    public long lastLogon() {
        return lastLogon;
    }

    /** @return FILETIME the password was last set (0 unknown) */
    public long passwordLastSet() {
        return passwordLastSet;
    }

    /** @return the number of logons (0 unknown) */
    public int logonCount() {
        return logonCount;
    }

    /** @return what went wrong while reading this account, if anything */
    public List<String> notes() {
        return notes;
    }

    /**
     * @return the line {@code user:rid:lmhash:nthash:::} (absent hashes shown as the empty-password
     *         hashes, as pwdump does), or empty when a stored hash could not be decrypted
     */
    public Optional<String> hashdumpLine() {
        if (lmState == HashState.NOT_DECRYPTED || ntState == HashState.NOT_DECRYPTED) {
            return Optional.empty();
        }
        String lm = lmHash == null ? EMPTY_LM : HexFormat.of().formatHex(lmHash);
        String nt = ntHash == null ? EMPTY_NT : HexFormat.of().formatHex(ntHash);
        return Optional.of(name + ":" + rid + ":" + lm + ":" + nt + ":::");
    }

    @Override
    public String toString() {
        return hashdumpLine().orElse(name + ":" + rid + ": (hashes not decrypted: " + notes + ")");
    }
}
