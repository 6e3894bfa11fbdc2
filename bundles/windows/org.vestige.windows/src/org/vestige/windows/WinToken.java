package org.vestige.windows;

import java.util.List;
import java.util.Optional;

/**
 * A process's primary token as its {@code _TOKEN} holds it.
 *
 * @param address             the _TOKEN's virtual address (the _EX_FAST_REF with its reference count masked off)
 * @param refCount            the reference count the _EX_FAST_REF's low bits held
 * @param tokenId             {@code TokenId}, a LUID (HighPart &lt;&lt; 32 | LowPart)
 * @param authenticationId    {@code AuthenticationId}: the LUID of the token's logon session
 * @param sessionId           {@code SessionId}: the terminal-services session
 * @param userAndGroups       the user (index 0) and group SIDs with their attributes, or why the array cannot
 *                            be read
 * @param restrictedSids      the restricting SIDs (empty for an unrestricted token), or why they cannot be read
 * @param integrityLevelIndex {@code IntegrityLevelIndex}: which of {@code userAndGroups} is the integrity label,
 *                            -1 when the profile has no such field or the token none
 * @param present             {@code Privileges.Present}: bit N set when the privilege whose LUID is N is held
 * @param enabled             {@code Privileges.Enabled}
 * @param enabledByDefault    {@code Privileges.EnabledByDefault}
 * @param warnings            what in the token is damaged, each naming the process and the address
 * @since 0.1
 */
public record WinToken(long address, int refCount, long tokenId, long authenticationId, long sessionId,
        Readout<List<TokenSid>> userAndGroups, Readout<List<TokenSid>> restrictedSids, int integrityLevelIndex,
        long present, long enabled, long enabledByDefault, List<String> warnings) {

    public WinToken {
        warnings = List.copyOf(warnings);
    }

    /** @return the token's user: the first entry of UserAndGroups, when it could be read */
    public Optional<TokenSid> user() {
        return userAndGroups.isPresent() && !userAndGroups.get().isEmpty() ? Optional.of(userAndGroups.get().get(0))
                : Optional.empty();
    }

    /** @return the entry IntegrityLevelIndex names, when there is one and it could be read */
    public Optional<TokenSid> integrityLevel() {
        if (integrityLevelIndex < 0 || !userAndGroups.isPresent() || integrityLevelIndex >= userAndGroups.get()
                .size()) {
            return Optional.empty();
        }
        return Optional.of(userAndGroups.get().get(integrityLevelIndex));
    }
}
