package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;

/**
 * Gives every process its threads as the kernel keeps them: an {@code _ETHREAD} object per thread in pool
 * memory, linked both on {@code _EPROCESS.ThreadListHead} (through {@code _ETHREAD.ThreadListEntry}) and
 * on {@code _KPROCESS.ThreadListHead} (through {@code _KTHREAD.ThreadListEntry}), with {@code Cid},
 * {@code StartAddress}, {@code Win32StartAddress}, {@code CreateTime} and {@code Tcb.State} written. A user
 * thread starts in ntdll.dll's thread-start routine and its Win32 start address lies in the executable (the
 * first thread at its entry point) or a DLL; a thread of a process without user modules (System, Registry,
 * MemCompression) starts in a kernel module. It also plants what memory forensics looks for: in
 * explorer.exe, a DLL mapped as an image but on none of the PEB's loader lists, and a thread whose Win32
 * start address lies in a private PAGE_EXECUTE_READWRITE allocation (only with {@link
 * org.vestige.synth.SynthOptions#plants()}). Any thread whose Win32 start address lies in private memory —
 * that one, and a hollowed process's first thread — is recorded as planted with its VAD.
 *
 * <p>Thread states are {@code KTHREAD_STATE} values (Ready 1, Running 2, Waiting 5; Microsoft's names from
 * the kernel's public symbols, as tabulated by Geoff Chappell, "KTHREAD_STATE").
 */
final class ThreadWriter {

    static final long TAG_THREAD = 0x65726854L; // 'Thre'
    /** MM protection index of PAGE_EXECUTE_READWRITE. */
    private static final int EXECUTE_READWRITE = 6;
    private static final int READY = 1;
    private static final int RUNNING = 2;
    private static final int WAITING = 5;
    private static final String HOST = "explorer.exe";
    static final String HIDDEN_DLL = "\\Windows\\Temp\\igfxext64.dll";

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final Random random;
    /** the private RWX allocation the planted thread starts in: {start, end}, or null before planting */
    private long[] injected;
    private PlacedProcess host;

