package org.vestige.windows;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;

/**
 * x64 four-level address translation over a physical layer, shared by the kernel address space and
 * every process address space of one memory image: the PTE layout of the kernel, the backing stores
 * registered per page-file number, the kernel DTB (prototype PTEs live in kernel memory and are read
 * through it), and an optional {@link VadPrototypeSource}.
 *
 * <p>Invalid PTEs are decoded in the kernel's order: prototype, transition, file-backed subsection
 * (22H2+ encoding), demand zero, then software (paging file). Bit positions come from the
 * {@link PteLayout}. Thread-safe.
 *
 * @since 0.1
 */
public final class X64Translator {

    private static final long LARGE_1G = 1L << 30;
    private static final long LARGE_2M = 1L << 21;
    private static final long VAD_PROTO_MARKER = 0xFFFFFFFF0000L;
    private static final MissingCause NOT_MAPPED = new MissingCause.NotMapped();
    /** a page table or prototype PTE that is itself missing or corrupt */
    private static final MissingCause UNREADABLE = new MissingCause.Unreadable();

    private final Layer physical;
    private final PteLayout layout;
    private final long kernelDtb;
    private final long frameMask;
    private final Map<Integer, BackingStore> stores = new ConcurrentHashMap<>();
    private volatile VadPrototypeSource vadPrototypes;
    private volatile SubsectionSource subsections;
    private volatile X64Layer kernel;
    private final ThreadLocal<byte[]> qword = ThreadLocal.withInitial(() -> new byte[8]);

    /**
     * @param physical  the physical address space
     * @param layout    the kernel's PTE layout ({@link PteLayout#provisional()} before the profile is known)
     * @param kernelDtb the kernel's directory table base (CR3 of the System process)
     */
    public X64Translator(Layer physical, PteLayout layout, long kernelDtb) {
        this.physical = Objects.requireNonNull(physical, "physical");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.kernelDtb = kernelDtb;
        this.frameMask = layout.frameMask();
    }

    public Layer physical() {
        return physical;
    }

    public PteLayout layout() {
        return layout;
    }

    public long kernelDtb() {
        return kernelDtb;
    }

    /** Registers the store that serves one page-file number, replacing any earlier one. */
    public void register(BackingStore store) {
        if (store.slot() < 0 || store.slot() > 15) {
            throw new IllegalArgumentException("page-file number " + store.slot() + " of " + store.name()
                    + " is outside 0..15");
        }
        stores.put(store.slot(), store);
    }

    /** @return the store registered for a page-file number */
    public Optional<BackingStore> store(int slot) {
        return Optional.ofNullable(stores.get(slot));
    }

    /** Plugs in the VAD-based lookup of prototype PTEs for user pages. */
    public void setVadPrototypes(VadPrototypeSource source) {
        this.vadPrototypes = source;
    }

    /** Plugs in the naming of the files behind subsections (pages only in a mapped file). */
    public void setSubsections(SubsectionSource source) {
        this.subsections = source;
    }

    private PageProvenance.Missing fileBacked(long subsection, long prototypePte) {
        SubsectionSource s = subsections;
        return s != null ? s.describe(subsection, prototypePte) : new PageProvenance.Missing(new MissingCause.InFile("",
                -1), "file-backed page (subsection 0x" + Long.toHexString(subsection) + "), not in memory");
    }

    /** @return the kernel address space (created on first use) */
    public X64Layer kernelLayer() {
        X64Layer k = kernel;
        if (k == null) {
            synchronized (this) {
                if (kernel == null) {
                    kernel = new X64Layer(this, "kernel virtual", kernelDtb);
                }
                k = kernel;
            }
        }
        return k;
    }

    /** @return an address space for another directory table base (a process) */
    public X64Layer layer(String name, long dtb) {
        return dtb == kernelDtb ? kernelLayer() : new X64Layer(this, name, dtb);
    }

    /** @return a page paged out to a paging file for which no store is registered */
    static PageProvenance.Missing pagedOut(int slot, long offset) {
        return new PageProvenance.Missing(new MissingCause.PagedOut(slot, offset), "paged out to " + pagingFileName(
                slot) + " (slot " + slot + ") at offset 0x" + Long.toHexString(offset));
    }

    static String pagingFileName(int slot) {
        return switch (slot) {
            case 0 -> "pagefile.sys";
            case 1 -> "swapfile.sys";
            default -> "paging file " + slot;
        };
    }

