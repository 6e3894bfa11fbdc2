package org.vestige.windows;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.FieldPath;

/**
 * The VAD-based lookup of prototype PTEs: for a user page whose PTE only says "look in the VAD", the
 * VAD covering it (from {@link VadWalker}) gives the prototype PTE array of its mapped section —
 * {@code _MMVAD.FirstPrototypePte}, or {@code Subsection → SubsectionBase} where the profile has no
 * FirstPrototypePte — and the entry is at {@code array + ((va − start) >> 12) × 8}, read through the
 * kernel address space by the {@link X64Translator}. A process's VAD tree is walked on its first lookup
 * and kept. Private VADs have no prototype PTEs and answer -1. Thread-safe.
 *
 * @since 0.1
 */
public final class VadPrototypes implements VadPrototypeSource {

    private final X64Layer kernel;
    private final VadWalker walker;
    private final MemoryReader reader;
    private final int firstPrototypePte;
    private final int subsection;
    private final int subsectionBase;
    private final Map<Long, Long> processes = new ConcurrentHashMap<>();
    private final Map<Long, List<Range>> trees = new ConcurrentHashMap<>();

    /** One mapped-section VAD and where its prototype PTEs start (0 when it has none). */
    private record Range(long start, long end, long prototypes) {
    }

    /**
     * @param kernel the kernel address space (VADs and prototype PTEs live in kernel memory)
     * @throws java.util.NoSuchElementException naming the VAD field the profile lacks
     */
    public VadPrototypes(X64Layer kernel, Profile profile) {
        this.kernel = Objects.requireNonNull(kernel);
        this.walker = new VadWalker(kernel, profile);
        this.reader = new MemoryReader(kernel);
        this.firstPrototypePte = FieldPath.offsetOrMinus1(profile, "_MMVAD", "FirstPrototypePte");
        this.subsection = FieldPath.offsetOrMinus1(profile, "_MMVAD", "Subsection");
        this.subsectionBase = FieldPath.offsetOrMinus1(profile, "_SUBSECTION", "SubsectionBase");
    }

    /** Creates the lookup and plugs it into the kernel's translator, shared by every process address space. */
    public static VadPrototypes install(X64Layer kernel, Profile profile) {
        VadPrototypes v = new VadPrototypes(kernel, profile);
        kernel.translator().setVadPrototypes(v);
        return v;
    }

    /** Makes the VAD tree of the process at {@code eprocess} the one consulted for address space {@code dtb}. */
    public void add(long dtb, long eprocess) {
        Long old = processes.put(dtb, eprocess);
        if (old != null && old != eprocess) {
            trees.remove(dtb);
        }
    }

    @Override
    public long prototypePteAddress(long dtb, long va) {
        Long eprocess = processes.get(dtb);
        if (eprocess == null) {
            return -1;
        }
        List<Range> ranges = trees.computeIfAbsent(dtb, d -> ranges(eprocess));
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = ranges.get(mid);
            if (Long.compareUnsigned(va, r.start) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(va, r.end) > 0) {
                lo = mid + 1;
            } else {
                return r.prototypes == 0 ? -1 : r.prototypes + ((va - r.start) >>> 12) * 8;
            }
        }
        return -1;
    }

    private List<Range> ranges(long eprocess) {
        VadList list = walker.walk(eprocess);
        return list.vads().stream().filter(v -> !v.privateMemory()).map(v -> new Range(v.start(), v.end(),
                prototypes(v.node()))).toList();
    }

    /** @return the first prototype PTE of a mapped-section VAD, or 0 */
    private long prototypes(long node) {
        if (firstPrototypePte >= 0) {
            long first = reader.qword(node + firstPrototypePte, "_MMVAD.FirstPrototypePte").orElse(0L);
            if (first != 0) {
                return first;
            }
        }
        if (subsection < 0 || subsectionBase < 0) {
            return 0;
        }
        long ss = reader.qword(node + subsection, "_MMVAD.Subsection").orElse(0L);
        return ss == 0 || ss > 0 ? 0 : reader.qword(ss + subsectionBase, "_SUBSECTION.SubsectionBase").orElse(0L);
    }

    /** @return the kernel address space the VADs are read from */
    public X64Layer kernel() {
        return kernel;
    }
}
