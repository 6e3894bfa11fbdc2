package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.PteEncoding;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Writes the processes as the process and module walkers read them: the process set with pids, parents,
 * create times and command lines, each {@code _EPROCESS}, the user address space with PEB, process
 * parameters, environment, loader lists, heap and stack, the executable as a PE image with pages paged
 * out, in transition, found through the VAD, swapped or compressed, and pages whose PTEs are invalid in
 * each of the ways translation must handle.
 */
final class ProcessWriter {

    private final Machine machine;
    private final Profile profile;
    private final SynthOptions options;
    private final int build;
    private final Random random;
    private final PhysicalImageWriter memory;
    private final PageTableBuilder kernel;
    private final PteEncoding pte;
    private final List<ImageSynthesizer.PteSample> pteSamples;
    private final Map<Long, byte[]> pagefile;
    private final Map<Long, byte[]> swapfile;
    private final VbsWriter vbs;

    ProcessWriter(Machine machine, VbsWriter vbs) {
        this.machine = machine;
        profile = machine.profile;
        options = machine.options;
        build = machine.build;
        random = machine.random;
        memory = machine.memory;
        kernel = machine.kernel;
        pte = machine.pte;
        pteSamples = machine.pteSamples;
        pagefile = machine.pagefile;
        swapfile = machine.swapfile;
        this.vbs = vbs;
    }

    List<PlacedProcess> planProcesses() {
        Set<Long> pids = new HashSet<>();
        pids.add(4L);
        long boot = (1_700_000_000_000L + (long) random.nextInt(50_000_000) * 1000 + Machine.FILETIME_EPOCH_OFFSET_MS)
                * 10_000L;
        List<PlacedProcess> list = new ArrayList<>();
        long[] clock = {boot};
        java.util.function.Supplier<Long> newPid = () -> {
            long p;
            do {
                p = 4L * (17 + random.nextInt(3000));
            } while (!pids.add(p));
            return p;
        };
        String sys32 = "C:\\Windows\\system32\\";
        PlacedProcess system = proc(list, "System", 4, 0, null, null, false, 100 + random.nextInt(100), clock, 0);
        system.imagePath = null;
        if (options.vbs()) {
            // the minimal process the kernel creates for the secure kernel when VSM is enabled
            proc(list, "Secure System", newPid.get(), 4, null, null, false, 1 + random.nextInt(4), clock, 0);
        }
        if (build >= 17134) {
            proc(list, "Registry", newPid.get(), 4, null, null, false, 4, clock, 3);
        }
        PlacedProcess smss = proc(list, "smss.exe", newPid.get(), 4, "\\SystemRoot\\System32\\smss.exe",
                "\\SystemRoot\\System32\\smss.exe", true, 2, clock, 2);
        long smssChild1 = newPid.get();
        long smssChild2 = newPid.get();
        pids.add(smssChild1);
        String csrssCmd = "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768"
                + " Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3"
                + " ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";
        proc(list, "csrss.exe", newPid.get(), smssChild1, csrssCmd, sys32 + "csrss.exe", true, 10, clock, 1);
        PlacedProcess wininit = proc(list, "wininit.exe", newPid.get(), smssChild1, "wininit.exe", sys32
                + "wininit.exe",
                true, 1, clock, 1);
        proc(list, "csrss.exe", newPid.get(), smssChild2, csrssCmd, sys32 + "csrss.exe", true, 12, clock, 1);
        PlacedProcess winlogon = proc(list, "winlogon.exe", newPid.get(), smssChild2, "winlogon.exe", sys32
                + "winlogon.exe", true, 5, clock, 1);
        PlacedProcess services = proc(list, "services.exe", newPid.get(), wininit.pid, sys32 + "services.exe", sys32
                + "services.exe", true, 7, clock, 1);
        if (options.vbs()) {
            PlacedProcess iso = proc(list, "LsaIso.exe", newPid.get(), wininit.pid, sys32 + "lsaiso.exe", sys32
                    + "lsaiso.exe",
                    true, 1 + random.nextInt(3), clock, 1);
            iso.isolated = true;
            iso.secure = true;
        }
        PlacedProcess lsass = proc(list, "lsass.exe", newPid.get(), wininit.pid, sys32 + "lsass.exe", sys32
                + "lsass.exe",
                true, 9, clock, 1);
        lsass.dlls.add(new String[] {"lsasrv.dll", sys32 + "lsasrv.dll"});
        String[] groups = {"DcomLaunch", "RPCSS", "LocalServiceNetworkRestricted", "netsvcs", "LocalService",
            "NetworkService", "LocalSystemNetworkRestricted", "UnistackSvcGroup", "utcsvc", "appmodel"};
        for (int i = 0; i < options.svchostCount(); i++) {
            String cmd = sys32 + "svchost.exe -k " + groups[i % groups.length] + (machine.modern() ? " -p" : "");
            PlacedProcess s = proc(list, "svchost.exe", newPid.get(), services.pid, cmd, sys32 + "svchost.exe", true,
                    3 + random.nextInt(30), clock, 1);
            s.dlls.add(new String[] {"sechost.dll", sys32 + "sechost.dll"});
            if (i == 1 && build >= 10586) {
                proc(list, "MemCompression", newPid.get(), 4, null, null, false, 18 + random.nextInt(40), clock, 1);
            }
        }
        if (machine.store != null && list.stream().noneMatch(p -> p.name.equals("MemCompression"))) {
            proc(list, "MemCompression", newPid.get(), 4, null, null, false, 18 + random.nextInt(40), clock, 1);
        }
        proc(list, "dwm.exe", newPid.get(), winlogon.pid, "\"dwm.exe\"", sys32 + "dwm.exe", true, 14, clock, 5);
        PlacedProcess explorer = proc(list, "explorer.exe", newPid.get(), newPid.get(), "C:\\Windows\\Explorer.EXE",
                "C:\\Windows\\Explorer.EXE", true, 60 + random.nextInt(40), clock, 20);
        explorer.dlls.add(new String[] {"USER32.dll", sys32 + "USER32.dll"});
        explorer.dlls.add(new String[] {"SHELL32.dll", sys32 + "SHELL32.dll"});
        PlacedProcess notepad = proc(list, "notepad.exe", newPid.get(), explorer.pid,
                "\"" + sys32 + "notepad.exe\" C:\\Users\\alice\\Documents\\notes.txt", sys32 + "notepad.exe", true,
                1 + random.nextInt(4), clock, 300);
        notepad.dlls.add(new String[] {"USER32.dll", sys32 + "USER32.dll"});
        if (options.extraProcess() != null) {
            String path = "C:\\Users\\alice\\AppData\\Local\\Temp\\" + options.extraProcess();
            proc(list, options.extraProcess(), newPid.get(), explorer.pid, "\"" + path + "\"", path, true, 2, clock, 60);
        }
        smss.threads = 2;
        return list;
    }

