package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;

/**
 * Finds kernel loader entries anywhere in physical memory (modscan): every pool block tagged 'MmLd' whose
 * body is a {@code _KLDR_DATA_TABLE_ENTRY} (or {@code _LDR_DATA_TABLE_ENTRY} where the profile has no kernel
 * variant) with a plausible DllBase and SizeOfImage, each marked by whether {@code PsLoadedModuleList} links
 * it. An entry's virtual address is the listed entry's that translates to it, else the one its
 * InLoadOrderLinks give — the Blink of the entry its Flink leads to, or its own links when they point at
 * itself, as an unlinked entry's often do — confirmed by translation. Its names are read through the kernel
 * address space; a name whose pointer is wild is a warning naming the entry.
 *
 * <p>Facts: the memory manager allocates each kernel loader entry from pool with tag 'MmLd', directly behind
 * the pool header (M. H. Ligh, A. Case, J. Levy, A. Walters, "The Art of Memory Forensics", 2014, ch. 13
 * "Kernel Forensics and Rootkits", "Kernel Modules").
 *
 * @since 0.1
 */
public final class ModuleScanner {

    private static final int MMLD = 0x644C6D4D; // 'MmLd'

    private final PoolScanner pool;
    private final X64Layer kernel;
    private final ModuleWalker walker;
    private final int links;

    /**
     * @param physical the physical address space
     * @param kernel   the kernel address space (to recover and confirm virtual addresses, and read names)
     * @param profile  the kernel's profile
     * @throws java.util.NoSuchElementException naming the entry field the profile lacks
     */
    public ModuleScanner(Layer physical, X64Layer kernel, Profile profile) {
        this.pool = new PoolScanner(physical, MMLD, "loader entries");
        this.kernel = Objects.requireNonNull(kernel);
        this.walker = ModuleWalker.kernel(kernel, profile);
        this.links = walker.loadOrderLinks();
    }

    /**
     * Scans all of physical memory with {@code threads} workers, reporting the bytes scanned.
     *
     * @param listed the walk of PsLoadedModuleList the entries found are checked against
     * @return the loader entries in physical address order, and the blocks tagged 'MmLd' that hold none, and
     *         entries with wild name pointers
     * @throws CancellationException when {@code progress} is cancelled
     */
    public PoolScanner.Result<ScannedModule> scan(int threads, ScanProgress progress, ModuleList listed) {
        Map<Long, Long> byPhysical = new HashMap<>();
        for (WinModule m : listed.modules()) {
            put(byPhysical, m.entry());
        }
        listed.rejected().forEach(e -> put(byPhysical, e));
        return pool.scan(0, pool.physical().size(), threads, progress, (header, found, warnings) -> candidate(header,
                found, warnings, byPhysical));
    }

    private void put(Map<Long, Long> byPhysical, long va) {
        long pa = kernel.translate(va);
        if (pa >= 0) {
            byPhysical.put(pa, va);
        }
    }

    private void candidate(long header, List<ScannedModule> found, List<String> warnings, Map<Long, Long> listed) {
        long body = header + 0x10;
        byte[] b = new byte[walker.entrySize()];
        if ((body & 0xfff) + b.length > 0x1000 || pool.physical().read(body, b, 0, b.length) != b.length) {
            warnings.add("pool block at physical " + hex(header) + " tagged 'MmLd' holds no readable "
                    + walker.entryType() + " (it crosses a page or leaves the image)");
            return;
        }
        String problem = walker.problem(b);
        if (problem != null) {
            warnings.add("pool block at physical " + hex(header) + " tagged 'MmLd' holds no plausible "
                    + walker.entryType() + " (at physical " + hex(body) + ": " + problem + ")");
            return;
        }
        Long known = listed.get(body);
        long va = known != null ? known : virtualAddress(body, b);
        WinModule m = walker.decode(va, b);
        String wild = wild(m);
        if (wild != null) {
            warnings.add(walker.entryType() + " at physical " + hex(body) + (va != 0 ? " (" + hex(va) + ")" : "")
                    + " has wild pointers: " + wild);
        }
        found.add(new ScannedModule(body, header, m, known != null));
    }

    /** @return the entry's virtual address from its InLoadOrderLinks, confirmed by translation, or 0 */
    private long virtualAddress(long body, byte[] b) {
        long self = EmptyListHeads.virtualAddress(kernel, body, b, b.length, new int[] {links});
        if (self != 0) {
            return self;
        }
        long flink = Bytes.u64(b, links);
        if (flink < 0 && X64Translator.canonical(flink) && kernel.translate(flink + 8) >= 0) {
            byte[] back = new byte[8];
            if (kernel.read(flink + 8, back, 0, 8) == 8) {
                return EmptyListHeads.confirm(kernel, Bytes.u64(back, 0) - links, body);
            }
        }
        return 0;
    }

    private static String wild(WinModule m) {
        String full = FileObjects.wild(m.fullName()) ? "FullDllName: " + m.fullName().reason() : null;
        String base = FileObjects.wild(m.baseName()) ? "BaseDllName: " + m.baseName().reason() : null;
        return full == null ? base : base == null ? full : full + "; " + base;
    }
}
