package org.vestige.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vestige.core.plugin.AnalysisException;
import org.vestige.windows.Sid;
import org.vestige.windows.SidName;
import org.vestige.windows.WellKnownSids;

/**
 * Names SIDs the way an analyst would look them up: the machine's local accounts from the SAM, Microsoft's
 * well-known SIDs, and the user profiles the SOFTWARE hive records.
 *
 * <p>A local account's SID is the machine's domain SID (closing the V value of {@code SAM\Domains\Account},
 * S-1-5-21-A-B-C) followed by its RID; the SAM names each account by a key under
 * {@code SAM\Domains\Account\Users\Names} whose default value's type is the RID. ProfileList keys are named
 * by SID and hold the profile's ProfileImagePath, whose last component is the account's name. A SID is named
 * by the SAM first (local accounts can be renamed: RID 500 is not always "Administrator"), then by the
 * well-known table, then by ProfileList (domain users who logged on). Hives that are absent or cannot be read
 * leave notes saying so and the other sources still answer.
 *
 * @since 0.1
 */
public final class AccountNames {

    /** The SAM key holding the local accounts and the machine's domain SID. */
    public static final String ACCOUNT_KEY = "SAM\\Domains\\Account";
    /** The SOFTWARE key holding a subkey per user profile, named by SID. */
    public static final String PROFILE_LIST = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";

    /** More local accounts or profiles than this is not a real machine's registry. */
    private static final int MAX_ENTRIES = 100_000;

    private final Sid machineDomain;
    private final Map<Long, String> localAccounts;
    private final Map<String, String> profiles;
    private final List<String> notes;

    private AccountNames(Sid machineDomain, Map<Long, String> localAccounts, Map<String, String> profiles,
            List<String> notes) {
        this.machineDomain = machineDomain;
        this.localAccounts = Map.copyOf(localAccounts);
        this.profiles = Map.copyOf(profiles);
        this.notes = List.copyOf(notes);
    }

    /** @return names from the well-known table only, with the note saying why the hives were not read */
    public static AccountNames wellKnownOnly(String why) {
        return new AccountNames(null, Map.of(), Map.of(), List.of(why));
    }

    /**
     * Reads the SAM and SOFTWARE hives loaded in memory. Never fails: what cannot be read becomes a note.
     *
     * @param hives the case's loaded hives
     */
    public static AccountNames of(MemoryHives hives) {
        List<String> notes = new ArrayList<>();
        Hive sam = open(hives, "SAM", notes);
        Hive software = open(hives, "SOFTWARE", notes);
        return of(sam, software, notes);
    }

    /**
     * Reads account names from hives opened by other means (files, a test).
     *
     * @param sam      the SAM hive, or null
     * @param software the SOFTWARE hive, or null
     */
    public static AccountNames of(Hive sam, Hive software) {
        List<String> notes = new ArrayList<>();
        if (sam == null) {
            notes.add("no SAM hive: local account names are not read");
        }
        if (software == null) {
            notes.add("no SOFTWARE hive: profile names are not read");
        }
        return of(sam, software, notes);
    }

    private static AccountNames of(Hive sam, Hive software, List<String> notes) {
        Sid domain = null;
        Map<Long, String> accounts = new HashMap<>();
        if (sam != null) {
            try {
                domain = machineDomain(sam, notes);
                if (domain != null) {
                    accounts = localAccounts(sam, notes);
                }
            } catch (HiveException e) {
                notes.add("SAM: " + e.getMessage());
            }
        }
        Map<String, String> profiles = new HashMap<>();
        if (software != null) {
            try {
                profiles = profiles(software, notes);
            } catch (HiveException e) {
                notes.add("SOFTWARE: " + e.getMessage());
            }
        }
        return new AccountNames(domain, accounts, profiles, notes);
    }

    private static Hive open(MemoryHives hives, String name, List<String> notes) {
        Optional<LoadedHive> loaded = hives.listing().machineHive(name);
        if (loaded.isEmpty()) {
            notes.add("no " + name + " hive is loaded in memory");
            return null;
        }
        try {
            return Hive.open(hives.source(loaded.get()));
        } catch (HiveException e) {
            notes.add(name + " hive at 0x" + Long.toHexString(loaded.get().address()) + " cannot be read: " + e
                    .getMessage());
            return null;
        }
    }