    /** @return true for a canonical 48-bit address */
    static boolean canonical(long va) {
        long top = va >> 47;
        return top == 0 || top == -1;
    }

    /** Reads a little-endian qword of physical memory, or returns {@code fallback} when it is not in the image. */
    long physicalQword(long pa, long fallback) {
        byte[] b = qword.get();
        if (physical.read(pa, b, 0, 8) != 8) {
            return fallback;
        }
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24
                | (b[4] & 0xffL) << 32 | (b[5] & 0xffL) << 40 | (b[6] & 0xffL) << 48 | (b[7] & 0xffL) << 56;
    }

    /**
     * Translates one address.
     *
     * @param depth 0 for the page itself, 1 while decoding a prototype PTE it pointed to
     */
    void walk(long dtb, long va, PageWalk out, int depth) {
        if (depth == 0) {
            out.prototypeAddress = -1;
        }
        if (!canonical(va)) {
            out.missing(NOT_MAPPED, "non-canonical address 0x" + Long.toHexString(va));
            return;
        }
        long table = dtb & frameMask;
        int[] shifts = {39, 30, 21};
        String[] names = {"PML4E", "PDPTE", "PDE"};
        for (int level = 0; level < 3; level++) {
            long entryPa = table + (((va >>> shifts[level]) & 0x1ff) << 3);
            long entry = physicalQword(entryPa, Long.MIN_VALUE);
            if (entry == Long.MIN_VALUE) {
                out.missing(UNREADABLE, names[level] + " at physical 0x" + Long.toHexString(entryPa)
                        + " is not in the image");
                return;
            }
            if ((entry & 1) == 0) {
                if (entry != 0 && layout.transition(entry) && !layout.prototype(entry)) {
                    // a page table on the standby or modified list is still in its frame
                    table = layout.transitionAddress(entry);
                    continue;
                }
                if (entry == 0) {
                    out.missing(NOT_MAPPED, "not mapped (" + names[level] + " is zero)");
                } else {
                    out.missing(UNREADABLE, "page table not resident (" + names[level] + " 0x" + Long.toHexString(
                            entry) + ")");
                }
                return;
            }
            if (level > 0 && (entry & 0x80) != 0) {
                long size = level == 1 ? LARGE_1G : LARGE_2M;
                out.resident((entry & frameMask & ~(size - 1)) + (va & (size - 1)), size);
                return;
            }
            table = entry & frameMask;
        }
        long ptePa = table + (((va >>> 12) & 0x1ff) << 3);
        long pte = physicalQword(ptePa, Long.MIN_VALUE);
        if (pte == Long.MIN_VALUE) {
            out.missing(UNREADABLE, "PTE at physical 0x" + Long.toHexString(ptePa) + " is not in the image");
            return;
        }
        decode(dtb, va, pte, out, depth);
    }

    /** Decodes a PTE (hardware or software) for {@code va}. */
    void decode(long dtb, long va, long pte, PageWalk out, int depth) {
        if ((pte & 1) != 0) {
            out.resident((pte & frameMask) + (va & 0xfff), 4096);
            return;
        }
        boolean user = va >= 0;
        if (pte == 0) {
            if (user && depth == 0 && vadPrototypes != null) {
                fromVad(dtb, va, out, depth);
                return;
            }
            out.missing(NOT_MAPPED, "not mapped (PTE is zero)");
            return;
        }
        if (layout.prototype(pte)) {
            if (layout.protoAddressField(pte) == VAD_PROTO_MARKER) {
                if (vadPrototypes != null && depth == 0) {
                    fromVad(dtb, va, out, depth);
                } else {
                    out.missing(UNREADABLE, "prototype PTE kept in the VAD (PTE 0x" + Long.toHexString(pte)
                            + "); VAD prototype lookup not available");
                }
                return;
            }
            if (depth > 0) {
                // a prototype PTE that is itself a prototype-format entry points to a subsection: file-backed
                out.missing(fileBacked(layout.protoAddress(pte), out.prototypeAddress));
                return;
            }
            long protoVa = layout.protoAddress(pte);
            readPrototype(protoVa, va, out);
            return;
        }
        if (layout.transition(pte)) {
            out.transition(layout.transitionAddress(pte) + (va & 0xfff));
            return;
        }
        int low = layout.pageFileLow(pte);
        long high = layout.pageFileHigh(pte);
        // the VAD marker (PageFileHigh all ones) comes before the 22H2 subsection test, which it also matches
        if (high == 0xFFFFFFFFL && user && depth == 0) {
            if (vadPrototypes != null) {
                fromVad(dtb, va, out, depth);
            } else {
                out.missing(UNREADABLE, "prototype PTE kept in the VAD (PTE 0x" + Long.toHexString(pte)
                        + "); VAD prototype lookup not available");
            }
            return;
        }
        if (low == 0 && high == 0) {
            out.demandZero();
            return;
        }
        if ((pte & 0xffff80000000000fL) == 0xffff800000000000L) {
            long proto = depth > 0 ? out.prototypeAddress : user && vadPrototypes != null
                    ? vadPrototypes.prototypePteAddress(dtb, va) : -1;
            out.missing(fileBacked(pte >> 4 << 4, proto));
            return;
        }
        out.pagefile(low, high << 12);
    }

