package org.vestige.layer.compressed;

import static org.vestige.layer.compressed.internal.Memory.hex;

import java.util.ArrayList;
import java.util.List;

import org.vestige.core.layer.LittleEndian;
import org.vestige.core.store.StoreException;
import org.vestige.layer.compressed.internal.Memory;
import org.vestige.layer.compressed.internal.Unreadable;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.internal.PeImage;

/**
 * Finds the kernel's {@code SmGlobals} and from it the store manager, in this order: the profile's
 * symbol ({@code SmGlobals}, or its C++-decorated name in PDB-derived tables), taken only from the kernel's own
 * profile (another kernel's RVAs do not apply); a scan of the first
 * page of ntoskrnl's {@code CACHEALI} section for the manager's shape (its first metadata array a
 * pool allocation tagged {@code smSa}, a page-aligned KeyToStoreTree root at +0x1C0); and the code
 * signature of SmpPageWrite, which loads SmGlobals' address RIP-relatively. Builds from 22601 keep
 * the manager behind a pointer in SmGlobals (+0x8, 0x7A8 into it; from 26100 +0x10, 0xC30 into it).
 * Every candidate is checked against the manager's shape before it is accepted.
 *
 * @since 0.1
 */
public final class SmGlobalsLocator {

    /** SmGlobals' names in symbol tables. */
    public static final List<String> SYMBOLS = List.of("SmGlobals", "?SmGlobals@@3U_SM_GLOBALS@@A");
    /** Pool tag of the manager's metadata arrays, 'smSa' as a little-endian u32. */
    static final long TAG_SMSA = 0x61536D73L;
    private static final int[] SIGNATURE = {0x4C, 0x8B, 0x02, 0x48, 0x8D, -1, -1, -1, -1, -1, 0x48, 0x8D, 0x15, -1, -1,
        -1, -1, 0xE8, -1, -1, -1, -1, 0x8B};
    private static final int SIGNATURE_DISP = 13;
    private static final int SIGNATURE_RIP = 17;
    private static final int MAX_SECTION_SCAN = 32 << 20;

    private final Memory kernel;
    private final KernelDiscovery discovery;

    /**
     * @param discovery what kernel discovery found: the kernel address space, its base and build, and the profile
     *                  whose symbols are used when it is the kernel's own
     */
    public SmGlobalsLocator(KernelDiscovery discovery) {
        this.kernel = new Memory(discovery.kernel());
        this.discovery = discovery;
    }

    /**
     * @return where the manager is
     * @throws StoreException listing every way tried and why it failed
     */
    public StoreManagerLocation locate() throws StoreException {
        return locate(0, null);
    }

    /**
     * Like {@link #locate()}, trying first where an earlier open of the same image found SmGlobals (recorded in
     * the case cache); the address is used only when the manager it leads to still has the manager's shape.
     *
     * @param remembered SmGlobals as found before, or 0
     * @param how        how it was found then, for the method named
     * @return where the manager is
     * @throws StoreException listing every way tried and why it failed
     */
    public StoreManagerLocation locate(long remembered, String how) throws StoreException {
        List<String> attempts = new ArrayList<>();
        if (remembered != 0) {
            try {
                return new StoreManagerLocation(remembered, checked(remembered), "recorded in the case cache (found by "
                        + how + " on an earlier open)", attempts);
            } catch (Unreadable e) {
                attempts.add("the case cache's SmGlobals " + hex(remembered) + " no longer holds: " + e.getMessage());
            }
        }
        if (discovery.ownProfile()) {
            boolean named = false;
            for (String name : SYMBOLS) {
                var symbol = discovery.symbol(name);
                if (symbol.isPresent()) {
                    named = true;
                    long smGlobals = symbol.get();
                    String method = "symbol " + name + " of " + discovery.profile().source();
                    try {
                        return new StoreManagerLocation(smGlobals, checked(smGlobals), method, attempts);
                    } catch (Unreadable e) {
                        attempts.add(method + " gives SmGlobals " + hex(smGlobals) + ", but " + e.getMessage());
                    }
                }
            }
            if (!named) {
                attempts.add("the profile " + discovery.profile().source() + " has no SmGlobals symbol");
            }
        } else {
            attempts.add("the profile " + discovery.profile().source() + " is not the kernel's own (its PDB does not "
                    + "match), so its SmGlobals symbol does not apply");
        }
        PeImage pe;
        try {
            pe = PeImage.read(kernel.layer(), discovery.kernelBase());
        } catch (PeImage.NotPeException e) {
            attempts.add("the kernel image's headers cannot be read for a scan: " + e.getMessage());
            throw notFound(attempts);
        }
        StoreManagerLocation found = cacheAligned(pe, attempts);
        if (found == null) {
            found = signature(pe, attempts);
        }
        if (found == null) {
            throw notFound(attempts);
        }
        return found;
    }

