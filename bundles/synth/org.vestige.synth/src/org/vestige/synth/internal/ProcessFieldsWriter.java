package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.ProcessFieldTruth;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;

/**
 * Sets the {@code _EPROCESS} fields a running system has and tools read, beyond those {@link ProcessWriter}
 * writes: ExitStatus, an ObjectTable for every process the handle tables left without one,
 * SeAuditProcessCreationInfo.ImageFileName, Protection, Session with its sessions' process lists,
 * ImageFilePointer, SectionObject and the Flags bits; and the CID table ({@code PspCidTable}). Called after
 * the handle tables and the threads are written.
 *
 * <p>Facts: ExitStatus holds STATUS_PENDING (0x103, ntstatus.h) from the process's creation until it exits,
 * then its exit code. The
 * ObjectTable is a {@code _HANDLE_TABLE} in a pool block tagged {@code Obtb} (Windows Driver Kit
 * pooltag.txt: "Obtb - nt!ob - object tables via EX handle.c"), run down to 0 when the process exits.
 * SeAuditProcessCreationInfo.ImageFileName points at an {@code _OBJECT_NAME_INFORMATION}, a UNICODE_STRING
 * followed by its characters, naming the image by its device path {@code \Device\HarddiskVolumeN\...}
 * (Windows Internals 7th ed., part 1, ch. 3, "Process internals"). Protection is a {@code _PS_PROTECTION}
 * byte, Type in bits 0–2 (1 light, 2 full) and Signer in bits 4–7 (6 WinTcb, 7 WinSystem): System runs
 * protected as WinSystem (0x72), smss.exe, csrss.exe, wininit.exe and services.exe as WinTcb light (0x61)
 * (Windows Internals 7th ed., part 1, ch. 3, "Protected processes").
 *
 * <p>Session points at the {@code _MM_SESSION_SPACE} of the session the process runs in, whose SessionId
 * Volatility 3's {@code windows.sessions} and MemProcFS read through it, and whose ProcessList links its
 * processes through {@code _EPROCESS.SessionProcessLinks}. Processes that run before any session exists
 * have none: System, Secure System, Registry, MemCompression and the master smss.exe, which creates each
 * session's own smss (Windows Internals 7th ed., part 1, ch. 2, "Session Manager"). A process hidden by
 * unlinking it from the active list stays on its session's list (Volatility's psxview has a "session" column
 * for this cross view). The
 * exited process keeps its Session but is off the list, its own links pointing at itself. ImageFilePointer is
 * the file object of the executable (Windows 10 1709 and later) and SectionObject the image section the
 * process was created from, whose ControlArea is the one its image view maps; a hollowed process keeps both
 * pointing at its original image though its view is gone or maps another file (what hollowing detectors
 * compare).
 *
 * <p>Flags bits, named as the Windows Research Kernel's ps.h names their masks (PS_PROCESS_FLAGS_*): every
 * process has ProcessInserted (it was inserted into the CID and object tables) and HasAddressSpace, and
 * ProcessInSession when it has a session; the exited one also ProcessExiting (set as its last thread
 * exits), ProcessDelete and VmDeleted (its address space torn down). Flags3.Minimal marks Registry,
 * MemCompression and Secure System, the minimal processes (Windows Internals 7th ed., part 1, ch. 3). Each bit
 * is taken from the profile by name and set only where the profile has it.
 *
 * <p>The CID table is a handle table ({@code _HANDLE_TABLE}, entries encoded as in a process's table) whose
 * entry at index id / 4 holds each running process and thread; unlike a process's table its entries point at
 * the object's body, not its header (System Informer's kernel driver, KSystemInformer cid.c, walks it so). An
 * exited process and its threads have left it.
 */
final class ProcessFieldsWriter {

