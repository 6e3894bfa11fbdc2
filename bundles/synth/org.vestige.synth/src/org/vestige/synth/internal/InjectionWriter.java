package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.vestige.synth.MalfindTruth;
import org.vestige.synth.SynthTruth;

/**
 * Plants what injection and process hollowing leave in memory. In explorer.exe, a PE (MZ and PE headers, a
 * .text page of x86-64 code, a .data page) written twice into private PAGE_EXECUTE_READWRITE allocations:
 * one copy resident, the other with every page in the memory-compression store (in pagefile.sys when the
 * image has no store). In the last svchost.exe, the classic hollowing: the executable's image mapping is
 * gone and its range is private PAGE_EXECUTE_READWRITE memory holding another PE, while the PEB, its
 * loader list and {@code _EPROCESS.ImageFileName} still say svchost.exe; in the one before it (when the
 * profile can name mapped files) the image VAD maps a different file than the PEB names. In explorer.exe's
 * own image, an inline hook: the first .text page is the process's own copy (copy-on-write) whose bytes
 * jump to the resident injected copy, while the image's prototype PTE still maps the unchanged page.
 * Afterwards it records every executable private region of every process with its first bytes and where
 * each page is, and the changed image page.
 */
final class InjectionWriter {

    /** MM protection index of PAGE_EXECUTE_READWRITE. */
    static final int EXECUTE_READWRITE = 6;
    private static final String HOST = "explorer.exe";
    private static final String HOLLOWED = "svchost.exe";
    /** The file the masquerading svchost.exe's image VAD maps. */
    static final String OTHER_FILE = "\\Windows\\Temp\\svchost.exe";
    private static final int PAYLOAD_PAGES = 3;
    /**
     * x86-64 code of the payload's entry: mov [rsp+8], rbx; push rdi; sub rsp, 0x20; mov rdi, rcx;
     * lea rcx, [rip+0x10]; call [rip+2]; jmp +8; (8-byte pointer); mov rbx, [rsp+0x30]; add rsp, 0x20;
     * pop rdi; ret (encodings from the Intel SDM, volume 2).
     */
    private static final byte[] CODE = HexFormat.of().parseHex("48895c240857" + "4883ec20" + "488bf9"
            + "488d0d10000000" + "ff1502000000" + "eb08" + "0000000000000000" + "488b5c2430" + "4883c420" + "5f"
            + "c3");

    private final Machine machine;
    /** the kind of each page of the stored copy placed outside RAM, by virtual address */
    private final Map<Long, String> placed = new HashMap<>();
    private final List<MalfindTruth.Hollowed> hollowed = new ArrayList<>();
    private final List<MalfindTruth.Patch> patches = new ArrayList<>();

    InjectionWriter(Machine machine) {
        this.machine = machine;
    }

    /**
     * Plants the injected copies and the hollowed processes; call after the user spaces are populated and
     * before the compressed store and the VAD trees are written. Does nothing without plants.
     */
    void plant(List<PlacedProcess> procs) {
        if (!machine.options.plants()) {
            return;
        }
        PlacedProcess host = procs.stream().filter(p -> p.name.equals(HOST) && p.user && !p.modules.isEmpty())
                .findFirst().orElseThrow();
        long resident = machine.modern() ? 0x0000025000000000L + 0x10000L * machine.random.nextInt(0x10000)
                : 0x0000000005000000L + 0x10000L * machine.random.nextInt(0x100);
        long stored = resident + 0x100000L * (1 + machine.random.nextInt(0x100));
        for (int copy = 0; copy < 2; copy++) {
            long base = copy == 0 ? resident : stored;
            byte[][] pages = payload(base, "inject.dll", true);
            for (int i = 0; i < pages.length; i++) {
                long va = base + i * 4096L;
                if (copy == 0) {
                    host.space.write(va, pages[i]);
                } else {
                    outOfRam(host, va, pages[i]);
                }
            }
            host.vadRanges.add(new long[] {base, base + pages.length * 4096L - 1, EXECUTE_READWRITE, 0, 1,
                pages.length});
            host.vadFiles.add(null);
        }
        if (machine.prototypesKnown() && host.prototypes.containsKey(host.imageBase)) {
            hook(host, resident + 0x1000);
        }
        List<PlacedProcess> svchosts = procs.stream().filter(p -> p.name.equals(HOLLOWED) && p.user && !p.modules
                .isEmpty()).toList();
        if (!svchosts.isEmpty()) {
            hollow(svchosts.get(svchosts.size() - 1));
        }
        if (svchosts.size() > 1 && machine.fileTypesKnown()) {
            PlacedProcess p = svchosts.get(svchosts.size() - 2);
            int i = exeVad(p);
            p.vadFiles.set(i, OTHER_FILE);
            hollowed.add(new MalfindTruth.Hollowed(p.pid, p.name, p.imageBase, "file", OTHER_FILE));
        }
    }