    PlacedProcess proc(List<PlacedProcess> list, String name, long pid, long ppid, String cmd, String path,
            boolean user,
            int threads, long[] clock, int secondsLater) {
        PlacedProcess p = new PlacedProcess();
        p.name = name;
        p.pid = pid;
        p.ppid = ppid;
        p.commandLine = cmd;
        p.imagePath = path;
        p.user = user;
        p.threads = threads;
        clock[0] += secondsLater * 10_000_000L + random.nextInt(10_000_000);
        p.createFileTime = clock[0];
        list.add(p);
        return p;
    }

    void writeEprocess(PlacedProcess p) {
        StructBuffer e = new StructBuffer(profile, "_EPROCESS");
        if (e.has("Pcb.Header.Type")) {
            e.put("Pcb.Header.Type", 3); // ProcessObject
        }
        e.put("Pcb.DirectoryTableBase", p.space.dtb());
        e.put("UniqueProcessId", p.pid);
        e.put("InheritedFromUniqueProcessId", p.ppid);
        e.putAscii("ImageFileName", p.name);
        e.put("CreateTime", p.createFileTime);
        if (p.exitFileTime != 0 && e.has("ExitTime")) {
            e.put("ExitTime", p.exitFileTime);
        }
        if (p.vadRoot != 0) {
            if (e.has("VadRoot.Root")) {
                e.put("VadRoot.Root", p.vadRoot);
                e.putIfPresent("VadCount", p.vads.size());
            } else if (e.has("VadRoot.BalancedRoot.RightChild")) {
                e.put("VadRoot.BalancedRoot.RightChild", p.vadRoot);
                e.putIfPresent("VadRoot.NumberGenericTableElements", p.vads.size());
            }
        }
        e.put("Peb", p.peb);
        if (p.imageBase != 0) {
            e.putIfPresent("SectionBaseAddress", p.imageBase); // where the executable's section view is mapped
        }
        if (p.tokenRef != 0) {
            e.put("Token", p.tokenRef); // an _EX_FAST_REF: the pointer with the reference count in its low bits
        }
        if (e.has("ActiveThreads")) {
            e.put("ActiveThreads", p.threads);
        }
        if (p.secure && e.has("Pcb.SecureState.SecureHandle")) {
            // the secure kernel's handle for the process; bit 0 of the same qword is Flags.SecureProcess
            e.put("Pcb.SecureState.SecureHandle", 0x1000L + 4L * (p.pid & 0xFFF));
            e.put("Pcb.SecureState.Flags.SecureProcess", 1);
        } else if (p.secure && e.has("Pcb.SecurePid")) {
            e.put("Pcb.SecurePid", 0x1000L + 4L * (p.pid & 0xFFF));
        }
        if (e.has("ThreadListHead")) {
            long head = p.eprocess + e.offset("ThreadListHead");
            e.putList("ThreadListHead", head, head);
        }
        if (p.exitFileTime != 0 && e.has("Pcb.ThreadListHead")) {
            // every thread has gone: the kernel's thread list is empty too
            long head = p.eprocess + e.offset("Pcb.ThreadListHead");
            e.putList("Pcb.ThreadListHead", head, head);
        }
        kernel.write(p.eprocess, e.bytes());
    }

