package org.vestige.registry.credentials;

import java.util.List;

/**
 * The accounts of a SAM hive with their hashes.
 *
 * @param hashedBootKey the domain key the hashes were decrypted with
 * @param accounts      the accounts, in the order of the Users key (by RID)
 * @param problems      what could not be read (unreadable keys, values, accounts), in words
 * @since 0.1
 */
public record SamDump(HashedBootKey hashedBootKey, List<SamAccount> accounts, List<String> problems) {

    public SamDump {
        accounts = List.copyOf(accounts);
        problems = List.copyOf(problems);
    }

    /** @return false when the boot key is known not to belong to this SAM (hashes were then not decrypted) */
    public boolean bootKeyMatches() {
        return hashedBootKey.verification() != HashedBootKey.Verification.MISMATCH;
    }
}