    /** Where in its .text page the hook is written. */
    private static final int HOOK_OFFSET = 0x80;

    /**
     * Gives the process its own copy of its executable's first .text page with an inline hook at
     * {@link #HOOK_OFFSET}: mov rax, target; jmp rax (encodings from the Intel SDM, volume 2). The image's
     * prototype PTE keeps mapping the unchanged page, as copy-on-write leaves it.
     */
    private void hook(PlacedProcess p, long target) {
        long va = p.imageBase + 0x1000;
        byte[] original = page(p, va);
        byte[] patched = original.clone();
        byte[] code = HexFormat.of().parseHex("48b8" + "0000000000000000" + "ffe0");
        for (int i = 0; i < 8; i++) {
            code[2 + i] = (byte) (target >>> (8 * i));
        }
        System.arraycopy(code, 0, patched, HOOK_OFFSET, code.length);
        long frame = machine.memory.allocateFrame();
        machine.memory.write(frame, patched);
        p.space.map(va, frame, 4096);
        long[] r = p.vadRanges.get(exeVad(p));
        byte[] image = new byte[(int) (r[1] - r[0] + 1)];
        List<SynthTruth.ImagePage> updated = new ArrayList<>();
        for (SynthTruth.ImagePage g : p.imagePages) {
            boolean changed = g.va() == va;
            updated.add(changed ? new SynthTruth.ImagePage(g.module(), g.va(), g.kind(), g.slot(), g.fileOffset(), g
                    .viaVad(), Sha256.hex(patched)) : g);
        }
        for (long at = r[0]; at <= r[1]; at += 4096) {
            System.arraycopy(page(p, at), 0, image, (int) (at - r[0]), 4096);
        }
        p.imagePages = updated;
        p.imageSha256 = Sha256.hex(image);
        int at = Math.min(java.util.Arrays.mismatch(original, patched), 4096 - 64);
        String file = p.vadFiles.get(exeVad(p));
        patches.add(new MalfindTruth.Patch(p.pid, p.name, file.substring(file.lastIndexOf('\\') + 1), p.sections
                .get(va), va, va + 0xfff, va + at, HexFormat.of().formatHex(patched, at, at + 64)));
    }

    /** Puts a page of the stored copy into the compressed store, or pagefile.sys when there is none. */
    private void outOfRam(PlacedProcess p, long va, byte[] page) {
        if (machine.store != null) {
            machine.store.page(p.space, p.pid, va, page, EXECUTE_READWRITE, (va & 0x1000) == 0, 1,
                    CompressedStoreWriter.Handling.PLAIN);
            placed.put(va, "compressed");
        } else {
            long n = Machine.freePagingFilePage(machine.pagefile, 0xE00, machine.random);
            machine.pagefile.put(n << 12, page.clone());
            p.space.setPte(va, machine.pte.software(0, n, EXECUTE_READWRITE, true));
            placed.put(va, "pagefile");
        }
        p.outOfRam.put(va, page);
    }