    /** A bump allocator over one process's heap region. */
    static final class UserHeap {
        private final PageTableBuilder space;
        long cursor;

        UserHeap(PageTableBuilder space, long base) {
            this.space = space;
            this.cursor = base;
        }

        long alloc(byte[] data) {
            cursor = (cursor + 0x10 + 0xf) & ~0xfL;
            long va = cursor;
            space.write(va, data);
            cursor += data.length;
            return va;
        }

        long string(String s) {
            return alloc(Le.utf16(s + "\0"));
        }
    }

    void populateUser(PlacedProcess p) {
        if (p.isolated) {
            vbs.populateIsolated(p);
            return;
        }
        PageTableBuilder space = p.space;
        space.map(Machine.USER_KUSER, machine.kuserFrame, 4096);
        long heapBase = machine.modern() ? 0x0000010000000000L + 0x10000L * random.nextInt(0x100000)
                : 0x0000000000300000L
                + 0x10000L * random.nextInt(0x100);
        UserHeap heap = new UserHeap(space, heapBase);
        p.heapBase = heapBase;
        p.vadRanges.add(new long[] {Machine.USER_KUSER, Machine.USER_KUSER + 0xfff, 1, 0, 1, 1});
        p.vadFiles.add(null);
        p.peb = machine.modern() ? 0x0000001000000000L + 0x1000L * random.nextInt(0x7000000) : 0x000007FFFFFD0000L
                + 0x1000L
                * random.nextInt(0xD);

        String exeName = p.imagePath.substring(p.imagePath.lastIndexOf('\\') + 1);
        String sys32 = "C:\\Windows\\SYSTEM32\\";
        List<String[]> mods = new ArrayList<>();
        mods.add(new String[] {exeName, p.imagePath.startsWith("\\SystemRoot") ? "C:\\Windows\\System32\\" + exeName
                : p.imagePath});
        mods.add(new String[] {"ntdll.dll", sys32 + "ntdll.dll"});
        if (!p.name.equals("smss.exe")) {
            mods.add(new String[] {"KERNEL32.DLL", "C:\\Windows\\System32\\KERNEL32.DLL"});
            mods.add(new String[] {"KERNELBASE.dll", "C:\\Windows\\System32\\KERNELBASE.dll"});
            mods.addAll(p.dlls);
        }
        long exeBase = machine.modern() ? 0x00007FF600000000L + 0x10000L * random.nextInt(0xFFFF) : 0x000000013F000000L
                + 0x10000L * random.nextInt(0x100);
        long dllCursor = machine.modern() ? 0x00007FFA00000000L + 0x10000L * random.nextInt(0x8000)
                : 0x000007FEF0000000L
                + 0x10000L * random.nextInt(0x100);
        for (int i = 0; i < mods.size(); i++) {
            String[] m = mods.get(i);
            int size = 0x10000 * (1 + random.nextInt(0x20));
            long base;
            if (i == 0) {
                base = exeBase;
            } else {
                dllCursor += 0x10000L * (1 + random.nextInt(4));
                base = dllCursor;
                dllCursor += size;
            }
            int entry = 0x1000 + 0x10 * random.nextInt(0x100);
            if (i == 0) {
                writeExecutable(p, base, size, m[0], entry);
            } else {
                PeImageBuilder pe = new PeImageBuilder(base).moduleName(m[0], true)
                        .timeDateStamp(TimeWriter.dllStamp(options.seed(), m[0]))
                        .section(".text", 0x1000, size - 0x2000, PeImageBuilder.CODE).entryPoint(entry)
                        .sizeOfImage(size);
                space.write(base, pe.headers());
                TimeWriter.linked(machine, p.pid, m[0], base, pe.timeDateStamp());
                if (i == 1 && p.name.equals("notepad.exe") && machine.prototypesKnown()) {
                    sharedPageThroughVad(p, base, size, m[0]);
                }
            }
            p.modules.add(new SynthTruth.Module(m[0], m[1], base, size, base + 0x1000));
            p.vadRanges.add(new long[] {base, base + size - 1, 7, 2, 0, 0});
            p.vadFiles.add(VadWriter.mappedName(m[1]));
        }
        p.imageBase = exeBase;
        long stack = machine.modern() ? 0x000000A000000000L + 0x10000L * random.nextInt(0x1000) : 0x40000L + 0x10000L
                * random.nextInt(4);
        byte[] frame = new byte[0x100];
        random.nextBytes(frame);
        space.write(stack + 0x3f000, frame);
        p.vadRanges.add(new long[] {stack, stack + 0x3ffff, 4, 0, 1, 1});
        p.vadFiles.add(null);

        String env = "ALLUSERSPROFILE=C:\\ProgramData\0COMPUTERNAME=WS-" + Integer.toHexString(random.nextInt(0xffff))
                .toUpperCase(Locale.ROOT) + "\0Path=C:\\Windows\\system32;C:\\Windows\0SystemRoot=C:\\Windows\0"
                + "windir=C:\\Windows\0\0";
        p.environment = env;
        byte[] envBytes = Le.utf16(env);
        long envVa;
        if (p.name.equals("notepad.exe")) {
            // the environment block on a page of its own that was paged out to pagefile.sys
            envVa = heapBase + 0x200000;
            long pageInFile = 400 + random.nextInt(100);
            byte[] page = new byte[4096];
            System.arraycopy(envBytes, 0, page, 0, envBytes.length);
            pagefile.put(pageInFile * 4096, page);
            space.setPte(envVa, pte.software(0, pageInFile, 4, true));
            p.outOfRam.put(envVa, page);
            p.environmentPagefileOffset = pageInFile * 4096;
            p.vadRanges.add(new long[] {envVa, envVa + 0xfff, 4, 0, 1, 1});
            p.vadFiles.add(null);
        } else {
            envVa = heap.alloc(envBytes);
        }

        StructBuffer params = new StructBuffer(profile, "_RTL_USER_PROCESS_PARAMETERS");
        params.putIfPresent("MaximumLength", params.size()).putIfPresent("Length", params.size())
                .putIfPresent("Flags", 1);
        String cwd = "C:\\Windows\\system32\\";
        if (params.has("CurrentDirectory.DosPath")) {
            params.putUnicode("CurrentDirectory.DosPath", cwd.length() * 2, 520, heap.string(cwd));
            p.currentDirectory = cwd;
        }
        String image = p.imagePath.startsWith("\\SystemRoot") ? "C:\\Windows\\System32\\" + exeName : p.imagePath;
        params.putUnicode("ImagePathName", image.length() * 2, image.length() * 2 + 2, heap.string(image));
        params.putUnicode("CommandLine", p.commandLine.length() * 2, p.commandLine.length() * 2 + 2,
                heap.string(p.commandLine));
        params.put("Environment", envVa);
        if (params.has("EnvironmentSize")) {
            params.put("EnvironmentSize", envBytes.length);
        }
        long paramsVa = heap.alloc(params.bytes());

        long ntdll = p.modules.get(1).base();
        long ldrVa = ntdll + 0x16a000 + 0x10L * random.nextInt(0x40);
        StructBuffer ldr = new StructBuffer(profile, "_PEB_LDR_DATA");
        ldr.putIfPresent("Length", ldr.size()).putIfPresent("Initialized", 1);
        space.write(ldrVa, ldr.bytes());
        List<Long> entries = new ArrayList<>();
        for (SynthTruth.Module m : p.modules) {
            StructBuffer e = new StructBuffer(profile, "_LDR_DATA_TABLE_ENTRY");
            e.put("DllBase", m.base()).putIfPresent("EntryPoint", m.entry()).put("SizeOfImage", m.size());
            e.putUnicode("FullDllName", m.path().length() * 2, m.path().length() * 2 + 2, heap.string(m.path()));
            e.putUnicode("BaseDllName", m.name().length() * 2, m.name().length() * 2 + 2, heap.string(m.name()));
            entries.add(heap.alloc(e.bytes()));
        }
        long load = profile.offset("_LDR_DATA_TABLE_ENTRY", "InLoadOrderLinks");
        long mem = profile.offset("_LDR_DATA_TABLE_ENTRY", "InMemoryOrderLinks");
        Machine.linkList(space, ldrVa + ldr.offset("InLoadOrderModuleList"), entries.stream().map(e -> e
                + load).toList());
        Machine.linkList(space, ldrVa + ldr.offset("InMemoryOrderModuleList"), entries.stream().map(e -> e
                + mem).toList());
        if (profile.has("_LDR_DATA_TABLE_ENTRY", "InInitializationOrderLinks")) {
            long init = profile.offset("_LDR_DATA_TABLE_ENTRY", "InInitializationOrderLinks");
            Machine.linkList(space, ldrVa + ldr.offset("InInitializationOrderModuleList"), entries.subList(1,
                    entries.size())
                    .stream().map(e -> e + init).toList());
        }

        StructBuffer peb = new StructBuffer(profile, "_PEB");
        peb.put("ImageBaseAddress", exeBase).put("Ldr", ldrVa).put("ProcessParameters", paramsVa);
        peb.putIfPresent("OSMajorVersion", machine.modern() ? 10 : 6).putIfPresent("OSMinorVersion",
                machine.modern() ? 0 : 1);
        peb.putIfPresent("OSBuildNumber", build);
        space.write(p.peb, peb.bytes());
        p.vadRanges.add(new long[] {p.peb, p.peb + 0xfff, 4, 0, 1, 1});
        p.vadFiles.add(null);
        long heapEnd = heapBase + Math.max(0x10000, (heap.cursor - heapBase + 0xffff) & ~0xffffL) - 1;
        p.vadRanges.add(new long[] {heapBase, heapEnd, 4, 0, 1, -1});
        p.vadFiles.add(null);
        if (machine.store != null && (p.name.equals("lsass.exe") || p.name.equals("explorer.exe"))) {
            compressPrivatePages(p);
        }
        if (options.bulk() != null && p.name.equals("explorer.exe")) {
            bulkMemory(p, options.bulk());
        }
    }

