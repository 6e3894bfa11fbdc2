package org.vestige.windows;

/**
 * The name of a SID and where it came from.
 *
 * @param name   the account or group name
 * @param source where the name was found: {@link #WELL_KNOWN}, {@link #SAM} or {@link #PROFILE_LIST}
 * @since 0.1
 */
public record SidName(String name, String source) {

    /** Microsoft's table of well-known SIDs ({@link WellKnownSids}). */
    public static final String WELL_KNOWN = "well-known";
    /** The SAM hive's local accounts ({@code SAM\Domains\Account\Users\Names}). */
    public static final String SAM = "SAM";
    /** The SOFTWARE hive's user profiles ({@code Microsoft\Windows NT\CurrentVersion\ProfileList}). */
    public static final String PROFILE_LIST = "ProfileList";
}
