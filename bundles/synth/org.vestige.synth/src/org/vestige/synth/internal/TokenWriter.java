package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.types.TypeRef;
import org.vestige.registry.KeySpec;
import org.vestige.registry.ValueType;
import org.vestige.synth.TokenTruth;

/**
 * Gives every process a primary token as Windows lays one out: the {@code _TOKEN} body in an object
 * allocation tagged {@code Toke}, its variable part right behind the body (starting at
 * {@code _TOKEN.VariablePart}) holding the {@code _SID_AND_ATTRIBUTES} array UserAndGroups points at and then
 * the SIDs its entries point at (Windows Internals, 7th ed., part 1, ch. 7); {@code _EPROCESS.Token} an
 * {@code _EX_FAST_REF} to it with a reference count in its low bits.
 *
 * <p>Accounts follow a default installation: the kernel's processes and most services run as Local System
 * (S-1-5-18), some service hosts as Local Service or Network Service, the desktop's processes as the local user
 * {@value #USER} (RID {@value #USER_RID}, in the SAM) with a UAC-filtered medium-integrity token, and the
 * Desktop Window Manager as its virtual account (S-1-5-90-0-1, a SID no table names). The privilege sets are
 * those {@code whoami /priv} shows for each account on Windows 10. Group attributes are the SE_GROUP_* flags of
 * winnt.h.
 */
final class TokenWriter {

    /** The local user the desktop runs as: the standard SAM's first created account. */
    static final String USER = "localuser01";
    static final long USER_RID = 1001;

    /** A domain user who once logged on: in ProfileList only, not in the local SAM. */
    static final String ROAMING_USER = "jdoe";

    // SE_GROUP_* (winnt.h)
    private static final long MANDATORY = 0x1;
    private static final long DEFAULT = 0x2;
    private static final long ENABLED = 0x4;
    private static final long OWNER = 0x8;
    private static final long DENY_ONLY = 0x10;
    private static final long INTEGRITY = 0x20;
    private static final long INTEGRITY_ENABLED = 0x40;
    private static final long LOGON_ID = 0xC0000000L;
    private static final long GROUP = MANDATORY | DEFAULT | ENABLED;

    // logon-session LUIDs of the built-in accounts (winnt.h SYSTEM_LUID, LOCALSERVICE_LUID, NETWORKSERVICE_LUID)
    private static final long SYSTEM_LUID = 0x3e7;
    private static final long LOCAL_SERVICE_LUID = 0x3e5;
    private static final long NETWORK_SERVICE_LUID = 0x3e4;

    /** Object pool tag of tokens ('Toke'); before Windows 8 object tags carry the protected bit. */
    private static final long TAG = 0x656B6F54L;

    /** The accounts processes run as. */
    enum Account {
        SYSTEM, LOCAL_SERVICE, NETWORK_SERVICE, USER, DWM
    }

    private final Machine machine;
    private final String unavailable;
    private final long[] machineDomain;
    private final long[] roamingDomain;
    private final long userLogon;
    private final List<TokenTruth.ProcessToken> written = new ArrayList<>();
    private final boolean hives;

    TokenWriter(Machine machine) {
        this.machine = machine;
        this.unavailable = unavailable(machine);
        this.machineDomain = new long[] {0x10000000L + machine.random.nextInt(0x6FFFFFFF),
            0x10000000L + machine.random.nextInt(0x6FFFFFFF), 0x10000000L + machine.random.nextInt(0x6FFFFFFF)};
        this.roamingDomain = new long[] {0x10000000L + machine.random.nextInt(0x6FFFFFFF),
            0x10000000L + machine.random.nextInt(0x6FFFFFFF), 0x10000000L + machine.random.nextInt(0x6FFFFFFF)};
        this.userLogon = 0x20000 + machine.random.nextInt(0x60000);
        this.hives = machine.options.hives() != null;
    }

    private static String unavailable(Machine m) {
        List<String> lacking = new ArrayList<>();
        for (String t : List.of("_TOKEN", "_SID_AND_ATTRIBUTES", "_SEP_TOKEN_PRIVILEGES")) {
            if (m.profile.struct(t).isEmpty()) {
                lacking.add(t);
            }
        }
        if (!m.profile.has("_EPROCESS", "Token")) {
            lacking.add("_EPROCESS.Token");
        }
        return lacking.isEmpty() ? null : "the profile " + m.profile.source() + " has no " + String.join(", ",
                lacking);
    }