    /**
     * Gives a process two private VADs of bulk memory: one resident, one paged out to pagefile.sys
     * from page {@value PagingFileWriter#BULK_PAGEFILE_FIRST} on (written when the file is, from
     * {@link PagingFileWriter#bulkPage}).
     */
    void bulkMemory(PlacedProcess p, SynthOptions.Bulk bulk) {
        long resident = 0x0000030000000000L + 0x100000L * random.nextInt(0x1000);
        for (int i = 0; i < bulk.residentPages(); i++) {
            p.space.write(resident + i * 4096L, PagingFileWriter.bulkPage(options.seed(), i));
        }
        if (bulk.residentPages() > 0) {
            p.vadRanges.add(new long[] {resident, resident + bulk.residentPages() * 4096L - 1, 4, 0, 1,
                bulk.residentPages()});
            p.vadFiles.add(null);
        }
        long paged = resident + 0x1000000000L;
        for (int i = 0; i < bulk.pagedPages(); i++) {
            p.space.setPte(paged + i * 4096L, pte.software(0, PagingFileWriter.BULK_PAGEFILE_FIRST + i, 4,
                    (i & 1) == 0));
        }
        if (bulk.pagedPages() > 0) {
            p.vadRanges.add(new long[] {paged, paged + bulk.pagedPages() * 4096L - 1, 4, 0, 1, bulk.pagedPages()});
            p.vadFiles.add(null);
        }
    }

