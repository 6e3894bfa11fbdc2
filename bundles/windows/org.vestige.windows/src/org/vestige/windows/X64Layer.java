package org.vestige.windows;

import java.util.Arrays;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.store.BackingStore;

/**
 * One x64 virtual address space (kernel or process) given its directory table base. Resident pages
 * are read from the physical layer; transition pages from their frame; paged-out pages from the
 * {@link BackingStore} registered for their page-file number; everything else is reported
 * {@link PageProvenance.Missing} with the reason. Valid translations are kept in a small
 * direct-mapped cache (a software TLB), so repeated reads of the same pages skip the table walk.
 *
 * <p>Addresses are canonical 64-bit virtual addresses; kernel addresses are negative as Java longs.
 * {@link #size()} returns -1 (all 64 bits: the highest address is {@code 0xFFFFFFFFFFFFFFFF}).
 * Thread-safe.
 *
 * @since 0.1
 */
public final class X64Layer implements Layer {

    private static final int TLB_BITS = 14;
    private static final int TLB_MASK = (1 << TLB_BITS) - 1;
    private static final int PAGE = 4096;

    /** One cached translation: virtual page number to the physical address of its 4 KiB frame. */
    private record TlbEntry(long vpn, long frame) {
    }

    private final X64Translator translator;
    private final String name;
    private final long dtb;
    private final TlbEntry[] tlb = new TlbEntry[1 << TLB_BITS];

    X64Layer(X64Translator translator, String name, long dtb) {
        this.translator = Objects.requireNonNull(translator);
        this.name = name;
        this.dtb = dtb;
    }

    /** Creates a translator over {@code physical} and returns its kernel address space. */
    public static X64Layer kernel(Layer physical, PteLayout layout, long dtb) {
        return new X64Translator(physical, layout, dtb).kernelLayer();
    }

    public X64Translator translator() {
        return translator;
    }

    /** @return the directory table base (CR3) of this address space */
    public long dtb() {
        return dtb;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return -1L;
    }

    private static int slot(long vpn) {
        return (int) (vpn ^ (vpn >>> TLB_BITS) ^ (vpn >>> 28)) & TLB_MASK;
    }

    /**
     * Translates a virtual address of a resident page.
     *
     * @return the physical address, or -1 when the page is not resident (use {@link #provenance} for why)
     */
    public long translate(long va) {
        long vpn = va >>> 12;
        TlbEntry e = tlb[slot(vpn)];
        if (e != null && e.vpn == vpn) {
            return e.frame | (va & 0xfff);
        }
        PageWalk w = new PageWalk();
        translator.walk(dtb, va, w, 0);
        if (w.kind != PageWalk.RESIDENT) {
            return -1;
        }
        tlb[slot(vpn)] = new TlbEntry(vpn, w.physical & ~0xfffL);
        return w.physical;
    }

    @Override
    public PageProvenance provenance(long address) {
        long pa = translate(address);
        if (pa >= 0) {
            return new PageProvenance.Physical(pa);
        }
        PageWalk w = new PageWalk();
        translator.walk(dtb, address, w, 0);
        return w.provenance(translator);
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Runs runs = new Runs(sink);
        int available = 0;
        PageWalk w = null;
        while (length > 0) {
            int within = (int) (address & 0xfff);
            int n = Math.min(length, PAGE - within);
            long vpn = address >>> 12;
            TlbEntry e = tlb[slot(vpn)];
            if (e != null && e.vpn == vpn) {
                available += readPhysical(address, e.frame | within, buffer, offset, n, runs, false);
            } else {
                if (w == null) {
                    w = new PageWalk();
                }
                translator.walk(dtb, address, w, 0);
                if (w.kind == PageWalk.RESIDENT) {
                    tlb[slot(vpn)] = new TlbEntry(vpn, w.physical & ~0xfffL);
                }
                available += readWalked(w, address, buffer, offset, n, runs);
            }
            address += n;
            offset += n;
            length -= n;
        }
        runs.flush();
        return available;
    }

    /**
     * Reads the page a prototype PTE describes — resident, in transition, in a paging file or the
     * compressed store, or only in its file — as a mapped section's page is read whatever maps it.
     *
     * @param pte          the prototype PTE's value
     * @param prototypePte the kernel address it was read from (names the file of a subsection PTE)
     * @param page         receives the 4 KiB page (zeros where it cannot be read)
     * @return where the page came from, or why (some of) it could not be read
     */
    public PageProvenance readPrototype(long pte, long prototypePte, byte[] page) {
        PageWalk w = new PageWalk();
        w.prototypeAddress = prototypePte;
        long at = prototypePte & ~0xfffL;
        translator.decode(translator.kernelDtb(), at, pte, w, 1);
        PageProvenance[] seen = new PageProvenance[1];
        Runs runs = new Runs((a, l, p) -> {
            if (seen[0] == null || !p.isAvailable()) {
                seen[0] = p;
            }
        });
        readWalked(w, at, page, 0, PAGE, runs);
        runs.flush();
        return seen[0];
    }

    /**
     * Says whether this address space maps a page of its own at {@code va} inside a mapped image or data
     * section rather than the section's shared page: a copy made when the process wrote to the page.
     *
     * @return the kernel address of the section's prototype PTE for the page when the page is the process's
     *         own (read the section's page with {@link #readPrototype}); -1 when the page is the section's,
     *         when no section with prototype PTEs covers {@code va}, or when the PTEs cannot be read
     */
    public long ownCopyOf(long va) {
        return translator.ownCopy(dtb, va);
    }

