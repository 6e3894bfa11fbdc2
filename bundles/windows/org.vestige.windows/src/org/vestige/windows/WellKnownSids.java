package org.vestige.windows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The names Windows gives its well-known SIDs. Source: Microsoft, "Well-known SIDs" (Win32 security
 * authorization reference, the {@code SECURITY_*_RID} constants of winnt.h) and "Well-known security
 * identifiers in Windows operating systems" (Windows Server troubleshooting documentation). Universal and
 * NT AUTHORITY SIDs are named as a whole; logon-session SIDs (S-1-5-5-X-Y), integrity labels (S-1-16-*),
 * service SIDs (S-1-5-80-…) and the domain-relative accounts and groups (S-1-5-21-&lt;domain&gt;-&lt;RID&gt;)
 * by their shape.
 *
 * @since 0.1
 */
public final class WellKnownSids {

    /** Where names from this table say they come from. */
    public static final String SOURCE = "Microsoft well-known SIDs table";

    private static final Map<String, String> EXACT = new LinkedHashMap<>();
    private static final Map<Long, String> DOMAIN_RIDS = new LinkedHashMap<>();

    static {
        // universal and NT AUTHORITY SIDs ("Well-known SIDs", winnt.h SECURITY_*_RID)
        EXACT.put("S-1-0-0", "Nobody");
        EXACT.put("S-1-1-0", "Everyone");
        EXACT.put("S-1-2-0", "Local");
        EXACT.put("S-1-2-1", "Console Logon");
        EXACT.put("S-1-3-0", "Creator Owner");
        EXACT.put("S-1-3-1", "Creator Group");
        EXACT.put("S-1-3-4", "Owner Rights");
        EXACT.put("S-1-5-1", "Dialup");
        EXACT.put("S-1-5-2", "Network");
        EXACT.put("S-1-5-3", "Batch");
        EXACT.put("S-1-5-4", "Interactive");
        EXACT.put("S-1-5-6", "Service");
        EXACT.put("S-1-5-7", "Anonymous Logon");
        EXACT.put("S-1-5-8", "Proxy");
        EXACT.put("S-1-5-9", "Enterprise Domain Controllers");
        EXACT.put("S-1-5-10", "Principal Self");
        EXACT.put("S-1-5-11", "Authenticated Users");
        EXACT.put("S-1-5-12", "Restricted Code");
        EXACT.put("S-1-5-13", "Terminal Server User");
        EXACT.put("S-1-5-14", "Remote Interactive Logon");
        EXACT.put("S-1-5-15", "This Organization");
        EXACT.put("S-1-5-17", "IUSR");
        EXACT.put("S-1-5-18", "Local System");
        EXACT.put("S-1-5-19", "Local Service");
        EXACT.put("S-1-5-20", "Network Service");
        EXACT.put("S-1-5-33", "Write Restricted Code");
        EXACT.put("S-1-5-32-544", "Administrators");
        EXACT.put("S-1-5-32-545", "Users");
        EXACT.put("S-1-5-32-546", "Guests");
        EXACT.put("S-1-5-32-547", "Power Users");
        EXACT.put("S-1-5-32-548", "Account Operators");
        EXACT.put("S-1-5-32-549", "Server Operators");
        EXACT.put("S-1-5-32-550", "Print Operators");
        EXACT.put("S-1-5-32-551", "Backup Operators");
        EXACT.put("S-1-5-32-552", "Replicators");
        EXACT.put("S-1-5-32-554", "Pre-Windows 2000 Compatible Access");
        EXACT.put("S-1-5-32-555", "Remote Desktop Users");
        EXACT.put("S-1-5-32-556", "Network Configuration Operators");
        EXACT.put("S-1-5-32-558", "Performance Monitor Users");
        EXACT.put("S-1-5-32-559", "Performance Log Users");
        EXACT.put("S-1-5-32-562", "Distributed COM Users");
        EXACT.put("S-1-5-32-568", "IIS_IUSRS");
        EXACT.put("S-1-5-32-569", "Cryptographic Operators");
        EXACT.put("S-1-5-32-573", "Event Log Readers");
        EXACT.put("S-1-5-32-578", "Hyper-V Administrators");
        EXACT.put("S-1-5-32-579", "Access Control Assistance Operators");
        EXACT.put("S-1-5-32-580", "Remote Management Users");
        EXACT.put("S-1-5-64-10", "NTLM Authentication");
        EXACT.put("S-1-5-64-14", "SChannel Authentication");
        EXACT.put("S-1-5-64-21", "Digest Authentication");
        EXACT.put("S-1-5-80-0", "All Services");
        EXACT.put("S-1-5-113", "Local Account");
        EXACT.put("S-1-5-114", "Local Account and member of Administrators group");
        EXACT.put("S-1-15-2-1", "All Application Packages");
        EXACT.put("S-1-18-1", "Authentication Authority Asserted Identity");
        EXACT.put("S-1-18-2", "Service Asserted Identity");
        // mandatory labels (SECURITY_MANDATORY_*_RID)
        EXACT.put("S-1-16-0", "Untrusted Mandatory Level");
        EXACT.put("S-1-16-4096", "Low Mandatory Level");
        EXACT.put("S-1-16-8192", "Medium Mandatory Level");
        EXACT.put("S-1-16-8448", "Medium Plus Mandatory Level");
        EXACT.put("S-1-16-12288", "High Mandatory Level");
        EXACT.put("S-1-16-16384", "System Mandatory Level");
        EXACT.put("S-1-16-20480", "Protected Process Mandatory Level");
        EXACT.put("S-1-16-28672", "Secure Process Mandatory Level");
        // domain-relative RIDs (DOMAIN_USER_RID_*, DOMAIN_GROUP_RID_*, DOMAIN_ALIAS_RID_*)
        DOMAIN_RIDS.put(500L, "Administrator");
        DOMAIN_RIDS.put(501L, "Guest");
        DOMAIN_RIDS.put(502L, "KRBTGT");
        DOMAIN_RIDS.put(503L, "DefaultAccount");
        DOMAIN_RIDS.put(504L, "WDAGUtilityAccount");
        DOMAIN_RIDS.put(512L, "Domain Admins");
        DOMAIN_RIDS.put(513L, "Domain Users");
        DOMAIN_RIDS.put(514L, "Domain Guests");
        DOMAIN_RIDS.put(515L, "Domain Computers");
        DOMAIN_RIDS.put(516L, "Domain Controllers");
        DOMAIN_RIDS.put(517L, "Cert Publishers");
        DOMAIN_RIDS.put(518L, "Schema Admins");
        DOMAIN_RIDS.put(519L, "Enterprise Admins");
        DOMAIN_RIDS.put(520L, "Group Policy Creator Owners");
        DOMAIN_RIDS.put(521L, "Read-only Domain Controllers");
        DOMAIN_RIDS.put(553L, "RAS and IAS Servers");
        DOMAIN_RIDS.put(571L, "Allowed RODC Password Replication Group");
        DOMAIN_RIDS.put(572L, "Denied RODC Password Replication Group");
    }

