package org.vestige.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a token's {@code UserAndGroups} (or {@code RestrictedSids}) array: a
 * {@code _SID_AND_ATTRIBUTES}, its SID read from where its pointer leads.
 *
 * @param index      its index in the array (0 is the token's user)
 * @param address    the _SID's virtual address, as the entry's {@code Sid} pointer holds it
 * @param sid        the SID, or why it cannot be read (paged out, a wild pointer, a malformed _SID)
 * @param attributes the entry's {@code Attributes} ({@code SE_GROUP_*} flags)
 * @since 0.1
 */
public record TokenSid(int index, long address, Readout<Sid> sid, long attributes) {

    // SE_GROUP_* attribute flags, winnt.h; Microsoft, "TOKEN_GROUPS structure"
    /** The group cannot be disabled. */
    public static final long MANDATORY = 0x1;
    /** The group is enabled by default. */
    public static final long ENABLED_BY_DEFAULT = 0x2;
    /** The group is enabled for access checks. */
    public static final long ENABLED = 0x4;
    /** The user may set the group as the owner of new objects. */
    public static final long OWNER = 0x8;
    /** The group is used only to deny access. */
    public static final long USE_FOR_DENY_ONLY = 0x10;
    /** The SID is a mandatory integrity label. */
    public static final long INTEGRITY = 0x20;
    /** The integrity label is checked. */
    public static final long INTEGRITY_ENABLED = 0x40;
    /** A domain-local group. */
    public static final long RESOURCE = 0x20000000L;
    /** The logon SID of the token's logon session. */
    public static final long LOGON_ID = 0xC0000000L;

    /** @return the names of the flags set in {@code attributes}, in the order of their bits */
    public static List<String> attributeNames(long attributes) {
        List<String> names = new ArrayList<>();
        long[] bits = {MANDATORY, ENABLED_BY_DEFAULT, ENABLED, OWNER, USE_FOR_DENY_ONLY, INTEGRITY,
            INTEGRITY_ENABLED, RESOURCE};
        String[] text = {"Mandatory", "EnabledByDefault", "Enabled", "Owner", "DenyOnly", "Integrity",
            "IntegrityEnabled", "Resource"};
        for (int i = 0; i < bits.length; i++) {
            if ((attributes & bits[i]) != 0) {
                names.add(text[i]);
            }
        }
        if ((attributes & LOGON_ID) == LOGON_ID) {
            names.add("LogonId");
        }
        long known = MANDATORY | ENABLED_BY_DEFAULT | ENABLED | OWNER | USE_FOR_DENY_ONLY | INTEGRITY
                | INTEGRITY_ENABLED | RESOURCE | LOGON_ID;
        if ((attributes & ~known) != 0) {
            names.add("0x" + Long.toHexString(attributes & ~known));
        }
        return names;
    }
}
