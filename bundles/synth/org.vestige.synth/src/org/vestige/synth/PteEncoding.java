package org.vestige.synth;

import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;

/**
 * Encodes invalid x64 PTEs (software, transition, prototype) with the bit fields a profile's
 * {@code _MMPTE_SOFTWARE}, {@code _MMPTE_TRANSITION} and {@code _MMPTE_PROTOTYPE} declare, the way
 * the memory manager writes them, including the InvalidPteMask swizzle of L1TF-mitigated kernels.
 *
 * @since 0.1
 */
public final class PteEncoding {

    private final Profile profile;
    private final long invalidPteMask;

    /** @param invalidPteMask the kernel's MiState.Hardware.InvalidPteMask (bit 45 on most machines) */
    public PteEncoding(Profile profile, long invalidPteMask) {
        this.profile = profile;
        this.invalidPteMask = invalidPteMask;
    }

    private long set(long pte, String struct, String field, long value) {
        Field f = profile.resolve(struct, field);
        TypeRef.Bitfield bf = (TypeRef.Bitfield) f.type();
        int pos = (int) f.offset() * 8 + bf.position();
        long mask = (bf.length() == 64 ? -1L : (1L << bf.length()) - 1) << pos;
        return (pte & ~mask) | ((value << pos) & mask);
    }

    private boolean swizzles() {
        return profile.has("_MMPTE_SOFTWARE", "SwizzleBit");
    }

    /**
     * A software PTE naming page {@code pageInFile} of paging file {@code pageFile}; with
     * {@code swizzled} the InvalidPteMask is applied (SwizzleBit clear), otherwise SwizzleBit is set.
     */
    public long software(int pageFile, long pageInFile, int protection, boolean swizzled) {
        long pte = set(0, "_MMPTE_SOFTWARE", "PageFileLow", pageFile);
        pte = set(pte, "_MMPTE_SOFTWARE", "Protection", protection);
        if (swizzles() && swizzled) {
            pte = set(pte, "_MMPTE_SOFTWARE", "PageFileHigh", pageInFile);
            return pte ^ invalidPteMask;
        }
        pte = set(pte, "_MMPTE_SOFTWARE", "PageFileHigh", pageInFile);
        return swizzles() ? set(pte, "_MMPTE_SOFTWARE", "SwizzleBit", 1) : pte;
    }

    /** A demand-zero PTE (committed, never touched). */
    public long demandZero(int protection) {
        return software(0, 0, protection, true);
    }

    /** A transition PTE for a page still in frame {@code pa}. */
    public long transition(long pa, int protection) {
        long pte = set(0, "_MMPTE_TRANSITION", "Transition", 1);
        pte = set(pte, "_MMPTE_TRANSITION", "Protection", protection);
        pte = set(pte, "_MMPTE_TRANSITION", "PageFrameNumber", pa >>> 12);
        return swizzles() ? pte | invalidPteMask : pte;
    }

    /** A PTE pointing at a prototype PTE at kernel address {@code protoVa}. */
    public long prototype(long protoVa) {
        long pte = set(0, "_MMPTE_PROTOTYPE", "Prototype", 1);
        return set(pte, "_MMPTE_PROTOTYPE", "ProtoAddress", protoVa & 0xffffffffffffL);
    }
}
