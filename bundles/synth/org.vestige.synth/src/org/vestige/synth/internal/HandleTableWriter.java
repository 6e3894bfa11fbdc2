package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Gives each process on the list a handle table ({@code _EPROCESS.ObjectTable} → {@code _HANDLE_TABLE})
 * holding objects of the common types, and writes the object type table they are typed through.
 *
 * <p>Layout facts (Windows Internals 7th ed., part 1, ch. 8, "Object handles and the process handle
 * table"): {@code TableCode}'s low 2 bits are the table's level; a level-0 table is one page of 256
 * 16-byte {@code _HANDLE_TABLE_ENTRY}s, a level-1 table a page of 512 pointers to such pages, a level-2
 * table a page of pointers to level-1 pages; a handle's value is its entry's index × 4 and the first
 * entry of each page is never a handle. An entry points at the object's {@code _OBJECT_HEADER}: on
 * Windows 7 {@code Object} holds the header's address with flag bits in its low 3 bits (bit 0 set when
 * the entry is unlocked) and {@code GrantedAccess} the access mask; from Windows 8.1 {@code
 * ObjectPointerBits} (bits 20–63 of the first quadword) hold the header's address bits 4–47, so the
 * address is the quadword shifted right arithmetically by 16 with its low 4 bits cleared (the kernel's
 * own {@code sar 10h} decoding, sign-extending bit 47), and {@code GrantedAccessBits} the low 25 bits of
 * the second quadword.
 */
final class HandleTableWriter {

    private static final int PAGE_ENTRIES = 256;
    private static final int POINTERS = 512;

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final ObjectTypes types;
    private final ObjectWriter objects;
    private final Random random;
    private final Map<Long, Written> written = new LinkedHashMap<>();

    /** A table as written, for the smear to damage. */
    private record Written(PlacedProcess process, long top, int level, int leaves, List<HandleTruth.Handle> handles) {
    }