    /**
     * Gives lsass.exe (first store) and explorer.exe (second store) a private VAD of pages held in the
     * compressed store: heap-like pages, a page of zeros and an incompressible one, moved records, data
     * in a region page in transition or paged out; explorer.exe also gets the bulk pages.
     */
    void compressPrivatePages(PlacedProcess p) {
        boolean lsass = p.name.equals("lsass.exe");
        CompressedStoreWriter.Handling plain = CompressedStoreWriter.Handling.PLAIN;
        CompressedStoreWriter.Handling[] plan = lsass
                ? new CompressedStoreWriter.Handling[] {plain, plain, plain, CompressedStoreWriter.Handling.MOVED,
                    CompressedStoreWriter.Handling.MOVED_TWICE, CompressedStoreWriter.Handling.REGION_TRANSITION}
                : new CompressedStoreWriter.Handling[] {plain, plain, plain, plain, plain, plain, plain, plain,
                    CompressedStoreWriter.Handling.REGION_PAGED_OUT, CompressedStoreWriter.Handling.REGION_PAGED_OUT,
                    CompressedStoreWriter.Handling.REGION_PAGED_OUT, CompressedStoreWriter.Handling.MOVED};
        long va = 0x0000020000000000L + 0x10000L * random.nextInt(0x10000);
        Random content = new Random(options.seed() ^ va);
        for (int i = 0; i < plan.length; i++) {
            long page = va + i * 4096L;
            byte[] bytes = new byte[4096];
            if (lsass && i == 1) {
                // a page of zeros: the store keeps no data for it
            } else if (lsass && i == 2) {
                content.nextBytes(bytes); // incompressible: stored raw
            } else {
                bytes = heapPage(p.name, page, content);
            }
            machine.store.page(p.space, p.pid, page, bytes, 4, (i & 1) == 0, lsass ? 0 : 1, plan[i]);
            p.outOfRam.put(page, bytes);
        }
        p.vadRanges.add(new long[] {va, va + plan.length * 4096L - 1, 4, 0, 1, plan.length});
        p.vadFiles.add(null);
        int bulk = options.compressedPages();
        if (!lsass && bulk > 0) {
            long start = va + 0x100000;
            machine.store.bulk(p.space, p.pid, start, bulk, 4);
            p.vadRanges.add(new long[] {start, start + bulk * 4096L - 1, 4, 0, 1, bulk});
            p.vadFiles.add(null);
        }
    }