    /**
     * Replaces the executable's image mapping with private RWX memory holding another PE over the same
     * range; the PEB and the loader list are left as they were.
     */
    private void hollow(PlacedProcess p) {
        int i = exeVad(p);
        long[] r = p.vadRanges.get(i);
        long pages = (r[1] - r[0] + 1) >>> 12;
        byte[][] payload = payload(r[0], "hollow.exe", false);
        for (int k = 0; k < payload.length; k++) {
            p.space.write(r[0] + k * 4096L, payload[k]);
        }
        TimeWriter.linked(machine, p.pid, "hollow.exe", r[0], TimeWriter.dllStamp(machine.options.seed(),
                "hollow.exe"));
        p.vadRanges.set(i, new long[] {r[0], r[1], EXECUTE_READWRITE, 0, 1, pages});
        p.vadFiles.set(i, null);
        p.prototypes.remove(r[0]);
        byte[] image = new byte[(int) (pages << 12)];
        List<SynthTruth.ImagePage> updated = new ArrayList<>();
        for (SynthTruth.ImagePage g : p.imagePages) {
            if (g.va() >= r[0] && g.va() <= r[1]) {
                byte[] page = page(p, g.va());
                System.arraycopy(page, 0, image, (int) (g.va() - r[0]), 4096);
                updated.add(new SynthTruth.ImagePage(g.module(), g.va(), g.kind(), g.slot(), g.fileOffset(), g
                        .viaVad(), Sha256.hex(page)));
            } else {
                updated.add(g);
            }
        }
        p.imagePages = updated;
        p.imageSha256 = Sha256.hex(image);
        hollowed.add(new MalfindTruth.Hollowed(p.pid, p.name, p.imageBase, "private", null));
    }

    /** @return the index of the executable's image VAD among the process's VADs to place */
    private static int exeVad(PlacedProcess p) {
        for (int i = 0; i < p.vadRanges.size(); i++) {
            long[] r = p.vadRanges.get(i);
            if (r[0] == p.imageBase && r[3] == 2) {
                return i;
            }
        }
        throw new IllegalStateException(p.name + " has no image VAD at " + Long.toHexString(p.imageBase));
    }

    /** @return the pages of a small PE: headers, a .text page starting with {@link #CODE}, a .data page */
    private byte[][] payload(long base, String name, boolean dll) {
        PeImageBuilder pe = new PeImageBuilder(base).moduleName(name, dll).timeDateStamp(TimeWriter.dllStamp(
                machine.options.seed(), name)).section(".text", 0x1000, 0x1000,
                PeImageBuilder.CODE).section(".data", 0x2000, 0x1000, PeImageBuilder.DATA).entryPoint(0x1000)
                .sizeOfImage(PAYLOAD_PAGES << 12);
        byte[][] pages = new byte[PAYLOAD_PAGES][4096];
        byte[] headers = pe.headers();
        System.arraycopy(headers, 0, pages[0], 0, Math.min(4096, headers.length));
        System.arraycopy(CODE, 0, pages[1], 0, CODE.length);
        machine.random.nextBytes(pages[2]);
        return pages;
    }

    /** @return the true bytes of a page of a process */
    private byte[] page(PlacedProcess p, long va) {
        long pa = p.space.translate(va);
        if (pa >= 0) {
            return machine.memory.readPage(pa & ~0xfffL);
        }
        byte[] b = p.outOfRam.get(va);
        return b != null ? b : new byte[4096];
    }

    /**
     * Every executable private VAD of every process with the first bytes and where each page is (a region
     * holds a PE exactly when the synthesizer wrote one: its first page begins with MZ); call after
     * the VAD trees are written.
     */
    MalfindTruth truth(List<PlacedProcess> procs) {
        List<MalfindTruth.Region> regions = new ArrayList<>();
        for (PlacedProcess p : procs) {
            for (SynthTruth.Vad v : p.vads) {
                // every executable private allocation the synthesizer makes is PAGE_EXECUTE_READWRITE
                if (!v.privateMemory() || v.protection() != EXECUTE_READWRITE) {
                    continue;
                }
                List<String> kinds = new ArrayList<>();
                for (long va = v.start(); Long.compareUnsigned(va, v.end()) < 0; va += 4096) {
                    kinds.add(p.space.translate(va) >= 0 ? "ram" : placed.getOrDefault(va, "none"));
                }
                byte[] first = page(p, v.start());
                regions.add(new MalfindTruth.Region(p.pid, p.name, v.start(), v.end(), v.protection(),
                        v.commitCharge(), first[0] == 'M' && first[1] == 'Z', HexFormat.of().formatHex(first, 0, 64),
                        kinds));
            }
        }
        return new MalfindTruth(regions, hollowed, patches);
    }

}
