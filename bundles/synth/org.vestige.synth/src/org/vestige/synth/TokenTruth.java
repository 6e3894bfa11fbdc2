package org.vestige.synth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vestige.synth.internal.Json;

/**
 * The processes' primary tokens as the synthesizer placed them.
 *
 * @param unavailable why no token was written (the profile lacks _TOKEN or its SID structures), or null when
 *                    every process has one
 * @param machineSid  the machine's domain SID (S-1-5-21-A-B-C) its local accounts are relative to
 * @param profileList the SOFTWARE hive's ProfileList: SID to ProfileImagePath, empty when no hives were written
 * @param tokens      one per process placed (the exited one too), in placement order; empty when
 *                    {@code unavailable}
 * @since 0.1
 */
public record TokenTruth(String unavailable, String machineSid, Map<String, String> profileList,
        List<ProcessToken> tokens) {

    public TokenTruth {
        profileList = Map.copyOf(profileList);
        tokens = List.copyOf(tokens);
    }

    /**
     * One SID of a token with the name an analysis must give it.
     *
     * @param sid        the SID's text form
     * @param attributes its {@code SE_GROUP_*} attributes (0 for the user)
     * @param name       the account or group name, or null when no source names it
     * @param nameSource where the name comes from: {@code well-known}, {@code SAM} or {@code ProfileList};
     *                   null when there is no name
     * @since 0.1
     */
    public record Group(String sid, long attributes, String name, String nameSource) {
    }

    /**
     * A process's token.
     *
     * @param pid                 the process's id
     * @param process             its image name
     * @param eprocess            its _EPROCESS
     * @param token               the _TOKEN's address
     * @param refCount            the reference count written into the _EX_FAST_REF's low bits
     * @param tokenId             TokenId
     * @param authenticationId    AuthenticationId (0x3e7 SYSTEM, 0x3e5 LOCAL SERVICE, 0x3e4 NETWORK SERVICE)
     * @param sessionId           SessionId
     * @param userAndGroups       the user (first) and its groups, in array order
     * @param integrityLevelIndex which of them is the integrity label
     * @param present             Privileges.Present
     * @param enabled             Privileges.Enabled
     * @param enabledByDefault    Privileges.EnabledByDefault
     * @param userAndGroupsArray  the address of the _SID_AND_ATTRIBUTES array
     * @param pagefileOffset      where the page holding the whole token was paged out to in pagefile.sys
     *                            (slot 0), or -1 when it is resident
     * @param restrictedSids      the SIDs a restricted token is restricted to, empty for an unrestricted one
     * @since 0.1
     */
    public record ProcessToken(long pid, String process, long eprocess, long token, int refCount, long tokenId,
            long authenticationId, long sessionId, List<Group> userAndGroups, int integrityLevelIndex, long present,
            long enabled, long enabledByDefault, long userAndGroupsArray, long pagefileOffset,
            List<Group> restrictedSids) {

        public ProcessToken {
            userAndGroups = List.copyOf(userAndGroups);
            restrictedSids = List.copyOf(restrictedSids);
        }
    }

    /** @return the token of the process whose _EPROCESS is at {@code eprocess} */
    public Optional<ProcessToken> of(long eprocess) {
        return tokens.stream().filter(t -> t.eprocess() == eprocess).findFirst();
    }

    /** Writes this truth as the value of a key of {@code truth.json}. */
    void toJson(Json j) {
        j.open('{').key("unavailable").value(unavailable).key("machineSid").value(machineSid);
        j.key("profileList").open('{');
        new java.util.TreeMap<>(profileList).forEach((k, v) -> j.key(k).value(v));
        j.end('}').key("tokens").open('[');
        for (ProcessToken t : tokens) {
            j.open('{').key("pid").value(t.pid()).key("process").value(t.process()).key("eprocess").hex(t.eprocess())
                    .key("token").hex(t.token()).key("refCount").value(t.refCount()).key("tokenId").hex(t.tokenId())
                    .key("authenticationId").hex(t.authenticationId()).key("sessionId").value(t.sessionId())
                    .key("integrityLevelIndex").value(t.integrityLevelIndex()).key("present").hex(t.present())
                    .key("enabled").hex(t.enabled()).key("enabledByDefault").hex(t.enabledByDefault())
                    .key("pagefileOffset").value(t.pagefileOffset());
            groups(j, "userAndGroups", t.userAndGroups());
            groups(j, "restrictedSids", t.restrictedSids());
            j.end('}');
        }
        j.end(']').end('}');
    }

    private static void groups(Json j, String key, List<Group> groups) {
        j.key(key).open('[');
        for (Group g : groups) {
            j.open('{').key("sid").value(g.sid()).key("attributes").hex(g.attributes()).key("name").value(g.name())
                    .key("nameSource").value(g.nameSource()).end('}');
        }
        j.end(']');
    }
}