    /**
     * Says whether a process maps a page of its own inside a mapped section: its PTE neither leads to the
     * section's prototype PTE nor maps the frame that prototype PTE holds. Windows gives a process its own
     * copy of a section page when the process writes to it (copy-on-write), and points the process PTE
     * back at the prototype PTE when a shared page leaves the working set (Windows Internals, 7th ed.,
     * part 1, chapter 5, "Prototype PTEs"), so an own page in an image is a page the process changed.
     *
     * @return the kernel address of the section's prototype PTE for {@code va} when the process maps a page
     *         of its own there; -1 when it maps the section's page, when no section with prototype PTEs covers
     *         {@code va}, or when the PTEs cannot be read
     */
    long ownCopy(long dtb, long va) {
        VadPrototypeSource source = vadPrototypes;
        if (source == null) {
            return -1;
        }
        PageWalk w = new PageWalk();
        walk(dtb, va, w, 0);
        if (w.prototypeAddress != -1 || w.kind == PageWalk.MISSING) {
            return -1;
        }
        long proto = source.prototypePteAddress(dtb, va);
        if (proto == -1) {
            return -1;
        }
        if (w.kind == PageWalk.RESIDENT || w.kind == PageWalk.TRANSITION) {
            PageWalk at = new PageWalk();
            walk(kernelDtb, proto, at, 1);
            if (at.kind != PageWalk.RESIDENT && at.kind != PageWalk.TRANSITION) {
                return -1;
            }
            long value = physicalQword(at.physical, Long.MIN_VALUE);
            if (value == Long.MIN_VALUE) {
                return -1;
            }
            long frame = (value & 1) != 0 ? value & frameMask : value != 0 && !layout.prototype(value)
                    && layout.transition(value) ? layout.transitionAddress(value) & ~0xfffL : -1;
            if (frame == (w.physical & ~0xfffL)) {
                return -1;
            }
        }
        return proto;
    }

    private void fromVad(long dtb, long va, PageWalk out, int depth) {
        long protoVa = vadPrototypes.prototypePteAddress(dtb, va);
        if (protoVa == -1) {
            out.missing(NOT_MAPPED, "not mapped (no PTE, and no mapped-section VAD with prototype PTEs covers it)");
            return;
        }
        readPrototype(protoVa, va, out);
    }

    private void readPrototype(long protoVa, long va, PageWalk out) {
        if (!canonical(protoVa) || protoVa >= 0) {
            out.missing(UNREADABLE, "prototype PTE address 0x" + Long.toHexString(protoVa)
                    + " is not a kernel address");
            return;
        }
        PageWalk inner = new PageWalk();
        walk(kernelDtb, protoVa, inner, 1);
        out.prototypeAddress = protoVa;
        if (inner.kind != PageWalk.RESIDENT && inner.kind != PageWalk.TRANSITION) {
            out.missing(UNREADABLE, "prototype PTE at 0x" + Long.toHexString(protoVa) + " cannot be read: "
                    + (inner.kind == PageWalk.MISSING ? inner.reason : "its page is not resident"));
            return;
        }
        long proto = physicalQword(inner.physical, Long.MIN_VALUE);
        if (proto == Long.MIN_VALUE) {
            out.missing(UNREADABLE, "prototype PTE at 0x" + Long.toHexString(protoVa) + " is outside the image");
            return;
        }
        decode(kernelDtb, va, proto, out, 1);
    }
}