    HandleTableWriter(Machine machine, ObjectTypes types) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
        this.types = types;
        this.objects = new ObjectWriter(machine, types);
        this.random = machine.random;
    }

    /** @return the object writer the handles' objects were written with */
    ObjectWriter objects() {
        return objects;
    }

    /** A handle to place: its object's body, type, access and the name a reader gives it. */
    private record Planned(long object, String type, long access, String name) {
    }

    /** Writes the type table and each listed process's handle table; call after the _EPROCESSes are written. */
    HandleTruth write(List<PlacedProcess> procs, List<PlacedProcess> gone) {
        long table = machine.global("ObTypeIndexTable");
        objects.writeTypeTable(table);
        if (types.cookied) {
            kernel.write(machine.global("ObHeaderCookie"), new byte[] {(byte) types.cookie});
        }
        Map<Integer, String> typeNames = new TreeMap<>();
        for (int i = 0; i < types.names.size(); i++) {
            typeNames.put(ObjectTypes.FIRST + i, types.names.get(i));
        }
        List<PlacedProcess> users = procs.stream().filter(p -> p.user).toList();
        PlacedProcess levelOne = pick(users, "explorer.exe", users.size() - 1);
        PlacedProcess levelTwo = pick(users, "lsass.exe", 1);
        if (levelTwo == levelOne) {
            levelTwo = users.get(0);
        }
        Map<Long, HandleTruth.Table> truth = new LinkedHashMap<>();
        Set<Long> tids = new HashSet<>();
        for (PlacedProcess p : procs) {
            if (p.pid == 0) {
                continue;
            }
            List<Planned> planned = plan(p, procs, tids);
            int extra = p == levelOne ? 560 + random.nextInt(200) : 0;
            for (int i = 0; i < extra; i++) {
                planned.add(filler(p, i));
            }
            truth.put(p.pid, place(p, planned, p == levelTwo));
        }
        long objectTable = profile.offset("_EPROCESS", "ObjectTable");
        for (PlacedProcess p : gone) {
            // an exited process has run down its handle table
            kernel.writeLong(p.eprocess + objectTable, 0);
        }
        return new HandleTruth(null, table, types.cookied ? types.cookie : -1, typeNames, truth);
    }

    private static PlacedProcess pick(List<PlacedProcess> users, String name, int fallback) {
        return users.stream().filter(p -> p.name.equals(name)).findFirst().orElse(users.get(fallback));
    }

    private static final String VOLUME = "HarddiskVolume3";
    private static final String[] MUI = {"kernel32.dll", "KernelBase.dll", "user32.dll", "ntdll.dll",
        "shell32.dll", "msctf.dll"};
    private static final String[] KEYS = {"REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\Nls\\Sorting\\Versions",
        "REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options",
        "REGISTRY\\MACHINE", "REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager",
        "REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Ole", "REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip"
                + "\\Parameters", "REGISTRY\\USER\\.DEFAULT\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer"};

    /** The handles of a process of its kind: directories, files, keys, its threads and token, events, … */
    private List<Planned> plan(PlacedProcess p, List<PlacedProcess> procs, Set<Long> tids) {
        List<Planned> out = new ArrayList<>();
        out.add(new Planned(objects.directory("KnownDlls"), "Directory", 0x3, "\\KnownDlls"));
        out.add(file("\\Windows\\System32", 0x100020));
        String session = p.pid == 4 ? "BaseNamedObjects" : "Sessions\\1\\BaseNamedObjects";
        int events = 2 + random.nextInt(5);
        for (int i = 0; i < events; i++) {
            out.add(event(p, i, session));
        }
        out.add(new Planned(objects.named("Semaphore", "_KSEMAPHORE", 0x20, ObjectWriter.TAG_SEMAPHORE, null, ""),
                "Semaphore", 0x1f0003, ""));
        String mutant = "SM0:" + p.pid + ":304:WilStaging_02";
        out.add(new Planned(objects.named("Mutant", "_KMUTANT", 0x38, ObjectWriter.TAG_MUTANT, mutant, session),
                "Mutant", 0x1f0001, ObjectWriter.path(session, mutant)));
        for (int i = 0; i < 2 + random.nextInt(3); i++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            out.add(new Planned(objects.key(key, p.pid), "Key", random.nextBoolean() ? 0x20019 : 0x1, "\\" + key));
        }
        if (p.user) {
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                String mui = MUI[random.nextInt(MUI.length)];
                out.add(file("\\Windows\\System32\\en-US\\" + mui + ".mui", 0x120089));
            }
            String name = "windows_shell_global_counters";
            out.add(new Planned(objects.named("Section", "_SECTION", 0x30, ObjectWriter.TAG_SECTION, name, session),
                    "Section", 0x4, ObjectWriter.path(session, name)));
            out.add(new Planned(objects.named("Section", "_SECTION", 0x30, ObjectWriter.TAG_SECTION, null, ""),
                    "Section", 0xf001f, ""));
            out.add(new Planned(objects.named("SymbolicLink", "_OBJECT_SYMBOLIC_LINK", 0x20, ObjectWriter.TAG_LINK,
                    "KnownDllPath", "KnownDlls"), "SymbolicLink", 0x1, "\\KnownDlls\\KnownDllPath"));
            Planned pipe = new Planned(objects.file("NamedPipe", "\\lsass"), "File", 0x12019f,
                    "\\Device\\NamedPipe\\lsass");
            out.add(pipe);
        }
        int threads = 1 + random.nextInt(3);
        for (int i = 0; i < threads; i++) {
            long tid;
            do {
                tid = 4L * (100 + random.nextInt(8000));
            } while (!tids.add(tid));
            out.add(new Planned(objects.thread(p.pid, tid), "Thread", random.nextBoolean() ? 0x1fffff : 0x1478,
                    "tid " + tid + " pid " + p.pid));
        }
        out.add(new Planned(objects.named("Token", "_TOKEN", 0x100, ObjectWriter.TAG_TOKEN, null, ""), "Token",
                random.nextBoolean() ? 0x8 : 0xa, ""));
        // csrss, lsass and services hold handles to the processes they serve; everyone may hold its own
        boolean broker = p.name.equals("csrss.exe") || p.name.equals("lsass.exe") || p.name.equals("services.exe");
        for (PlacedProcess other : procs) {
            if (other.pid != 0 && (broker ? other != p && random.nextInt(3) > 0 : other == p && random.nextBoolean())) {
                out.add(new Planned(other.eprocess, "Process", broker ? 0x1fffff : 0x1478, other.name + " pid "
                        + other.pid));
            }
        }
        return out;
    }

    private Planned file(String path, long access) {
        return new Planned(objects.file(VOLUME, path), "File", access, "\\Device\\" + VOLUME + path);
    }

    private Planned event(PlacedProcess p, int i, String session) {
        String name = i % 2 == 0 ? null : "Global\\" + p.name.replace(".exe", "") + "_ready_" + i;
        String path = name == null ? "" : ObjectWriter.path(session, name);
        // an event named "Global\X" lives in the global BaseNamedObjects as X
        if (name != null) {
            name = name.substring("Global\\".length());
            path = ObjectWriter.path("BaseNamedObjects", name);
        }
        return new Planned(objects.named("Event", "_KEVENT", 0x18, ObjectWriter.TAG_EVENT, name, "BaseNamedObjects"),
                "Event", random.nextBoolean() ? 0x1f0003 : 0x100002, path);
    }

    /** One of the many handles a busy process has open. */
    private Planned filler(PlacedProcess p, int i) {
        return switch (i % 4) {
            case 0 -> file("\\Users\\Public\\Documents\\report-" + i + ".docx", 0x12019f);
            case 1 -> {
                String key = "REGISTRY\\MACHINE\\SOFTWARE\\Classes\\CLSID\\{" + String.format("%08X", 0x10000 + i)
                        + "-0000-0000-C000-000000000046}";
                yield new Planned(objects.key(key, p.pid), "Key", 0x20019, "\\" + key);
            }
            case 2 -> new Planned(objects.named("Event", "_KEVENT", 0x18, ObjectWriter.TAG_EVENT, null, ""), "Event",
                    0x1f0003, "");
            default -> {
                String name = "ShellFolderCache_" + i;
                String dir = "Sessions\\1\\BaseNamedObjects";
                yield new Planned(objects.named("Section", "_SECTION", 0x30, ObjectWriter.TAG_SECTION, name, dir),
                        "Section", 0x6, ObjectWriter.path(dir, name));
            }
        };
    }

    /** Lays the handles out in a table of the level their count needs (level 2 when asked) and links it. */
    private HandleTruth.Table place(PlacedProcess p, List<Planned> planned, boolean levelTwo) {
        List<Long> indexes = new ArrayList<>();
        long next = 1;
        for (int i = 0; i < planned.size(); i++) {
            if (levelTwo && i == planned.size() - 4) {
                // the last few handles come from a second level-1 page
                next = (long) POINTERS * PAGE_ENTRIES + 1;
            }
            if (next % PAGE_ENTRIES == 0) {
                next++;
            }
            indexes.add(next++);
        }
        long last = indexes.get(indexes.size() - 1);
        int level = levelTwo ? 2 : last < PAGE_ENTRIES ? 0 : 1;
        long top = page();
        Map<Long, Long> leaves = new TreeMap<>();
        int leafCount = 0;
        if (level == 0) {
            leaves.put(0L, top);
        } else if (level == 1) {
            for (long leaf = 0; leaf <= last / PAGE_ENTRIES; leaf++) {
                long page = page();
                leaves.put(leaf, page);
                kernel.writeLong(top + 8 * leaf, page);
                leafCount++;
            }
        } else {
            long mids = last / ((long) POINTERS * PAGE_ENTRIES) + 1;
            for (long m = 0; m < mids; m++) {
                long mid = page();
                kernel.writeLong(top + 8 * m, mid);
                long count = m + 1 < mids ? POINTERS : (last % ((long) POINTERS * PAGE_ENTRIES)) / PAGE_ENTRIES + 1;
                for (long leaf = 0; leaf < count; leaf++) {
                    long page = page();
                    leaves.put(m * POINTERS + leaf, page);
                    kernel.writeLong(mid + 8 * leaf, page);
                }
            }
            leafCount = (int) mids;
        }
        List<HandleTruth.Handle> handles = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            Planned h = planned.get(i);
            long index = indexes.get(i);
            long entry = leaves.get(index / PAGE_ENTRIES) + 16 * (index % PAGE_ENTRIES);
            writeEntry(entry, h.object - objects.bodyOffset(), h.access);
            handles.add(new HandleTruth.Handle(index * 4, entry, h.object, h.type, h.access, h.name));
        }
        long tableCode = top | level;
        long table = machine.poolAlloc(profile.requireStruct("_HANDLE_TABLE").size(), 0x6274624fL); // 'Obtb'
        StructBuffer t = new StructBuffer(profile, "_HANDLE_TABLE");
        t.put("TableCode", tableCode).put("QuotaProcess", p.eprocess).put("UniqueProcessId", p.pid);
        t.putIfPresent("NextHandleNeedingPool", (leaves.size() * (long) PAGE_ENTRIES) * 4);
        t.putIfPresent("HandleCount", planned.size());
        long list = table + t.offset("HandleTableList");
        t.putList("HandleTableList", list, list);
        kernel.write(table, t.bytes());
        kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "ObjectTable"), table);
        written.put(p.pid, new Written(p, top, level, level == 1 ? leafCount : leaves.size(), handles));
        Map<Long, Long> pagedOut = new LinkedHashMap<>();
        if (level == 1) {
            // the second page of entries went out to the pagefile: its handles need --pagefile
            long page = leaves.get(1L);
            long n = Machine.freePagingFilePage(machine.pagefile, 0xB00, random);
            machine.pagefile.put(n << 12, machine.memory.readPage(kernel.translate(page)));
            kernel.setPte(page, machine.pte.software(0, n, 4, true));
            pagedOut.put(page, n << 12);
        }
        return new HandleTruth.Table(p.eprocess, table, tableCode, List.copyOf(handles), Map.copyOf(pagedOut));
    }

    /** A zeroed page of paged pool for a handle table level. */
    private long page() {
        long va = ((machine.poolCursor + 0xfff) & ~0xfffL) + 0x1000L * random.nextInt(2);
        kernel.write(va, new byte[4096]);
        machine.poolCursor = va + 4096;
        return va;
    }

    private void writeEntry(long entry, long header, long access) {
        if (profile.has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits")) {
            int attributes = random.nextInt(8) == 0 ? 0x2 : 0; // OBJ_INHERIT now and then
            writeEntry(profile, kernel, entry, header, access, attributes, 1L + random.nextInt(0x7fff));
        } else {
            int attributes = random.nextInt(8) == 0 ? 0x2 : 0; // inherit now and then
            writeEntry(profile, kernel, entry, header, access, attributes, 0);
        }
    }

    /**
     * Writes one {@code _HANDLE_TABLE_ENTRY} in the build's encoding, unlocked, pointing at {@code pointer} (an
     * object header in a process's table, an object body in the CID table).
     *
     * @param attributes the handle attributes (0x2: inherit)
     * @param refCount   RefCnt of an entry with ObjectPointerBits (ignored by the Windows 7 encoding)
     */
    static void writeEntry(Profile profile, PageTableBuilder kernel, long entry, long pointer, long access,
            int attributes, long refCount) {
        if (profile.has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits")) {
            int position = bitPosition(profile, "ObjectPointerBits", 20);
            long low = ((pointer >>> 4) & ((1L << 44) - 1)) << position | (long) attributes << bitPosition(profile,
                    "Attributes", 17) | refCount << bitPosition(profile, "RefCnt", 1) | 1L;
            kernel.writeLong(entry, low);
            kernel.writeLong(entry + profile.offset("_HANDLE_TABLE_ENTRY", "GrantedAccessBits"), access & 0x1ffffff);
        } else {
            kernel.writeLong(entry, pointer | 1 | attributes); // bit 0: unlocked
            kernel.write(entry + profile.offset("_HANDLE_TABLE_ENTRY", "GrantedAccess"), Le.bytes(access, 4));
        }
    }

    private static int bitPosition(Profile profile, String field, int fallback) {
        return profile.resolve("_HANDLE_TABLE_ENTRY", field).type() instanceof TypeRef.Bitfield b ? b.position()
                : fallback;
    }

    /** Damages one handle table or object the way {@code kind} says. */
    SynthTruth.SmearInfo smear(SynthOptions.Smear kind) {
        switch (kind) {
            case HANDLE_TABLE_CYCLE -> {
                Written w = written.values().stream().filter(x -> x.level == 1).findFirst().orElseThrow();
                kernel.writeLong(w.top + 8L * w.leaves, w.top);
                return new SynthTruth.SmearInfo(kind, w.process.eprocess, w.process.pid, w.top,
                        "level-1 handle table page's slot " + w.leaves + " -> the page itself");
            }
            case HANDLE_WILD_OBJECT, HANDLE_BAD_TYPE -> {
                List<Written> small = written.values().stream().filter(x -> x.level == 0 && x.process.user).toList();
                Written w = small.get(random.nextInt(small.size()));
                List<HandleTruth.Handle> events = w.handles.stream().filter(h -> h.type().equals("Event")).toList();
                HandleTruth.Handle h = events.get(random.nextInt(events.size()));
                if (kind == SynthOptions.Smear.HANDLE_WILD_OBJECT) {
                    long wild = machine.poolBase + 0x7D000000L + 0x1000L * random.nextInt(0x1000) + 0x40;
                    writeEntry(h.entry(), wild, h.access());
                    return new SynthTruth.SmearInfo(kind, w.process.eprocess, w.process.pid, h.entry(),
                            "handle 0x" + Long.toHexString(h.value()) + " -> unmapped _OBJECT_HEADER 0x"
                                    + Long.toHexString(wild));
                }
                long header = h.object() - objects.bodyOffset();
                // encoded as if with another cookie: the index it decodes to lies past the table's end
                int wrong = types.encodeIndex(types.index("Event") ^ 0xC0, header);
                kernel.write(header + profile.offset("_OBJECT_HEADER", "TypeIndex"), new byte[] {(byte) wrong});
                return new SynthTruth.SmearInfo(kind, w.process.eprocess, w.process.pid, h.entry(),
                        "handle 0x" + Long.toHexString(h.value()) + ": _OBJECT_HEADER 0x" + Long.toHexString(header)
                                + " TypeIndex encoded with a wrong cookie");
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }
}