    private StoreException notFound(List<String> attempts) {
        return new StoreException("SmGlobals, the memory-compression store's root, was not found in build "
                + discovery.build() + ": " + String.join("; ", attempts));
    }

    private StoreManagerLocation cacheAligned(PeImage pe, List<String> attempts) {
        PeImage.Section s = pe.sections().stream().filter(x -> x.name().equals("CACHEALI")).findFirst().orElse(null);
        if (s == null) {
            attempts.add("the kernel has no CACHEALI section");
            return null;
        }
        if (discovery.build() >= 22601) {
            attempts.add("CACHEALI scan skipped: from build 22601 the manager is not in SmGlobals itself");
            return null;
        }
        long start = discovery.kernelBase() + s.rva();
        byte[] page = new byte[0x1000];
        int got = kernel.layer().read(start, page, 0, page.length);
        if (got < page.length) {
            attempts.add("the first page of CACHEALI at " + hex(start) + " is not fully readable");
        }
        for (int at = 0; at + 8 <= page.length; at += 8) {
            long v = LittleEndian.i64(page, at);
            if (!Memory.isKernel(v) || (v & 0xF) != 0) {
                continue;
            }
            try {
                if (kernel.u32(v - 12, "pool tag") != TAG_SMSA) {
                    continue;
                }
                long candidate = start + at;
                return new StoreManagerLocation(candidate, checked(candidate), "CACHEALI scan (a pointer at "
                        + hex(candidate) + " to a pool block tagged smSa)", attempts);
            } catch (Unreadable e) {
                // not the manager: try the next qword
            }
        }
        attempts.add("no qword in the first page of CACHEALI at " + hex(start) + " leads to a store manager");
        return null;
    }

    private StoreManagerLocation signature(PeImage pe, List<String> attempts) {
        int scanned = 0;
        for (PeImage.Section s : pe.sections()) {
            int size = Math.min(s.virtualSize(), MAX_SECTION_SCAN);
            if (size < SIGNATURE.length) {
                continue;
            }
            byte[] b = new byte[size];
            long start = discovery.kernelBase() + s.rva();
            kernel.layer().read(start, b, 0, size);
            scanned++;
            for (int at = 0; at + SIGNATURE.length <= size; at++) {
                if (b[at] != 0x4C || !matches(b, at)) {
                    continue;
                }
                int disp = (int) LittleEndian.u32(b, at + SIGNATURE_DISP);
                long smGlobals = start + at + SIGNATURE_RIP + disp;
                try {
                    return new StoreManagerLocation(smGlobals, checked(smGlobals), "code signature in " + s.name()
                            + " at " + hex(start + at), attempts);
                } catch (Unreadable e) {
                    attempts.add("code signature at " + hex(start + at) + " gives SmGlobals " + hex(smGlobals) + ", but "
                            + e.getMessage());
                }
            }
        }
        attempts.add("the SmpPageWrite code signature is in none of the kernel's " + scanned + " sections");
        return null;
    }

    private static boolean matches(byte[] b, int at) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (SIGNATURE[i] >= 0 && (b[at + i] & 0xff) != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the manager for SmGlobals, after checking its shape */
    private long checked(long smGlobals) {
        long manager;
        if (discovery.build() >= 26100) {
            manager = kernel.kernelPointer(smGlobals + 0x10, "SmGlobals+0x10 (the 24H2 store manager pointer)") - 0xC30;
        } else if (discovery.build() >= 22601) {
            manager = kernel.kernelPointer(smGlobals + 0x8, "SmGlobals+0x8 (the 22H2 store manager pointer)") - 0x7A8;
        } else {
            manager = smGlobals;
        }
        long root = kernel.u64(manager + StoreLayout.KEY_TO_STORE_TREE, "KeyToStoreTree of the store manager");
        if (!Memory.isKernel(root) || (root & 0xFFF) != 0) {
            throw new Unreadable("the store manager at " + hex(manager) + " has KeyToStoreTree " + hex(root)
                    + ", not a page-aligned kernel address (no store, or not the manager)");
        }
        byte[] header = kernel.bytes(root, 4, "KeyToStoreTree root node");
        if (LittleEndian.u16(header, 0) > 0x1FF || (header[3] & 0xff) > 1) {
            throw new Unreadable("the KeyToStoreTree root at " + hex(root) + " does not look like a B+tree node");
        }
        byte[] arrays = kernel.bytes(manager, 32 * 8, "the store manager's metadata arrays");
        for (int i = 0; i < 32; i++) {
            long a = LittleEndian.i64(arrays, i * 8);
            if (a != 0 && !Memory.isKernel(a)) {
                throw new Unreadable("the store manager at " + hex(manager) + " has metadata array " + i + " at "
                        + hex(a) + ", not a kernel address");
            }
            if (a != 0) {
                return manager;
            }
        }
        throw new Unreadable("the store manager at " + hex(manager) + " has no metadata arrays (no store)");
    }
}