    /** @return the machine's domain SID from the end of the Account key's V value, or null with a note */
    private static Sid machineDomain(Hive sam, List<String> notes) {
        Optional<RegistryValue> v = sam.findValue(ACCOUNT_KEY, "V");
        if (v.isEmpty()) {
            notes.add("SAM: " + ACCOUNT_KEY + " has no V value holding the machine SID; local account names are "
                    + "not read");
            return null;
        }
        byte[] data = v.get().data();
        int size = Sid.size(4);
        if (data.length >= size) {
            try {
                Sid s = Sid.parse(java.util.Arrays.copyOfRange(data, data.length - size, data.length), 0);
                if (s.authority() == 5 && s.subAuthorities().size() == 4 && s.subAuthorities().get(0) == 21) {
                    return s;
                }
            } catch (IllegalArgumentException e) {
                // not a SID: noted below
            }
        }
        notes.add("SAM: the V value of " + ACCOUNT_KEY + " (" + data.length + " bytes) does not end with a "
                + "S-1-5-21 machine SID; local account names are not read");
        return null;
    }

    private static Map<Long, String> localAccounts(Hive sam, List<String> notes) {
        Map<Long, String> out = new HashMap<>();
        Optional<RegistryKey> names = sam.findKey(ACCOUNT_KEY + "\\Users\\Names");
        if (names.isEmpty()) {
            notes.add("SAM: " + ACCOUNT_KEY + "\\Users\\Names is missing; local account names are not read");
            return out;
        }
        for (RegistryKey k : names.get().subkeys(p -> notes.add("SAM: " + p))) {
            if (out.size() >= MAX_ENTRIES) {
                notes.add("SAM: more than " + MAX_ENTRIES + " accounts; the rest are not read");
                break;
            }
            Optional<RegistryValue> rid = k.value("");
            if (rid.isPresent()) {
                out.put(rid.get().typeCode() & 0xFFFF_FFFFL, k.name());
            } else {
                notes.add("SAM: account " + k.name() + " has no default value giving its RID");
            }
        }
        return out;
    }

    private static Map<String, String> profiles(Hive software, List<String> notes) {
        Map<String, String> out = new HashMap<>();
        Optional<RegistryKey> list = software.findKey(PROFILE_LIST);
        if (list.isEmpty()) {
            notes.add("SOFTWARE: " + PROFILE_LIST + " is missing; profile names are not read");
            return out;
        }
        for (RegistryKey k : list.get().subkeys(p -> notes.add("SOFTWARE: " + p))) {
            if (out.size() >= MAX_ENTRIES) {
                notes.add("SOFTWARE: more than " + MAX_ENTRIES + " profiles; the rest are not read");
                break;
            }
            Optional<RegistryValue> path = k.value("ProfileImagePath");
            if (path.isEmpty()) {
                continue;
            }
            try {
                String p = path.get().asString();
                String leaf = p.substring(p.lastIndexOf('\\') + 1);
                if (!leaf.isEmpty()) {
                    out.put(k.name().toUpperCase(java.util.Locale.ROOT), leaf);
                }
            } catch (RuntimeException e) {
                notes.add("SOFTWARE: " + PROFILE_LIST + "\\" + k.name() + "\\ProfileImagePath: " + e.getMessage());
            }
        }
        return out;
    }

    /** @return the name of {@code sid} and where it came from, if any source names it */
    public Optional<SidName> name(Sid sid) {
        if (machineDomain != null && sid.subAuthorities().size() == 5 && sid.domain().equals(machineDomain)) {
            String local = localAccounts.get(sid.rid());
            if (local != null) {
                return Optional.of(new SidName(local, SidName.SAM));
            }
        }
        Optional<String> known = WellKnownSids.name(sid);
        if (known.isPresent()) {
            return Optional.of(new SidName(known.get(), SidName.WELL_KNOWN));
        }
        String profile = profiles.get(sid.toString().toUpperCase(java.util.Locale.ROOT));
        return profile == null ? Optional.empty() : Optional.of(new SidName(profile, SidName.PROFILE_LIST));
    }

    /** @return the machine's domain SID (S-1-5-21-A-B-C) when the SAM gave it */
    public Optional<Sid> machineDomain() {
        return Optional.ofNullable(machineDomain);
    }

    /** @return what could not be read, and why */
    public List<String> notes() {
        return notes;
    }

    /**
     * @return the case's names, read once per session: from its hives when they can be listed, else from the
     *         well-known table alone with a note saying why
     */
    public static AccountNames of(org.vestige.core.plugin.SessionContext session, String who) {
        return session.service(AccountNames.class, s -> {
            try {
                return of(MemoryHives.of(s, who));
            } catch (AnalysisException | RuntimeException e) {
                return wellKnownOnly("the hives in memory cannot be listed, so names come from the well-known "
                        + "table only: " + e.getMessage());
            }
        });
    }
}