    private String domain(long[] d) {
        return "S-1-5-21-" + d[0] + "-" + d[1] + "-" + d[2];
    }

    String machineSid() {
        return domain(machineDomain);
    }

    String userSid() {
        return machineSid() + "-" + USER_RID;
    }

    /** The profiles Windows keeps under ProfileList: the built-in accounts', the local user's, a domain user's. */
    Map<String, String> profileList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("S-1-5-18", "%systemroot%\\system32\\config\\systemprofile");
        m.put("S-1-5-19", "%systemroot%\\ServiceProfiles\\LocalService");
        m.put("S-1-5-20", "%systemroot%\\ServiceProfiles\\NetworkService");
        m.put(userSid(), "C:\\Users\\" + USER);
        m.put(domain(roamingDomain) + "-1104", "C:\\Users\\" + ROAMING_USER);
        return m;
    }

    /**
     * Adds the machine's domain SID to the SAM: the Account key's V value ends with it (the 24-byte binary
     * S-1-5-21-A-B-C), where forensic registry tools read the machine SID from.
     */
    void addToSam(KeySpec sam) {
        byte[] sid = sidBytes(machineSid());
        byte[] v = new byte[0x40 + sid.length];
        System.arraycopy(sid, 0, v, 0x40, sid.length);
        sam.path("SAM\\Domains\\Account").binary("V", v);
    }

    /** A SOFTWARE hive holding ProfileList, each profile's key with its SID and path. */
    KeySpec software() {
        KeySpec root = KeySpec.named("SOFTWARE");
        KeySpec list = root.path("Microsoft\\Windows NT\\CurrentVersion\\ProfileList");
        list.expandString("ProfilesDirectory", "%SystemDrive%\\Users");
        profileList().forEach((sid, path) -> list.subkey(sid).expandString("ProfileImagePath", path).value("Sid",
                ValueType.REG_BINARY, sidBytes(sid)).dword("Flags", 0).dword("State", 0));
        return root;
    }

    /**
     * Gives every process its session ({@link PlacedProcess#session}), then writes its token and points its
     * _EPROCESS at it (see {@link PlacedProcess#tokenRef}).
     */
    void write(List<PlacedProcess> all) {
        int csrss = 0;
        for (PlacedProcess p : all) {
            boolean sessionOne = p.name.equals("winlogon.exe") || p.name.equals("dwm.exe") || p.name.equals(
                    "explorer.exe") || p.name.equals("notepad.exe") || p.name.equals("cmd.exe") || (p.name.equals(
                            "csrss.exe") && csrss++ > 0);
            p.session = sessionOne ? 1 : 0;
        }
        if (unavailable != null) {
            return;
        }
        for (PlacedProcess p : all) {
            write(p, account(p), p.session);
        }
    }

    private Account account(PlacedProcess p) {
        return switch (p.name) {
            case "explorer.exe", "notepad.exe", "cmd.exe" -> Account.USER;
            case "dwm.exe" -> Account.DWM;
            case "svchost.exe" -> {
                String cmd = p.commandLine == null ? "" : p.commandLine;
                if (cmd.contains("-k LocalService")) {
                    yield Account.LOCAL_SERVICE;
                }
                yield cmd.contains("-k NetworkService") || cmd.contains("-k RPCSS") ? Account.NETWORK_SERVICE
                        : Account.SYSTEM;
            }
            default -> Account.SYSTEM;
        };
    }

    private record G(String sid, long attributes, String name) {
    }

    private void write(PlacedProcess p, Account account, int session) {
        String logonSid = "S-1-5-5-0-" + (account == Account.USER ? userLogon : 0x10000 + machine.random.nextInt(
                0x10000));
        List<G> groups = new ArrayList<>();
        long present;
        long enabled;
        long byDefault;
        long authenticationId;
        switch (account) {
            case SYSTEM -> {
                groups.add(new G("S-1-5-18", 0, "Local System"));
                groups.add(new G("S-1-5-32-544", DEFAULT | ENABLED | OWNER, "Administrators"));
                groups.add(new G("S-1-1-0", GROUP, "Everyone"));
                groups.add(new G("S-1-5-11", GROUP, "Authenticated Users"));
                groups.add(new G("S-1-16-16384", INTEGRITY | INTEGRITY_ENABLED, "System Mandatory Level"));
                // whoami /priv as SYSTEM: all but SeMachineAccount, SeRemoteShutdown, SeSyncAgent, SeEnableDelegation
                present = bits(2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 25, 28, 29,
                        30, 31, 32, 33, 34, 35, 36);
                enabled = bits(2, 4, 7, 11, 13, 14, 15, 16, 20, 21, 23, 29, 30, 33, 34, 35, 36);
                byDefault = enabled;
                authenticationId = SYSTEM_LUID;
            }
            case LOCAL_SERVICE, NETWORK_SERVICE -> {
                boolean local = account == Account.LOCAL_SERVICE;
                groups.add(local ? new G("S-1-5-19", 0, "Local Service") : new G("S-1-5-20", 0, "Network Service"));
                groups.add(new G("S-1-16-16384", INTEGRITY | INTEGRITY_ENABLED, "System Mandatory Level"));
                groups.add(new G("S-1-1-0", GROUP, "Everyone"));
                groups.add(new G("S-1-5-32-545", GROUP, "Users"));
                groups.add(new G("S-1-5-6", GROUP, "Service"));
                groups.add(new G("S-1-2-1", GROUP, "Console Logon"));
                groups.add(new G("S-1-5-11", GROUP, "Authenticated Users"));
                groups.add(new G("S-1-5-15", GROUP, "This Organization"));
                groups.add(new G(logonSid, GROUP | LOGON_ID, "Logon Session"));
                groups.add(new G("S-1-2-0", GROUP, "Local"));
                present = local ? bits(3, 5, 12, 19, 21, 23, 29, 30, 33, 34) : bits(3, 5, 21, 23, 29, 30, 33);
                enabled = bits(21, 23, 29, 30);
                byDefault = enabled;
                authenticationId = local ? LOCAL_SERVICE_LUID : NETWORK_SERVICE_LUID;
            }
            case DWM -> {
                groups.add(new G("S-1-5-90-0-1", 0, null));
                groups.add(new G("S-1-1-0", GROUP, "Everyone"));
                groups.add(new G("S-1-5-32-545", GROUP, "Users"));
                groups.add(new G("S-1-5-4", GROUP, "Interactive"));
                groups.add(new G("S-1-2-1", GROUP, "Console Logon"));
                groups.add(new G("S-1-5-11", GROUP, "Authenticated Users"));
                groups.add(new G("S-1-5-15", GROUP, "This Organization"));
                groups.add(new G(logonSid, GROUP | LOGON_ID, "Logon Session"));
                groups.add(new G("S-1-2-0", GROUP, "Local"));
                groups.add(new G("S-1-16-16384", INTEGRITY | INTEGRITY_ENABLED, "System Mandatory Level"));
                present = bits(23, 33, 34);
                enabled = bits(23);
                byDefault = enabled;
                authenticationId = 0x10000 + machine.random.nextInt(0x10000);
            }
            default -> {
                String sam = hives ? USER : null;
                groups.add(new G(userSid(), 0, sam));
                groups.add(new G(machineSid() + "-513", GROUP, "Domain Users"));
                groups.add(new G("S-1-1-0", GROUP, "Everyone"));
                groups.add(new G("S-1-5-114", DENY_ONLY, "Local Account and member of Administrators group"));
                groups.add(new G("S-1-5-32-544", DENY_ONLY, "Administrators"));
                groups.add(new G("S-1-5-32-545", GROUP, "Users"));
                groups.add(new G("S-1-5-4", GROUP, "Interactive"));
                groups.add(new G("S-1-2-1", GROUP, "Console Logon"));
                groups.add(new G("S-1-5-11", GROUP, "Authenticated Users"));
                groups.add(new G("S-1-5-15", GROUP, "This Organization"));
                groups.add(new G("S-1-5-113", GROUP, "Local Account"));
                groups.add(new G(logonSid, GROUP | LOGON_ID, "Logon Session"));
                groups.add(new G("S-1-2-0", GROUP, "Local"));
                groups.add(new G("S-1-5-64-10", GROUP, "NTLM Authentication"));
                groups.add(new G("S-1-16-8192", INTEGRITY | INTEGRITY_ENABLED, "Medium Mandatory Level"));
                // a UAC-filtered administrator: SeShutdown, SeChangeNotify, SeUndock, SeIncreaseWorkingSet, SeTimeZone
                present = bits(19, 23, 25, 33, 34);
                enabled = bits(23);
                byDefault = enabled;
                authenticationId = userLogon;
            }
        }
        // a write-restricted service host: its token is restricted to its services' SIDs (Windows Internals,
        // 7th ed., part 1, ch. 7, "Restricted tokens"; S-1-5-33 is WRITE_RESTRICTED_CODE in winnt.h)
        List<G> restricted = new ArrayList<>();
        if (p.commandLine != null && p.commandLine.contains("-k LocalServiceNetworkRestricted")) {
            restricted.add(new G("S-1-5-33", GROUP, "Write Restricted Code"));
            for (int i = 0; i < 2; i++) {
                StringBuilder service = new StringBuilder("S-1-5-80");
                for (int k = 0; k < 5; k++) {
                    service.append('-').append(machine.random.nextInt() & 0xFFFF_FFFFL);
                }
                restricted.add(new G(service.toString(), GROUP, "Service"));
            }
            restricted.add(new G("S-1-1-0", GROUP, "Everyone"));
        }
        int integrityIndex = -1;
        for (int i = 0; i < groups.size(); i++) {
            if ((groups.get(i).attributes() & INTEGRITY) != 0) {
                integrityIndex = i;
            }
        }

        int entrySize = (int) machine.profile.requireStruct("_SID_AND_ATTRIBUTES").size();
        int sidAt = (int) machine.profile.offset("_SID_AND_ATTRIBUTES", "Sid");
        int attributesAt = (int) machine.profile.offset("_SID_AND_ATTRIBUTES", "Attributes");
        int bodySize = (int) machine.profile.requireStruct("_TOKEN").size();
        int variableAt = machine.profile.has("_TOKEN", "VariablePart") ? (int) machine.profile.offset("_TOKEN",
                "VariablePart") : bodySize;
        List<G> all = new ArrayList<>(groups);
        all.addAll(restricted);
        // the variable part: UserAndGroups, then RestrictedSids, then every SID they point at
        byte[][] sids = new byte[all.size()][];
        int variableLength = all.size() * entrySize;
        for (int i = 0; i < all.size(); i++) {
            sids[i] = sidBytes(all.get(i).sid());
            variableLength += sids[i].length;
        }
        // tokens live in paged pool: notepad's is alone on a page that was paged out to pagefile.sys
        boolean pageOut = p.name.equals("notepad.exe");
        if (pageOut) {
            machine.poolCursor = (machine.poolCursor + 0xfff) & ~0xfffL;
        }
        long token = machine.objectAlloc(variableAt + variableLength, machine.build < 9200 ? TAG | 0x80000000L
                : TAG, "Token");
        long array = token + variableAt;
        byte[] variable = new byte[variableLength];
        long[] sidAddress = new long[all.size()];
        int cursor = all.size() * entrySize;
        for (int i = 0; i < all.size(); i++) {
            sidAddress[i] = array + cursor;
            System.arraycopy(sids[i], 0, variable, cursor, sids[i].length);
            Le.put(variable, i * entrySize + sidAt, sidAddress[i], 8);
            Le.put(variable, i * entrySize + attributesAt, all.get(i).attributes(), 4);
            cursor += sids[i].length;
        }
        long tokenId = 0x1000 + machine.random.nextInt(0x100000);
        StructBuffer t = new StructBuffer(machine.profile, "_TOKEN");
        // LUIDs and enums by offset: a partial profile may name _LUID or _TOKEN_TYPE without describing them
        Le.put(t.bytes(), (int) t.offset("TokenId"), tokenId, 8);
        Le.put(t.bytes(), (int) t.offset("AuthenticationId"), authenticationId, 8);
        if (t.has("ModifiedId")) {
            Le.put(t.bytes(), (int) t.offset("ModifiedId"), tokenId + 1, 8);
        }
        t.put("Privileges.Present", present).put("Privileges.Enabled", enabled).put("Privileges.EnabledByDefault",
                byDefault);
        t.put("SessionId", session).put("UserAndGroupCount", groups.size()).put("RestrictedSidCount", restricted
                .size());
        t.putIfPresent("VariableLength", variableLength);
        t.put("UserAndGroups", array).put("RestrictedSids", restricted.isEmpty() ? 0 : array + (long) groups.size()
                * entrySize);
        // the primary group: the user's domain group for a user, else the account itself
        t.putIfPresent("PrimaryGroup", account == Account.USER ? sidAddress[1] : sidAddress[0]);
        t.putIfPresent("DefaultOwnerIndex", 0);
        if (t.has("TokenType")) {
            Le.put(t.bytes(), (int) t.offset("TokenType"), 1, 4); // TokenPrimary
        }
        if (!t.has("IntegrityLevelIndex")) {
            integrityIndex = -1; // before Windows Vista tokens had no integrity label to index
        } else if (integrityIndex >= 0) {
            t.put("IntegrityLevelIndex", integrityIndex);
        }
        machine.kernel.write(token, t.bytes());
        machine.kernel.write(array, variable);
        long pagefileOffset = -1;
        long page = token & ~0xfffL;
        if (pageOut && ((array + variableLength - 1) & ~0xfffL) == page) {
            long n = Machine.freePagingFilePage(machine.pagefile, 0xB00, machine.random);
            machine.pagefile.put(n << 12, machine.memory.readPage(machine.kernel.translate(page)));
            machine.kernel.setPte(page, machine.pte.software(0, n, 4, true));
            machine.poolCursor = page + 0x1000; // nothing else is allocated on the paged-out page
            pagefileOffset = n << 12;
        }

        int refBits = 4;
        if (machine.profile.has("_EX_FAST_REF", "RefCnt") && machine.profile.resolve("_EX_FAST_REF", "RefCnt")
                .type() instanceof TypeRef.Bitfield b) {
            refBits = b.length();
        }
        int refCount = machine.random.nextInt(1 << refBits);
        p.tokenRef = token | refCount;

        List<TokenTruth.Group> truth = new ArrayList<>();
        for (G g : groups) {
            String source = g.name() == null ? null : g.sid().equals(userSid()) ? "SAM" : "well-known";
            truth.add(new TokenTruth.Group(g.sid(), g.attributes(), g.name(), source));
        }
        List<TokenTruth.Group> restrictedTruth = new ArrayList<>();
        for (G g : restricted) {
            restrictedTruth.add(new TokenTruth.Group(g.sid(), g.attributes(), g.name(), "well-known"));
        }
        written.add(new TokenTruth.ProcessToken(p.pid, p.name, p.eprocess, token, refCount, tokenId,
                authenticationId, session, truth, integrityIndex, present, enabled, byDefault, array, pagefileOffset,
                restrictedTruth));
    }

    TokenTruth truth() {
        return new TokenTruth(unavailable, machineSid(), hives ? profileList() : Map.of(), written);
    }

    private static long bits(int... values) {
        long m = 0;
        for (int v : values) {
            m |= 1L << v;
        }
        return m;
    }

    /** The binary _SID of a SID string: Revision, SubAuthorityCount, the authority big-endian, the sub-authorities. */
    static byte[] sidBytes(String sid) {
        String[] parts = sid.split("-");
        int count = parts.length - 3;
        byte[] b = new byte[8 + 4 * count];
        b[0] = (byte) Integer.parseInt(parts[1]);
        b[1] = (byte) count;
        long authority = Long.parseLong(parts[2]);
        for (int i = 0; i < 6; i++) {
            b[2 + i] = (byte) (authority >>> (8 * (5 - i)));
        }
        for (int i = 0; i < count; i++) {
            Le.put(b, 8 + 4 * i, Long.parseLong(parts[3 + i]), 4);
        }
        return b;
    }
}