    private WellKnownSids() {
    }

    /** @return the well-known name of {@code sid}, if it has one */
    public static Optional<String> name(Sid sid) {
        String text = sid.toString();
        String exact = EXACT.get(text);
        if (exact != null) {
            return Optional.of(exact);
        }
        java.util.List<Long> s = sid.subAuthorities();
        if (sid.authority() == 5 && s.size() == 3 && s.get(0) == 5) {
            return Optional.of("Logon Session"); // S-1-5-5-X-Y: SECURITY_LOGON_IDS_RID
        }
        if (sid.authority() == 5 && s.size() == 5 && s.get(0) == 21 && DOMAIN_RIDS.containsKey(s.get(4))) {
            return Optional.of(DOMAIN_RIDS.get(s.get(4))); // S-1-5-21-<domain>-<RID>: SECURITY_NT_NON_UNIQUE
        }
        if (sid.authority() == 5 && s.size() == 6 && s.get(0) == 80) {
            return Optional.of("Service"); // S-1-5-80-<SHA-1 of the service name>: SECURITY_SERVICE_ID_BASE_RID
        }
        if (sid.authority() == 16 && s.size() == 1) {
            return Optional.of("Mandatory Level " + s.get(0)); // an integrity level between the named ones
        }
        return Optional.empty();
    }

    /** @return whether {@code sid} is a logon-session SID, S-1-5-5-X-Y */
    public static boolean isLogonSession(Sid sid) {
        return sid.authority() == 5 && sid.subAuthorities().size() == 3 && sid.subAuthorities().get(0) == 5;
    }

    /** @return whether {@code sid} is an account or group of a Windows domain or machine, S-1-5-21-A-B-C-RID */
    public static boolean isDomainAccount(Sid sid) {
        return sid.authority() == 5 && sid.subAuthorities().size() == 5 && sid.subAuthorities().get(0) == 21;
    }
}