    /** the volume the synthesized system's C: drive is on (the handle tables' file names use it too) */
    static final String VOLUME = "\\Device\\HarddiskVolume3";
    private static final long TAG_OBJECT_TABLE = 0x6274624fL; // 'Obtb'
    private static final int PROTECTED_WIN_SYSTEM = 0x72;
    private static final int LIGHT_WIN_TCB = 0x61;
    private static final Set<String> WIN_TCB_LIGHT = Set.of("smss.exe", "csrss.exe", "wininit.exe", "services.exe");
    private static final Set<String> MINIMAL = Set.of("Registry", "MemCompression", "Secure System");
    private static final List<String> FIELDS = List.of("ExitStatus", "ObjectTable",
            "SeAuditProcessCreationInfo.ImageFileName", "Protection");
    private static final int PAGE_ENTRIES = 256;
    private static final int POINTERS = 512;

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    /** session id to its _MM_SESSION_SPACE, once laid out */
    private final Map<Integer, Long> sessionSpaces = new TreeMap<>();

    ProcessFieldsWriter(Machine machine) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
    }

    /**
     * @param running the processes that have not exited (listed and hidden)
     * @param exited  the processes that have exited, each with exit code 0
     * @param threads the threads of the running processes
     */
    ProcessFieldTruth write(List<PlacedProcess> running, List<PlacedProcess> exited,
            List<ThreadTruth.Thread> threads) {
        List<String> absent = new ArrayList<>();
        for (String f : FIELDS) {
            if (!profile.has("_EPROCESS", f)) {
                absent.add(f);
            }
        }
        if (profile.struct("_HANDLE_TABLE").isEmpty() && !absent.contains("ObjectTable")) {
            absent.add("ObjectTable");
        }
        if (!sessionsKnown(profile)) {
            absent.add("Session");
        }
        if (!profile.has("_EPROCESS", "ImageFilePointer") || !machine.fileTypesKnown()) {
            absent.add("ImageFilePointer");
        }
        if (!profile.has("_EPROCESS", "SectionObject") || !profile.has("_SECTION", "u1.ControlArea")
                || machine.objectTypes.missing != null || !machine.fileTypesKnown()) {
            absent.add("SectionObject");
        }
        for (String flags : List.of("Flags", "Flags2", "Flags3")) {
            if (!profile.has("_EPROCESS", flags)) {
                absent.add(flags);
            }
        }
        if (!cidTableKnown(profile)) {
            absent.add("PspCidTable");
        }
        List<ProcessFieldTruth.Session> sessions = absent.contains("Session") ? List.of() : sessions(running,
                exited);
        List<ProcessFieldTruth.Fields> out = new ArrayList<>();
        for (PlacedProcess p : running) {
            out.add(write(p, ProcessFieldTruth.STATUS_PENDING, absent));
        }
        for (PlacedProcess p : exited) {
            out.add(write(p, 0, absent));
        }
        ProcessFieldTruth.CidTable cid = absent.contains("PspCidTable") ? null : cidTable(running, threads);
        return new ProcessFieldTruth(out, absent, sessions, cid);
    }

    /** @return whether the profile describes sessions: Session, SessionProcessLinks and the session space's list */
    static boolean sessionsKnown(Profile profile) {
        return profile.has("_EPROCESS", "Session") && profile.has("_EPROCESS", "SessionProcessLinks") && profile
                .has("_MM_SESSION_SPACE", "SessionId") && profile.has("_MM_SESSION_SPACE", "ProcessList");
    }

    /** @return whether the kernel's PspCidTable and the handle table's entries are known */
    static boolean cidTableKnown(Profile profile) {
        return profile.symbol("PspCidTable").isPresent() && profile.has("_HANDLE_TABLE", "TableCode") && (profile
                .has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits") || profile.has("_HANDLE_TABLE_ENTRY", "Object"));
    }

    /** @return whether the process runs in a session: every process with a user space but the master smss */
    private static boolean inSession(PlacedProcess p) {
        return p.user && !p.name.equals("smss.exe") && p.session >= 0;
    }

    /**
     * Lays out one _MM_SESSION_SPACE per session a process runs in and links its running processes (in
     * creation order) on its ProcessList; the exited process's links point at itself.
     */
    private List<ProcessFieldTruth.Session> sessions(List<PlacedProcess> running, List<PlacedProcess> exited) {
        long links = profile.offset("_EPROCESS", "SessionProcessLinks");
        Map<Integer, List<PlacedProcess>> members = new TreeMap<>();
        List<PlacedProcess> all = new ArrayList<>(running);
        all.addAll(exited);
        for (PlacedProcess p : all) {
            if (inSession(p)) {
                members.computeIfAbsent(p.session, s -> new ArrayList<>());
                if (!exited.contains(p)) {
                    members.get(p.session).add(p);
                }
            }
        }
        List<ProcessFieldTruth.Session> out = new ArrayList<>();
        long size = profile.requireStruct("_MM_SESSION_SPACE").size();
        for (Map.Entry<Integer, List<PlacedProcess>> e : members.entrySet()) {
            List<PlacedProcess> list = new ArrayList<>(e.getValue());
            list.sort(java.util.Comparator.comparingLong(p -> p.createFileTime));
            // whole pages of its own, without a pool header (Windows 10 before 21H2 has a 20 KiB one)
            long space = machine.poolPages((int) ((size + 0xfff) / 0x1000));
            StructBuffer m = new StructBuffer(profile, "_MM_SESSION_SPACE");
            m.put("SessionId", e.getKey());
            m.putIfPresent("ReferenceCount", list.size()).putIfPresent("ProcessReferenceToSession", list.size());
            kernel.write(space, m.bytes());
            long head = space + profile.offset("_MM_SESSION_SPACE", "ProcessList");
            List<Long> entries = new ArrayList<>();
            for (PlacedProcess p : list) {
                entries.add(p.eprocess + links);
            }
            Machine.linkList(kernel, head, entries);
            sessionSpaces.put(e.getKey(), space);
            out.add(new ProcessFieldTruth.Session(e.getKey(), space, list.stream().map(p -> p.eprocess).toList()));
        }
        for (PlacedProcess p : exited) {
            if (inSession(p)) {
                kernel.writeLong(p.eprocess + links, p.eprocess + links);
                kernel.writeLong(p.eprocess + links + 8, p.eprocess + links);
            }
        }
        return out;
    }

    private ProcessFieldTruth.Fields write(PlacedProcess p, long exitStatus, List<String> absent) {
        boolean exits = exitStatus != ProcessFieldTruth.STATUS_PENDING;
        long status = -1;
        if (!absent.contains("ExitStatus")) {
            kernel.write(p.eprocess + profile.offset("_EPROCESS", "ExitStatus"), Le.bytes(exitStatus, 4));
            status = exitStatus;
        }
        long table = 0;
        if (!absent.contains("ObjectTable")) {
            long at = p.eprocess + profile.offset("_EPROCESS", "ObjectTable");
            table = exits ? 0 : kernel.readLong(at);
            if (table == 0 && !exits) {
                table = emptyHandleTable(p);
            }
            kernel.writeLong(at, table);
        }
        String name = null;
        long nameInfo = 0;
        if (!absent.contains("SeAuditProcessCreationInfo.ImageFileName")) {
            name = devicePath(p.imagePath);
            nameInfo = objectNameInformation(name);
            kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "SeAuditProcessCreationInfo.ImageFileName"),
                    nameInfo);
        }
        int protection = -1;
        if (!absent.contains("Protection")) {
            protection = p.pid == 4 ? PROTECTED_WIN_SYSTEM : WIN_TCB_LIGHT.contains(p.name) ? LIGHT_WIN_TCB : 0;
            kernel.write(p.eprocess + profile.offset("_EPROCESS", "Protection"), new byte[] {(byte) protection});
        }
        long session = 0;
        if (!absent.contains("Session") && inSession(p)) {
            session = sessionSpaces.get(p.session);
            kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "Session"), session);
        }
        if (p.imageFile == 0 && p.user && p.imagePath != null && machine.fileTypesKnown() && (!absent.contains(
                "ImageFilePointer") || !absent.contains("SectionObject"))) {
            // a hollowed process: its view of the executable is gone or maps another file, but the process still
            // refers to the image it was created from
            VadWriter.Mapping original = new VadWriter(machine).fileMapping(VadWriter.mappedName(p.imagePath),
                    null);
            p.imageFile = original.file();
            p.imageControlArea = original.controlArea();
        }
        long imageFile = 0;
        if (!absent.contains("ImageFilePointer") && p.imageFile != 0) {
            imageFile = p.imageFile;
            kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "ImageFilePointer"), imageFile);
        }
        long section = 0;
        if (!absent.contains("SectionObject") && p.imageControlArea != 0) {
            section = imageSection(p);
            kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "SectionObject"), section);
        }
        List<String> flags = new ArrayList<>(List.of("ProcessInserted", "HasAddressSpace"));
        if (session != 0) {
            flags.add("ProcessInSession");
        }
        if (exits) {
            flags.addAll(List.of("ProcessExiting", "ProcessDelete", "VmDeleted"));
        }
        if (MINIMAL.contains(p.name)) {
            flags.add("Minimal");
        }
        List<String> set = new ArrayList<>();
        for (String bit : flags) {
            if (setFlag(p, bit, absent)) {
                set.add(bit);
            }
        }
        return new ProcessFieldTruth.Fields(p.pid, p.eprocess, status, table, name, nameInfo, protection, session,
                imageFile, section, set);
    }

    /**
     * Sets the one-bit field {@code bit} of Flags, Flags2 or Flags3, read from the profile by name.
     *
     * @return whether the profile has it (a one-bit field of a word the image lays out)
     */
    private boolean setFlag(PlacedProcess p, String bit, List<String> absent) {
        if (!profile.has("_EPROCESS", bit)) {
            return false;
        }
        Field f = profile.resolve("_EPROCESS", bit);
        if (!(f.type() instanceof TypeRef.Bitfield b) || b.length() != 1) {
            return false;
        }
        for (String word : List.of("Flags", "Flags2", "Flags3")) {
            if (!absent.contains(word) && profile.offset("_EPROCESS", word) == f.offset()) {
                long at = p.eprocess + f.offset();
                long value = (kernel.readLong(at) & 0xFFFF_FFFFL) | 1L << b.position();
                kernel.write(at, Le.bytes(value, 4));
                return true;
            }
        }
        return false;
    }

    /**
     * The image section the process was created from: a Section object ({@code _SECTION}, pool tag
     * {@code Sect}) spanning the executable's view, its ControlArea the one the image VAD maps.
     */
    private long imageSection(PlacedProcess p) {
        // the executable's view, or (for a trustlet, whose view VTL0 does not see) its module
        long size = p.vads.stream().filter(v -> v.start() == p.imageBase).mapToLong(v -> v.end() - v.start() + 1)
                .findFirst().orElse(p.modules.stream().filter(m -> m.base() == p.imageBase).mapToLong(
                        SynthTruth.Module::size).findFirst().orElse(0));
        StructBuffer s = new StructBuffer(profile, "_SECTION");
        long section = machine.objectAlloc(s.size(), ObjectWriter.TAG_SECTION, "Section");
        if (size > 0) {
            s.putIfPresent("StartingVpn", p.imageBase >>> 12).putIfPresent("EndingVpn", (p.imageBase + size - 1)
                    >>> 12);
            s.putIfPresent("SizeOfSection", size);
        }
        s.put("u1.ControlArea", p.imageControlArea);
        s.putIfPresent("u.Flags.Image", 1).putIfPresent("u.Flags.File", 1);
        kernel.write(section, s.bytes());
        return section;
    }

    /** What a CID table entry holds: a process or a thread object. */
    private record Cid(String type, long object) {
    }

    /**
     * The CID table: a handle table of the level its highest id needs, an entry at index id / 4 for every
     * running process and thread, pointing at the object's body; PspCidTable points at it.
     */
    private ProcessFieldTruth.CidTable cidTable(List<PlacedProcess> running, List<ThreadTruth.Thread> threads) {
        TreeMap<Long, Cid> ids = new TreeMap<>();
        for (PlacedProcess p : running) {
            if (p.pid != 0) {
                ids.put(p.pid, new Cid("Process", p.eprocess));
            }
        }
        for (ThreadTruth.Thread t : threads) {
            if (ids.putIfAbsent(t.tid(), new Cid("Thread", t.ethread())) != null) {
                throw new IllegalStateException("thread id " + t.tid() + " is also a process id");
            }
        }
        long last = ids.lastKey() / 4;
        int leaves = (int) (last / PAGE_ENTRIES) + 1;
        if (leaves > POINTERS) {
            throw new IllegalStateException("id " + last * 4 + " needs a level-2 CID table");
        }
        int level = leaves == 1 ? 0 : 1;
        long top = machine.poolPages(1);
        long[] pages = new long[leaves];
        if (level == 0) {
            pages[0] = top;
        } else {
            for (int i = 0; i < leaves; i++) {
                pages[i] = machine.poolPages(1);
                kernel.writeLong(top + 8L * i, pages[i]);
            }
        }
        List<ProcessFieldTruth.CidEntry> entries = new ArrayList<>();
        for (Map.Entry<Long, Cid> e : ids.entrySet()) {
            long index = e.getKey() / 4;
            long entry = pages[(int) (index / PAGE_ENTRIES)] + 16 * (index % PAGE_ENTRIES);
            HandleTableWriter.writeEntry(profile, kernel, entry, e.getValue().object(), 0, 0, 0);
            entries.add(new ProcessFieldTruth.CidEntry(e.getKey(), e.getValue().type(), e.getValue().object(), entry));
        }
        StructBuffer t = new StructBuffer(profile, "_HANDLE_TABLE");
        long table = machine.poolAlloc(t.size(), TAG_OBJECT_TABLE);
        long tableCode = top | level;
        t.put("TableCode", tableCode);
        t.putIfPresent("NextHandleNeedingPool", leaves * (long) PAGE_ENTRIES * 4);
        if (t.has("HandleTableList")) {
            // the CID table is on no list of process handle tables
            long list = table + t.offset("HandleTableList");
            t.putList("HandleTableList", list, list);
        }
        kernel.write(table, t.bytes());
        kernel.writeLong(machine.global("PspCidTable"), table);
        return new ProcessFieldTruth.CidTable(table, tableCode, entries);
    }

    /** A handle table with one page of entries and no handles, for a process given none. */
    private long emptyHandleTable(PlacedProcess p) {
        long entries = machine.poolPages(1);
        StructBuffer t = new StructBuffer(profile, "_HANDLE_TABLE");
        long table = machine.poolAlloc(t.size(), TAG_OBJECT_TABLE);
        t.put("TableCode", entries);
        t.putIfPresent("QuotaProcess", p.eprocess).putIfPresent("UniqueProcessId", p.pid);
        if (t.has("HandleTableList")) {
            long list = table + t.offset("HandleTableList");
            t.putList("HandleTableList", list, list);
        }
        kernel.write(table, t.bytes());
        return table;
    }

    /**
     * @return the device path of an image path ({@code C:\...} or {@code \SystemRoot\...}), or "" for a
     *         process without an image file
     */
    static String devicePath(String imagePath) {
        if (imagePath == null || imagePath.isEmpty()) {
            return "";
        }
        if (imagePath.regionMatches(true, 0, "\\SystemRoot\\", 0, 12)) {
            return VOLUME + "\\Windows\\" + imagePath.substring(12);
        }
        if (imagePath.length() > 2 && imagePath.charAt(1) == ':') {
            return VOLUME + imagePath.substring(2);
        }
        return imagePath;
    }

    /** @return an _OBJECT_NAME_INFORMATION (a UNICODE_STRING and then its characters) holding {@code name} */
    private long objectNameInformation(String name) {
        byte[] chars = name.getBytes(StandardCharsets.UTF_16LE);
        byte[] body = new byte[0x10 + chars.length + 2];
        long va = machine.poolAlloc(body.length);
        Le.put(body, 0, chars.length, 2);
        Le.put(body, 2, chars.length + 2, 2);
        Le.put(body, 8, chars.length == 0 ? 0 : va + 0x10, 8);
        System.arraycopy(chars, 0, body, 0x10, chars.length);
        kernel.write(va, body);
        return va;
    }
}