    /** A page of heap entries: a length, then a UTF-16 string naming the owner, the address and a number. */
    static byte[] heapPage(String owner, long va, Random random) {
        byte[] page = new byte[4096];
        int at = 0;
        while (at + 16 < 4096) {
            byte[] s = Le.utf16(owner + " heap 0x" + Long.toHexString(va + at) + " entry " + random.nextInt(10000)
                    + "\0");
            Le.put(page, at, s.length, 4);
            System.arraycopy(s, 0, page, at + 16, Math.min(s.length, 4096 - at - 16));
            at += 16 + ((s.length + 0xf) & ~0xf);
        }
        return page;
    }

    /** Gives one process pages whose PTEs are invalid in each of the ways translation must handle. */
    void placeInvalidPtes(PlacedProcess p) {
        long va = 0x0000000070000000L + 0x100000L * random.nextInt(0x100);
        int protection = 4; // read-write
        byte[] marker = marker("TRANSITION");
        long frame = memory.allocateFrame();
        memory.write(frame, marker);
        p.space.setPte(va, pte.transition(frame, protection));
        pteSamples.add(new ImageSynthesizer.PteSample(p.pid, p.space.dtb(), va, "transition", frame, -1, -1, marker));

        p.space.setPte(va + 0x1000, pte.demandZero(protection));
        pteSamples.add(new ImageSynthesizer.PteSample(p.pid, p.space.dtb(), va + 0x1000, "demand-zero", -1, -1, -1,
                new byte[16]));

        long pageInFile = 1 + random.nextInt(200);
        byte[] paged = new byte[4096];
        System.arraycopy(marker("PAGEFILE"), 0, paged, 0, 16);
        pagefile.put(pageInFile * 4096, paged);
        p.space.setPte(va + 0x2000, pte.software(0, pageInFile, protection, true));
        pteSamples.add(new ImageSynthesizer.PteSample(p.pid, p.space.dtb(), va + 0x2000, "pagefile", -1, 0,
                pageInFile * 4096,
                marker("PAGEFILE")));

        long pageInFile2 = pageInFile + 1 + random.nextInt(50);
        p.space.setPte(va + 0x3000, pte.software(0, pageInFile2, protection, false));
        byte[] paged2 = new byte[4096];
        System.arraycopy(marker("PAGEFILE-UNSWZ"), 0, paged2, 0, 16);
        pagefile.put(pageInFile2 * 4096, paged2);
        pteSamples.add(new ImageSynthesizer.PteSample(p.pid, p.space.dtb(), va + 0x3000, "pagefile", -1, 0,
                pageInFile2 * 4096,
                marker("PAGEFILE-UNSWZ")));

        long protoFrame = memory.allocateFrame();
        byte[] protoMarker = marker("PROTOTYPE");
        memory.write(protoFrame, protoMarker);
        long protoPteVa = machine.poolAlloc(8);
        kernel.writeLong(protoPteVa, protoFrame | 0x121);
        p.space.setPte(va + 0x4000, pte.prototype(protoPteVa));
        pteSamples.add(new ImageSynthesizer.PteSample(p.pid, p.space.dtb(), va + 0x4000, "prototype", protoFrame, -1,
                -1,
                protoMarker));
        p.vadRanges.add(new long[] {va, va + 0x4fff, 4, 0, 1, 5});
        p.vadFiles.add(null);
    }

