package org.vestige.windows;

import java.util.Optional;

/**
 * The privileges a Windows token can hold, by their LUID value (the {@code SE_*_PRIVILEGE} constants of
 * winnt.h/ntseapi.h, {@code SE_MIN_WELL_KNOWN_PRIVILEGE} 2 to {@code SE_MAX_WELL_KNOWN_PRIVILEGE} 36) with the
 * user-right names Microsoft gives them ("Privilege Constants (Authorization)", Win32 documentation). In
 * {@code _SEP_TOKEN_PRIVILEGES} each of Present, Enabled and EnabledByDefault is a 64-bit mask whose bit N is
 * the privilege whose LUID is N (Windows Internals, 7th ed., part 1, ch. 7).
 *
 * @since 0.1
 */
public enum WindowsPrivilege {

    CREATE_TOKEN(2, "SeCreateTokenPrivilege", "Create a token object"),
    ASSIGN_PRIMARY_TOKEN(3, "SeAssignPrimaryTokenPrivilege", "Replace a process-level token"),
    LOCK_MEMORY(4, "SeLockMemoryPrivilege", "Lock pages in memory"),
    INCREASE_QUOTA(5, "SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process"),
    MACHINE_ACCOUNT(6, "SeMachineAccountPrivilege", "Add workstations to domain"),
    TCB(7, "SeTcbPrivilege", "Act as part of the operating system"),
    SECURITY(8, "SeSecurityPrivilege", "Manage auditing and security log"),
    TAKE_OWNERSHIP(9, "SeTakeOwnershipPrivilege", "Take ownership of files or other objects"),
    LOAD_DRIVER(10, "SeLoadDriverPrivilege", "Load and unload device drivers"),
    SYSTEM_PROFILE(11, "SeSystemProfilePrivilege", "Profile system performance"),
    SYSTEMTIME(12, "SeSystemtimePrivilege", "Change the system time"),
    PROFILE_SINGLE_PROCESS(13, "SeProfileSingleProcessPrivilege", "Profile single process"),
    INCREASE_BASE_PRIORITY(14, "SeIncreaseBasePriorityPrivilege", "Increase scheduling priority"),
    CREATE_PAGEFILE(15, "SeCreatePagefilePrivilege", "Create a pagefile"),
    CREATE_PERMANENT(16, "SeCreatePermanentPrivilege", "Create permanent shared objects"),
    BACKUP(17, "SeBackupPrivilege", "Back up files and directories"),
    RESTORE(18, "SeRestorePrivilege", "Restore files and directories"),
    SHUTDOWN(19, "SeShutdownPrivilege", "Shut down the system"),
    DEBUG(20, "SeDebugPrivilege", "Debug programs"),
    AUDIT(21, "SeAuditPrivilege", "Generate security audits"),
    SYSTEM_ENVIRONMENT(22, "SeSystemEnvironmentPrivilege", "Modify firmware environment values"),
    CHANGE_NOTIFY(23, "SeChangeNotifyPrivilege", "Bypass traverse checking"),
    REMOTE_SHUTDOWN(24, "SeRemoteShutdownPrivilege", "Force shutdown from a remote system"),
    UNDOCK(25, "SeUndockPrivilege", "Remove computer from docking station"),
    SYNC_AGENT(26, "SeSyncAgentPrivilege", "Synchronize directory service data"),
    ENABLE_DELEGATION(27, "SeEnableDelegationPrivilege",
            "Enable computer and user accounts to be trusted for delegation"),
    MANAGE_VOLUME(28, "SeManageVolumePrivilege", "Perform volume maintenance tasks"),
    IMPERSONATE(29, "SeImpersonatePrivilege", "Impersonate a client after authentication"),
    CREATE_GLOBAL(30, "SeCreateGlobalPrivilege", "Create global objects"),
    TRUSTED_CRED_MAN_ACCESS(31, "SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller"),
    RELABEL(32, "SeRelabelPrivilege", "Modify an object label"),
    INCREASE_WORKING_SET(33, "SeIncreaseWorkingSetPrivilege", "Increase a process working set"),
    TIME_ZONE(34, "SeTimeZonePrivilege", "Change the time zone"),
    CREATE_SYMBOLIC_LINK(35, "SeCreateSymbolicLinkPrivilege", "Create symbolic links"),
    DELEGATE_SESSION_USER_IMPERSONATE(36, "SeDelegateSessionUserImpersonatePrivilege",
            "Obtain an impersonation token for another user in the same session");

    /** Where the names and descriptions come from. */
    public static final String SOURCE = "winnt.h SE_*_PRIVILEGE values; Microsoft \"Privilege Constants\"";

    private static final WindowsPrivilege[] BY_VALUE = new WindowsPrivilege[64];

    static {
        for (WindowsPrivilege p : values()) {
            BY_VALUE[p.value] = p;
        }
    }

    private final int value;
    private final String constant;
    private final String description;

    WindowsPrivilege(int value, String constant, String description) {
        this.value = value;
        this.constant = constant;
        this.description = description;
    }

    /** @return the privilege's LUID value (its bit in the token's masks) */
    public int value() {
        return value;
    }

    /** @return its name as LookupPrivilegeName gives it, e.g. {@code SeDebugPrivilege} */
    public String constant() {
        return constant;
    }

    /** @return the user right's display name, e.g. "Debug programs" */
    public String description() {
        return description;
    }

    /** @return the mask bit of this privilege */
    public long bit() {
        return 1L << value;
    }

    /** @return the privilege whose LUID is {@code value}, if Windows defines one */
    public static Optional<WindowsPrivilege> of(int value) {
        return value >= 0 && value < BY_VALUE.length ? Optional.ofNullable(BY_VALUE[value]) : Optional.empty();
    }

    /** @return the mask with the bits of {@code privileges} set */
    public static long mask(WindowsPrivilege... privileges) {
        long m = 0;
        for (WindowsPrivilege p : privileges) {
            m |= p.bit();
        }
        return m;
    }
}