    ThreadWriter(Machine machine) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
        this.random = machine.random;
    }

    /**
     * Maps the hidden DLL and the private RWX allocation into explorer.exe; call after the user spaces are
     * populated and before the VAD trees are written.
     */
    void plant(List<PlacedProcess> procs) {
        if (!machine.options.plants()) {
            return;
        }
        host = procs.stream().filter(p -> p.name.equals(HOST) && p.user && !p.modules.isEmpty()).findFirst()
                .orElseThrow();
        long end = 0;
        for (SynthTruth.Module m : host.modules) {
            end = Math.max(end, m.base() + m.size());
        }
        long base = ((end + 0xfffff) & ~0xffffL) + 0x10000L * random.nextInt(0x40);
        int size = 0x30000;
        PeImageBuilder pe = new PeImageBuilder(base).moduleName("igfxext64.dll", true).section(".text", 0x1000,
                size - 0x2000, PeImageBuilder.CODE).entryPoint(0x1200).sizeOfImage(size);
        host.space.write(base, pe.headers());
        host.vadRanges.add(new long[] {base, base + size - 1, 7, 2, 0, 0});
        host.vadFiles.add(HIDDEN_DLL);

        long va = machine.modern() ? 0x0000018000000000L + 0x10000L * random.nextInt(0x10000) : 0x0000000004000000L
                + 0x10000L * random.nextInt(0x100);
        byte[] code = new byte[4096];
        random.nextBytes(code);
        host.space.write(va, code);
        injected = new long[] {va, va + 0xffff};
        host.vadRanges.add(new long[] {va, va + 0xffff, EXECUTE_READWRITE, 0, 1, 1});
        host.vadFiles.add(null);
    }

    /**
     * Writes every process's threads and links its two thread lists; call after the _EPROCESSes (whose
     * list heads it overwrites) and the VAD trees are written.
     *
     * @param procs         the processes on the active list (the truth's images are theirs)
     * @param gone          the exited processes (no threads: their lists stay empty)
     * @param hidden        the processes hidden from the list (no threads, but ids no thread may take)
     * @param kernelModules the modules on PsLoadedModuleList, where kernel threads start
     */
    ThreadTruth write(List<PlacedProcess> procs, List<PlacedProcess> gone, List<PlacedProcess> hidden,
            List<SynthTruth.Module> kernelModules) {
        List<PlacedProcess> all = new ArrayList<>(procs);
        all.addAll(gone);
        Set<Long> ids = new HashSet<>();
        all.forEach(p -> ids.add(p.pid));
        // process and thread ids are handles of one CID table: no thread takes a process's id
        hidden.forEach(p -> ids.add(p.pid));
        List<ThreadTruth.Thread> threads = new ArrayList<>();
        int[] running = {0};
        for (PlacedProcess p : all) {
            if (p.threads > 0) {
                threads.addAll(threads(p, kernelModules, ids, running));
            }
        }
        return new ThreadTruth(threads, images(procs));
    }

    private List<ThreadTruth.Thread> threads(PlacedProcess p, List<SynthTruth.Module> kernelModules, Set<Long> ids,
            int[] running) {
        boolean user = p.user && !p.isolated && p.modules.size() > 1;
        long size = profile.requireStruct("_ETHREAD").size();
        long tag = machine.build < 9200 ? TAG_THREAD | 0x80000000L : TAG_THREAD; // protected before Windows 8
        // the loader's thread-start routine in ntdll.dll, where every user thread's StartAddress points
        SynthTruth.Module ntdll = user ? p.modules.get(1) : null;
        long userStart = user ? ntdll.base() + 0x1000 + 0x10L * random.nextInt(0x400) : 0;
        List<ThreadTruth.Thread> out = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        List<Long> kentries = new ArrayList<>();
        long clock = p.createFileTime;
        for (int i = 0; i < p.threads; i++) {
            long tid;
            do {
                tid = 4L * (50 + random.nextInt(20000));
            } while (!ids.add(tid));
            SynthTruth.Module startIn;
            long start;
            SynthTruth.Module win32In;
            long win32;
            if (user) {
                startIn = ntdll;
                start = userStart;
                win32In = i == 0 ? p.modules.get(0) : p.modules.get(random.nextInt(p.modules.size()));
                win32 = i == 0 ? win32In.entry() : inText(win32In);
            } else {
                startIn = i == 0 ? kernelModules.get(0) : kernelModules.get(random.nextInt(kernelModules.size()));
                start = inText(startIn);
                win32In = startIn;
                win32 = start;
            }
            if (p == host && i == p.threads - 1) {
                win32 = injected[0] + 0x40;
            }
            SynthTruth.Vad in = user ? privateVad(p, win32) : null;
            boolean planted = in != null;
            if (planted) {
                win32In = null;
            }
            int roll = random.nextInt(10);
            int state = roll < 7 ? WAITING : roll < 9 || running[0] >= 2 ? READY : RUNNING;
            running[0] += state == RUNNING ? 1 : 0;
            clock += i == 0 ? 0 : 1 + random.nextInt(50_000_000);
            long ethread = machine.objectAlloc(size, tag, "Thread");
            StructBuffer b = new StructBuffer(profile, "_ETHREAD");
            b.putIfPresent("Tcb.Header.Type", 6); // ThreadObject
            b.put("Cid.UniqueProcess", p.pid).put("Cid.UniqueThread", tid);
            b.put("StartAddress", start).put("Win32StartAddress", win32).put("CreateTime", clock);
            b.put("Tcb.State", state);
            b.putIfPresent("Tcb.Process", p.eprocess).putIfPresent("Tcb.ApcState.Process", p.eprocess);
            kernel.write(ethread, b.bytes());
            entries.add(ethread + b.offset("ThreadListEntry"));
            if (b.has("Tcb.ThreadListEntry")) {
                kentries.add(ethread + b.offset("Tcb.ThreadListEntry"));
            }
            out.add(new ThreadTruth.Thread(p.pid, tid, ethread, state, start, startIn.name(), win32, win32In == null
                    ? null : win32In.name(), clock, planted, planted ? in.start() : 0, planted ? in.end() : 0));
        }
        Machine.linkList(kernel, p.eprocess + profile.offset("_EPROCESS", "ThreadListHead"), entries);
        if (profile.has("_EPROCESS", "Pcb.ThreadListHead") && kentries.size() == entries.size()) {
            Machine.linkList(kernel, p.eprocess + profile.offset("_EPROCESS", "Pcb.ThreadListHead"), kentries);
        }
        return out;
    }

    /** @return the private VAD holding {@code va}, or null when it lies in none */
    private static SynthTruth.Vad privateVad(PlacedProcess p, long va) {
        for (SynthTruth.Vad v : p.vads) {
            if (v.privateMemory() && Long.compareUnsigned(va, v.start()) >= 0 && Long.compareUnsigned(va, v.end())
                    <= 0) {
                return v;
            }
        }
        return null;
    }

    /** @return a 16-byte aligned address in the module's code, past its headers */
    private long inText(SynthTruth.Module m) {
        return m.base() + 0x1000 + 0x10L * random.nextInt(Math.max(1, (m.size() - 0x2000) / 0x10));
    }

    /**
     * Every image VAD of every process with a PEB and the loader lists holding it: the process writer puts
     * every module on the load- and memory-order lists and all but the executable on the
     * initialization-order list; the hidden DLL is on none.
     */
    private static List<ThreadTruth.Image> images(List<PlacedProcess> procs) {
        List<ThreadTruth.Image> out = new ArrayList<>();
        for (PlacedProcess p : procs) {
            if (p.peb == 0 || p.isolated) {
                continue;
            }
            Set<Long> listed = new HashSet<>();
            p.modules.forEach(m -> listed.add(m.base()));
            long exe = p.modules.isEmpty() ? -1 : p.modules.get(0).base();
            for (SynthTruth.Vad v : p.vads) {
                if (v.vadType() == 2) {
                    boolean on = listed.contains(v.start());
                    out.add(new ThreadTruth.Image(p.pid, v.start(), v.fileName(), on, on && v.start() != exe, on, !on));
                }
            }
        }
        return out;
    }
}