    static byte[] marker(String what) {
        byte[] m = new byte[16];
        byte[] b = what.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, m, 0, Math.min(16, b.length));
        return m;
    }

    static final long VAD_PROTOTYPE_MARKER = 0xFFFFFFFF0000L;

    /**
     * Maps a process's executable as a real PE image: headers, then .text, .rdata and .data with
     * content of their own, section alignment 0x1000. Its prototype PTEs go into a pool array the
     * image VAD points at. For notepad.exe some pages are not resident: two .text pages paged out to
     * pagefile.sys (one swizzled, one not), the first .rdata page in transition, the second found only
     * through the VAD, with {@link SynthOptions#swapfile()} the first .data page in swapfile.sys, and
     * with a compressed store the pages {@link #compressedImageHandling} names in the store.
     */
    void writeExecutable(PlacedProcess p, long base, int size, String name, int entry) {
        int pages = size >>> 12;
        int text = Math.max(4, (pages - 1) / 2);
        int rdata = Math.max(2, (pages - 1 - text) / 2);
        int data = pages - 1 - text - rdata;
        PeImageBuilder pe = new PeImageBuilder(base).moduleName(name, false)
                .timeDateStamp((int) (0x50000000L + (p.pid * 0x9E3779B1L & 0x1FFFFFFFL)))
                .section(".text", 0x1000, text << 12, PeImageBuilder.CODE)
                .section(".rdata", (1 + text) << 12, rdata << 12, PeImageBuilder.RDATA)
                .section(".data", (1 + text + rdata) << 12, data << 12, PeImageBuilder.DATA)
                .entryPoint(entry).sizeOfImage(size);
        byte[] image = new byte[size];
        System.arraycopy(pe.headers(), 0, image, 0, 0x1000);
        TimeWriter.linked(machine, p.pid, name, base, pe.timeDateStamp());
        Random content = new Random(options.seed() * 0x9E3779B97F4A7C15L ^ p.pid);
        for (int k = 1; k < pages; k++) {
            String section = k <= text ? ".text" : k <= text + rdata ? ".rdata" : ".data";
            int first = section.equals(".text") ? 1 : section.equals(".rdata") ? 1 + text : 1 + text + rdata;
            byte[] label = (name + " " + section + " page " + (k - first) + "\0").getBytes(StandardCharsets.US_ASCII);
            int at = k << 12;
            switch (section) {
                case ".text" -> {
                    byte[] code = new byte[4096];
                    content.nextBytes(code);
                    System.arraycopy(code, 0, image, at, 4096);
                }
                case ".rdata" -> {
                    byte[] line = ("string " + content.nextInt(1 << 20) + " of " + name + ";").getBytes(
                            StandardCharsets.US_ASCII);
                    for (int o = 0; o + line.length <= 4096; o += line.length) {
                        System.arraycopy(line, 0, image, at + o, line.length);
                    }
                }
                default -> {
                    for (int o = 0x100; o < 4096; o += 0x40) {
                        Le.put(image, at + o, content.nextLong(), 8);
                    }
                }
            }
            System.arraycopy(label, 0, image, at, label.length);
        }
        boolean notepad = p.name.equals("notepad.exe");
        boolean prototypes = machine.prototypesKnown();
        long[] protos = new long[pages];
        for (int k = 0; k < pages; k++) {
            long va = base + ((long) k << 12);
            byte[] page = java.util.Arrays.copyOfRange(image, k << 12, (k + 1) << 12);
            int protection = k == 0 ? 1 : k <= text ? 3 : k <= text + rdata ? 1 : 4;
            String kind = "ram";
            int slot = -1;
            long offset = -1;
            boolean viaVad = false;
            if (notepad && (k == 2 || k == 3)) {
                long pageInFile = Machine.freePagingFilePage(pagefile, 0x800, content);
                pagefile.put(pageInFile << 12, page);
                long raw = pte.software(0, pageInFile, protection, k == 2);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "pagefile";
                slot = 0;
                offset = pageInFile << 12;
            } else if (notepad && k == 1 + text) {
                long frame = memory.allocateFrame();
                memory.write(frame, page);
                long raw = pte.transition(frame, protection);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "transition";
            } else if (notepad && k == 2 + text && prototypes) {
                long frame = memory.allocateFrame();
                memory.write(frame, page);
                p.space.setPte(va, pte.prototype(VAD_PROTOTYPE_MARKER));
                protos[k] = frame | 0x121;
                viaVad = true;
            } else if (notepad && k == 1 + text + rdata && options.swapfile()) {
                long pageInFile = Machine.freePagingFilePage(swapfile, 0x10, content);
                swapfile.put(pageInFile << 12, page);
                long raw = pte.software(1, pageInFile, protection, true);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "pagefile";
                slot = 1;
                offset = pageInFile << 12;
            } else if (notepad && machine.store != null && compressedImageHandling(k, text, rdata) != null) {
                boolean swizzled = k == 4 || k == 3 + text;
                long raw = machine.store.page(p.space, p.pid, va, page, protection, swizzled, 0,
                        compressedImageHandling(k,
                        text, rdata));
                protos[k] = raw;
                kind = "compressed";
                slot = CompressedStoreWriter.VIRTUAL_STORE_SLOT;
            } else {
                p.space.write(va, page);
                protos[k] = (p.space.translate(va) & ~0xfffL) | 0x121;
            }
            p.imagePages.add(new SynthTruth.ImagePage(name, va, kind, slot, offset, viaVad, Sha256.hex(page)));
            p.sections.put(va, k == 0 ? "(headers)" : k <= text ? ".text" : k <= text + rdata ? ".rdata" : ".data");
            if (!kind.equals("ram") || viaVad) {
                p.outOfRam.put(va, page);
            }
        }
        p.imageSha256 = Sha256.hex(image);
        if (prototypes) {
            p.prototypes.put(base, new long[] {prototypeArray(protos), pages});
        }
    }

    /**
     * Which pages of notepad.exe's image are held in the compressed store (none of them already paged
     * out, in transition or found through the VAD): .text pages 4 and 5, .rdata page 2 (through a
     * moved record) and .data page 1.
     */
    static CompressedStoreWriter.Handling compressedImageHandling(int k, int text, int rdata) {
        if (k == 4 || k == 5 || k == 2 + text + rdata) {
            return CompressedStoreWriter.Handling.PLAIN;
        }
        return k == 3 + text ? CompressedStoreWriter.Handling.MOVED : null;
    }

    /**
     * Gives a shared DLL of notepad.exe (ntdll.dll) a code page whose PTE only says "look in the VAD"
     * (PageFileHigh 0xFFFFFFFF, not swizzled): its prototype PTE, valid, sits in the array the DLL's
     * VAD points at.
     */
    void sharedPageThroughVad(PlacedProcess p, long base, int size, String name) {
        int pages = size >>> 12;
        long[] protos = new long[pages];
        protos[0] = (p.space.translate(base) & ~0xfffL) | 0x121;
        byte[] page = new byte[4096];
        new Random(options.seed() ^ base).nextBytes(page);
        byte[] label = (name + " .text page 0\0").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, page, 0, label.length);
        long frame = memory.allocateFrame();
        memory.write(frame, page);
        protos[1] = frame | 0x121;
        p.space.setPte(base + 0x1000, pte.software(0, 0xFFFFFFFFL, 3, false));
        p.prototypes.put(base, new long[] {prototypeArray(protos), pages});
        p.imagePages.add(new SynthTruth.ImagePage(name, base + 0x1000, "ram", -1, -1, true, Sha256.hex(page)));
        p.outOfRam.put(base + 0x1000, page);
        if (pages > 2 && machine.fileTypesKnown() && profile.has("_SUBSECTION", "SubsectionBase")) {
            // page 2 is not in memory at all: its prototype PTE points at the file's subsection (set once
            // the subsection exists), so only the file's name and offset can be said
            p.space.setPte(base + 0x2000, pte.software(0, 0xFFFFFFFFL, 3, false));
            p.fileBacked.put(base, 2);
            p.imagePages.add(new SynthTruth.ImagePage(name, base + 0x2000, "file", -1, 0x2000, true, null));
        }
    }

    /** Writes a prototype PTE array to pool memory and returns its address. */
    long prototypeArray(long[] entries) {
        byte[] b = new byte[entries.length * 8];
        for (int i = 0; i < entries.length; i++) {
            Le.put(b, i * 8, entries[i], 8);
        }
        long va = machine.poolAlloc(b.length);
        kernel.write(va, b);
        return va;
    }

    static List<SynthTruth.Process> truth(List<PlacedProcess> procs) {
        List<SynthTruth.Process> out = new ArrayList<>();
        for (PlacedProcess p : procs) {
            out.add(new SynthTruth.Process(p.pid, p.ppid, p.name, p.eprocess, p.space.dtb(), p.createFileTime,
                    Machine.fromFileTime(p.createFileTime), p.exitFileTime, p.peb, p.threads, p.commandLine,
                            p.imagePath,
                    p.imageBase, p.currentDirectory, p.environment, p.environmentPagefileOffset,
                    List.copyOf(p.modules), List.copyOf(p.vads), p.imageSha256, List.copyOf(p.imagePages)));
        }
        return List.copyOf(out);
    }
}
