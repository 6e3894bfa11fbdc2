package org.vestige.windows;

import java.util.NoSuchElementException;

import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;

/**
 * Where the fields of an x64 page-table entry sit, as one kernel lays them out. Hardware (valid)
 * entries follow the architecture; invalid entries are software-defined and changed over time
 * (the L1TF updates of 2018 moved {@code PageFileLow} from bits 1–4 to bits 12–15 and added
 * {@code SwizzleBit}), even inside one build number. The layout is therefore read from the kernel's
 * profile ({@code _MMPTE_SOFTWARE}, {@code _MMPTE_TRANSITION}, {@code _MMPTE_PROTOTYPE},
 * {@code _MMPTE_HARDWARE}), never derived from a build number.
 *
 * @param pageFileLow     the page-file number field of a software PTE
 * @param pageFileHigh    the page offset (in pages) of a software PTE
 * @param swizzleBit      bit position of {@code SwizzleBit}, or -1 when the layout has none
 * @param prototypeBit    bit position of {@code Prototype}
 * @param transitionBit   bit position of {@code Transition}
 * @param transitionFrame the frame-number field of a transition PTE
 * @param protoAddress    the prototype-PTE address field of a prototype PTE
 * @param hardwareFrame   the frame-number field of a valid PTE
 * @param protection      the protection field of a software PTE
 * @param invalidPteMask  the kernel's {@code MiState.Hardware.InvalidPteMask}: bits set in invalid PTEs
 *                        that must be removed before decoding (bit 45 when unknown)
 * @param source          where the layout came from, for messages
 * @since 0.1
 */
public record PteLayout(Bits pageFileLow, Bits pageFileHigh, int swizzleBit, int prototypeBit, int transitionBit,
        Bits transitionFrame, Bits protoAddress, Bits hardwareFrame, Bits protection, long invalidPteMask,
        String source) {

    /** The usual InvalidPteMask of L1TF-mitigated kernels: bit 45. */
    public static final long DEFAULT_INVALID_PTE_MASK = 1L << 45;

    /**
     * A run of bits inside a 64-bit entry.
     *
     * @since 0.1
     */
    public record Bits(int position, int length) {

        public Bits {
            if (position < 0 || length <= 0 || position + length > 64) {
                throw new IllegalArgumentException("bit field " + position + "+" + length + " outside 64 bits");
            }
        }

        /** @return the field's value in {@code entry} */
        public long get(long entry) {
            return length == 64 ? entry : (entry >>> position) & ((1L << length) - 1);
        }

        /** @return the field's bits in place, as a mask over the entry */
        public long mask() {
            return (length == 64 ? -1L : (1L << length) - 1) << position;
        }
    }

    /**
     * A layout good enough for walking valid entries before the kernel's profile is known: the
     * architectural frame bits 12–47 and the pre-L1TF software layout.
     */
    public static PteLayout provisional() {
        return new PteLayout(new Bits(1, 4), new Bits(32, 32), -1, 10, 11, new Bits(12, 36), new Bits(16, 48),
                new Bits(12, 36), new Bits(5, 5), DEFAULT_INVALID_PTE_MASK, "architectural defaults");
    }

    /**
     * Reads the layout from a profile's {@code _MMPTE_*} types.
     *
     * @throws NoSuchElementException naming the type or field the profile lacks
     */
    public static PteLayout from(Profile profile) {
        Bits pfl = bits(profile, "_MMPTE_SOFTWARE", "PageFileLow");
        Bits pfh = bits(profile, "_MMPTE_SOFTWARE", "PageFileHigh");
        int swizzle = profile.has("_MMPTE_SOFTWARE", "SwizzleBit")
                ? bits(profile, "_MMPTE_SOFTWARE", "SwizzleBit").position() : -1;
        int proto = bits(profile, "_MMPTE_SOFTWARE", "Prototype").position();
        int transition = bits(profile, "_MMPTE_SOFTWARE", "Transition").position();
        Bits tFrame = bits(profile, "_MMPTE_TRANSITION", "PageFrameNumber");
        Bits protoAddress = bits(profile, "_MMPTE_PROTOTYPE", "ProtoAddress");
        Bits hwFrame = bits(profile, "_MMPTE_HARDWARE", "PageFrameNumber");
        Bits protection = bits(profile, "_MMPTE_SOFTWARE", "Protection");
        return new PteLayout(pfl, pfh, swizzle, proto, transition, tFrame, protoAddress, hwFrame, protection,
                DEFAULT_INVALID_PTE_MASK, profile.source());
    }

    private static Bits bits(Profile profile, String struct, String name) {
        Field f = profile.resolve(struct, name);
        if (f.type() instanceof TypeRef.Bitfield bf) {
            return new Bits((int) (f.offset() * 8) + bf.position(), bf.length());
        }
        throw new NoSuchElementException("profile " + profile.source() + ": " + struct + "." + name
                + " is not a bit field");
    }

    /** @return this layout with the kernel's InvalidPteMask */
    public PteLayout withInvalidPteMask(long mask) {
        return new PteLayout(pageFileLow, pageFileHigh, swizzleBit, prototypeBit, transitionBit, transitionFrame,
                protoAddress, hardwareFrame, protection, mask, source);
    }

    /** @return the physical-frame bits of a valid entry (e.g. 0x0000fffffffff000) */
    public long frameMask() {
        return hardwareFrame.mask();
    }

    /** @return true when the entry's software page-file fields are stored swizzled (InvalidPteMask applied) */
    public boolean swizzled(long pte) {
        return swizzleBit >= 0 && ((pte >>> swizzleBit) & 1) == 0;
    }

    /** @return the page-file offset in pages, with the InvalidPteMask removed when the entry is swizzled */
    public long pageFileHigh(long pte) {
        long high = pageFileHigh.get(pte);
        if (swizzled(pte)) {
            high ^= pageFileHigh.get(invalidPteMask);
        }
        return high;
    }

    /** @return the page-file number of a software PTE */
    public int pageFileLow(long pte) {
        return (int) pageFileLow.get(pte);
    }

    /** @return the physical address of the frame a transition PTE names (InvalidPteMask bits cleared) */
    public long transitionAddress(long pte) {
        return (transitionFrame.get(pte) << 12) & ~invalidPteMask;
    }

    /** @return the prototype-PTE field, sign-extended to a canonical virtual address */
    public long protoAddress(long pte) {
        long raw = protoAddress.get(pte);
        int width = protoAddress.length();
        return width >= 64 ? raw : (raw << (64 - width)) >> (64 - width);
    }

    /** @return the raw (unextended) prototype-PTE field */
    public long protoAddressField(long pte) {
        return protoAddress.get(pte);
    }

    public boolean prototype(long pte) {
        return ((pte >>> prototypeBit) & 1) != 0;
    }

    public boolean transition(long pte) {
        return ((pte >>> transitionBit) & 1) != 0;
    }
}