    /** Reads {@code n} bytes at {@code address} of a page whose walk ended in {@code w}. */
    private int readWalked(PageWalk w, long address, byte[] buffer, int offset, int n, Runs runs) {
        int within = (int) (address & 0xfff);
        switch (w.kind) {
            case PageWalk.RESIDENT -> {
                return readPhysical(address, w.physical, buffer, offset, n, runs, false);
            }
            case PageWalk.TRANSITION -> {
                return readPhysical(address, w.physical, buffer, offset, n, runs, true);
            }
            case PageWalk.DEMAND_ZERO -> {
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                runs.add(address, n, new PageProvenance.DemandZero());
                return n;
            }
            case PageWalk.PAGEFILE -> {
                BackingStore store = translator.store(w.slot).orElse(null);
                if (store == null) {
                    Arrays.fill(buffer, offset, offset + n, (byte) 0);
                    runs.add(address, n, X64Translator.pagedOut(w.slot, w.fileOffset));
                    return 0;
                }
                byte[] page = new byte[PAGE];
                PageProvenance p = store.readPage(w.fileOffset, page, 0);
                System.arraycopy(page, within, buffer, offset, n);
                if (p instanceof PageProvenance.Pagefile pf) {
                    p = new PageProvenance.Pagefile(pf.slot(), pf.offset() + within, pf.file());
                }
                runs.add(address, n, p);
                return p.isAvailable() ? n : 0;
            }
            default -> {
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                runs.add(address, n, w.asMissing());
                return 0;
            }
        }
    }

    private int readPhysical(long va, long pa, byte[] buffer, int offset, int n, Runs runs, boolean transition) {
        int got = translator.physical().read(pa, buffer, offset, n);
        if (got == n) {
            runs.add(va, n, transition ? new PageProvenance.Transition(pa) : new PageProvenance.Physical(pa));
            return n;
        }
        // the frame lies (partly) outside the image: say which physical bytes are absent
        PageProvenance[] why = new PageProvenance[1];
        translator.physical().read(pa, buffer, offset, n, (a, l, p) -> {
            if (!p.isAvailable() && why[0] == null) {
                why[0] = p;
            }
        });
        PageProvenance.Missing below = why[0] instanceof PageProvenance.Missing m ? m : new PageProvenance.Missing(
                new MissingCause.OutsideImage(), "not in the image");
        // layers fill their available prefix first, so the first {@code got} bytes are real
        int good = Math.max(0, Math.min(got, n));
        if (good > 0) {
            runs.add(va, good, transition ? new PageProvenance.Transition(pa) : new PageProvenance.Physical(pa));
        }
        runs.add(va + good, n - good, new PageProvenance.Missing(below.cause(), "physical page 0x" + Long.toHexString(pa
                & ~0xfffL) + (transition ? " (transition)" : "") + ": " + below.reason()));
        return good;
    }

    /**
     * Visits the resident pages of a virtual range in address order, one call per page as mapped
     * (4 KiB, 2 MiB or 1 GiB), by walking the page tables (cheap: absent tables are skipped whole).
     *
     * @return false when the visitor stopped the walk
     */
    public boolean forEachMapped(long start, long end, MappedPageVisitor visitor) {
        return forEachMapped(start, end, 4096, visitor);
    }

    /**
     * Like {@link #forEachMapped(long, long, MappedPageVisitor)} but only visits pages that start on a
     * multiple of {@code stride} (a power of two, e.g. 2 MiB when looking for a kernel image), reading
     * one page-table entry per stride instead of all of them.
     */
    public boolean forEachMapped(long start, long end, long stride, MappedPageVisitor visitor) {
        if (Long.bitCount(stride) != 1 || stride < 4096) {
            throw new IllegalArgumentException("stride 0x" + Long.toHexString(stride) + " is not a power of two >= 4096");
        }
        return new MappedPageWalk(translator, dtb, start, end, stride, visitor).run();
    }

    /**
     * Receives a resident page found by {@link #forEachMapped}.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface MappedPageVisitor {
        /** @return false to stop */
        boolean visit(long va, long pa, long pageSize);
    }

    /** Coalesces per-page provenance into runs that continue linearly. */
    private static final class Runs {
        private final ProvenanceSink sink;
        private long start;
        private int length;
        private PageProvenance current;

        Runs(ProvenanceSink sink) {
            this.sink = sink;
        }

        void add(long address, int n, PageProvenance p) {
            if (current != null && continues(current, length, p)) {
                length += n;
                return;
            }
            flush();
            start = address;
            length = n;
            current = p;
        }

        private static boolean continues(PageProvenance first, int length, PageProvenance next) {
            return switch (first) {
                case PageProvenance.Physical a when next instanceof PageProvenance.Physical b ->
                        b.physicalAddress() == a.physicalAddress() + length;
                case PageProvenance.Transition a when next instanceof PageProvenance.Transition b ->
                        b.physicalAddress() == a.physicalAddress() + length;
                case PageProvenance.Pagefile a when next instanceof PageProvenance.Pagefile b ->
                        a.slot() == b.slot() && b.offset() == a.offset() + length;
                case PageProvenance.DemandZero a -> next instanceof PageProvenance.DemandZero;
                case PageProvenance.Missing a -> a.equals(next);
                default -> false;
            };
        }

        void flush() {
            if (current != null) {
                sink.accept(start, length, current);
                current = null;
            }
        }
    }
}
