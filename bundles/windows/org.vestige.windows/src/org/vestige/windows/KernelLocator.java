package org.vestige.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.DiscoveryReport.Attempt;
import org.vestige.windows.KernelImageFinder.KernelImage;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.KdbgCodec;

/**
 * Finds the Windows x64 kernel in a physical memory image without being told anything: the DTB
 * (from the low stub's {@code _PROCESSOR_START_BLOCK}, else a self-referencing top-level table), the
 * kernel image (an MZ/PE with a POOLCODE section, an RSDS record naming a kernel
 * PDB, a plain KDBG block's KernBase, or an export directory naming ntoskrnl), the PDB
 * identity, the build ({@code _KUSER_SHARED_DATA.NtBuildNumber}, else the exported
 * {@code NtBuildNumber}), the KDBG block (plain, else decoded with the profile's symbols), and the
 * list heads (from the profile's symbols when its PDB matches, else from KDBG). Candidate profiles
 * are tried by PDB identity, then by build; each must validate against the process list. Every step
 * is recorded in a {@link DiscoveryReport}. {@link LocatorHints#only} runs chosen {@link DiscoveryMethod}s alone.
 *
 * @since 0.1
 */
public final class KernelLocator {

    private static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;
    private static final int MAX_DTB_CANDIDATES = 8;

    private final Layer physical;
    private final List<Profile> candidates;
    private final LocatorHints hints;
    private final DiscoveryReport report = new DiscoveryReport();

    /**
     * @param physical   the physical address space
     * @param candidates profiles that may describe the kernel (ISF with symbols, or types only)
     * @param hints      what the analyst already knows
     */
    public KernelLocator(Layer physical, List<Profile> candidates, LocatorHints hints) {
        this.physical = Objects.requireNonNull(physical);
        this.candidates = List.copyOf(candidates);
        this.hints = hints == null ? LocatorHints.none() : hints;
    }

    /** A DTB candidate with its self-map index (-1 when unknown) and where it came from. */
    private record Dtb(long value, int selfMap, String source) {
    }

    /** Runs discovery; never throws for what the image lacks (the report says why). */
    public KernelDiscovery locate() {
        Attempt root = report.root();
        Attempt dtbStep = root.child("DTB and kernel image");
        Dtb dtb = null;
        KernelImage image = null;
        X64Layer provisional = null;
        for (Dtb candidate : dtbCandidates(dtbStep)) {
            Attempt a = dtbStep.child("kernel image with DTB 0x" + Long.toHexString(candidate.value) + " ("
                    + candidate.source + ")");
            X64Layer layer = X64Layer.kernel(physical, PteLayout.provisional(), candidate.value);
            if (layer.translate(KUSER_SHARED_DATA) < 0) {
                a.failed("_KUSER_SHARED_DATA at 0x" + Long.toHexString(KUSER_SHARED_DATA)
                        + " is not mapped: not a kernel address space");
                continue;
            }
            KernelImage k = findKernel(layer, a);
            if (k != null) {
                dtb = candidate;
                image = k;
                provisional = layer;
                a.found("kernel at 0x" + Long.toHexString(k.base()));
                break;
            }
        }
        if (image == null) {
            dtbStep.failed("no DTB led to a kernel image");
            return new KernelDiscovery(dtb == null ? 0 : dtb.value, -1, 0, 0, null, 0, 0, false, 0, 0, null, null,
                    report);
        }
        int selfMap = dtb.selfMap >= 0 ? dtb.selfMap : selfMapIndex(dtb.value);
        dtbStep.found("DTB 0x" + Long.toHexString(dtb.value) + " (" + dtb.source + "), kernel base 0x"
                + Long.toHexString(image.base()) + (selfMap >= 0 ? ", self-map index 0x" + Integer.toHexString(selfMap)
                        : ""));

        int build = findBuild(provisional, image, root.child("build number"));
        Kdbg kdbg = findKdbg(provisional, image, root.child("KDBG (plain scan)"));

        Attempt select = root.child("profile selection");
        Selection sel = selectProfile(provisional, image, build, kdbg, select);
        if (kdbg == null && sel != null && sel.kdbg != null) {
            kdbg = sel.kdbg;
        }
        if (kdbg == null && sel != null && sel.pdbMatch) {
            kdbg = decodeKdbg(provisional, image, sel.profile, root.child(
                    "KDBG (encoded, keys from the profile's symbols)"));
        }
        if (sel == null) {
            return new KernelDiscovery(dtb.value, selfMap, image.base(), image.pe().sizeOfImage(), image.pdb(), build,
                    kdbg == null ? 0 : kdbg.va, kdbg != null && kdbg.encoded, kdbg == null ? 0 : kdbg.activeProcessHead,
                    kdbg == null ? 0 : kdbg.loadedModuleList, null, provisional, report);
        }
        PteLayout layout = pteLayout(sel.profile, provisional, image, sel.pdbMatch, root.child("PTE layout"));
        long finalDtb = dtb.value;
        X64Layer kernel = X64Layer.kernel(physical, layout, finalDtb);
        Attempt sys = root.child("System process DTB");
        ProcessList first = null;
        try {
            first = new ProcessWalker(kernel, sel.profile).walk(sel.activeHead);
        } catch (RuntimeException e) {
            sys.failed(e.getMessage());
        }
        if (first != null && !first.processes().isEmpty() && first.processes().get(0).pid() == 4) {
            long systemDtb = first.processes().get(0).dtb() & layout.frameMask();
            if (systemDtb != (finalDtb & layout.frameMask())) {
                sys.note("System's Pcb.DirectoryTableBase is 0x" + Long.toHexString(systemDtb) + "; the DTB found ("
                        + "0x" + Long.toHexString(finalDtb) + ") was another process's tables; using System's");
                finalDtb = systemDtb;
                kernel = X64Layer.kernel(physical, layout, finalDtb);
                selfMap = selfMapIndex(finalDtb);
            } else {
                sys.found("System's Pcb.DirectoryTableBase equals the DTB found");
            }
        }
        return new KernelDiscovery(finalDtb, selfMap, image.base(), image.pe().sizeOfImage(), image.pdb(), build,
                kdbg == null ? 0 : kdbg.va, kdbg != null && kdbg.encoded, sel.activeHead, sel.moduleHead, sel.profile,
                kernel, report);
    }

    // ------------------------------------------------------------------ DTB

    private List<Dtb> dtbCandidates(Attempt step) {
        List<Dtb> out = new ArrayList<>();
        if (hints.dtb() != 0) {
            out.add(new Dtb(hints.dtb(), -1, "given"));
            step.child("DTB hint").note("0x" + Long.toHexString(hints.dtb()));
        }
        Attempt stub = step.child("DTB from the low stub (_PROCESSOR_START_BLOCK, physical 0x1000–0x9F000)");
        if (hints.runs(DiscoveryMethod.LOW_STUB)) {
            lowStub(stub).ifPresent(out::add);
        } else {
            stub.skipped("method LOW_STUB not asked for");
        }
        // the self-map scan is lazy: it only runs when the earlier candidates do not lead to a kernel
        Attempt self = step.child("DTB from a self-referencing top-level table");
        if (!hints.runs(DiscoveryMethod.SELF_MAP)) {
            self.skipped("method SELF_MAP not asked for");
            return out;
        }
        return new LazyDtbs(out, self);
    }

    /** The low stub's Cr3, when a page of physical 0x1000–0x9F000 holds a processor start block. */
    private Optional<Dtb> lowStub(Attempt stub) {
        byte[] page = new byte[0x1000];
        int unreadable = 0;
        for (long pa = 0x1000; pa < 0xA0000; pa += 0x1000) {
            if (physical.read(pa, page, 0, page.length) != page.length) {
                unreadable++;
                continue;
            }
            long q0 = Bytes.u64(page, 0);
            long lmTarget = Bytes.u64(page, 0x70);
            long cr3 = Bytes.u64(page, 0xA0);
            if ((q0 & 0xffffffffffff00ffL) == 0x00000001000600E9L
                    && (lmTarget & 0xfffff80000000003L) == 0xfffff80000000000L
                    && (cr3 & 0xffffff0000000fffL) == 0 && cr3 != 0) {
                stub.found("at physical 0x" + Long.toHexString(pa) + ": Cr3 0x" + Long.toHexString(cr3)
                        + ", LmTarget 0x" + Long.toHexString(lmTarget));
                return Optional.of(new Dtb(cr3, -1, "low stub at physical 0x" + Long.toHexString(pa)));
            }
        }
        stub.failed("no page matched the start-block signature (" + (0x9F - unreadable) + " pages read, "
                + unreadable + " not in the image)");
        return Optional.empty();
    }

    /** Earlier candidates, then the self-map scan's, computed only when iteration reaches them. */
    private final class LazyDtbs extends java.util.AbstractList<Dtb> {
        private final List<Dtb> known;
        private final Attempt self;
        private List<Dtb> scanned;

        LazyDtbs(List<Dtb> known, Attempt self) {
            this.known = known;
            this.self = self;
        }

        private List<Dtb> scanned() {
            if (scanned == null) {
                scanned = selfMapScan(self);
            }
            return scanned;
        }

        @Override
        public Dtb get(int index) {
            return index < known.size() ? known.get(index) : scanned().get(index - known.size());
        }

        @Override
        public int size() {
            // the scan is forced only once iteration has used up the known candidates
            return known.size() + (scanned == null ? 1 : scanned.size());
        }

        @Override
        public java.util.Iterator<Dtb> iterator() {
            return new java.util.Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < known.size() || i - known.size() < scanned().size();
                }

                @Override
                public Dtb next() {
                    return get(i++);
                }
            };
        }
    }

    private List<Dtb> selfMapScan(Attempt self) {
        List<Dtb> found = new ArrayList<>();
        byte[] page = new byte[0x1000];
        long end = physical.size();
        long pages = 0;
        for (long pa = 0; pa + 0x1000 <= end && found.size() < MAX_DTB_CANDIDATES; pa += 0x1000) {
            pages++;
            if (physical.read(pa + 0x800, page, 0x800, 0x800) != 0x800) {
                continue;
            }
            for (int i = 0x100; i < 0x200; i++) {
                long e = Bytes.u64(page, i * 8);
                if ((e & 0x0000fffffffff083L) == (pa | 3)) {
                    if (physical.read(pa, page, 0, 0x800) != 0x800) {
                        break;
                    }
                    String why = validateTopLevel(page);
                    if (why == null) {
                        found.add(new Dtb(pa, i, "self-map at index 0x" + Integer.toHexString(i)));
                        self.child("physical 0x" + Long.toHexString(pa)).found("entry 0x" + Integer.toHexString(i)
                                + " points to itself");
                    } else if (self.children().size() < 16) {
                        self.child("physical 0x" + Long.toHexString(pa)).failed("entry 0x" + Integer.toHexString(i)
                                + " points to itself but " + why);
                    }
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            self.failed("no page of " + pages + " holds a valid self-referencing top-level table");
        } else {
            self.found(found.size() + " candidate(s), first at physical 0x" + Long.toHexString(found.get(0).value));
        }
        return found;
    }

    /** WINDOWS-INTERNALS B.2: ≥ 6 kernel entries present and writable, more than 0x40 zero entries in each half. */
    private static String validateTopLevel(byte[] table) {
        int kernelValid = 0;
        int userZero = 0;
        int kernelZero = 0;
        for (int i = 0; i < 512; i++) {
            long e = Bytes.u64(table, i * 8);
            if (i < 256) {
                if (e == 0) {
                    userZero++;
                }
            } else if (e == 0) {
                kernelZero++;
            } else if ((e & 3) == 3) {
                kernelValid++;
            }
        }
        if (kernelValid < 6) {
            return "only " + kernelValid + " kernel entries are present and writable (need 6)";
        }
        if (userZero <= 0x40 || kernelZero <= 0x40) {
            return "too few empty entries (user " + userZero + ", kernel " + kernelZero + "; need more than 64 each)";
        }
        return null;
    }

    private int selfMapIndex(long dtb) {
        byte[] table = new byte[0x800];
        if (physical.read((dtb & 0x0000fffffffff000L) + 0x800, table, 0, table.length) != table.length) {
            return -1;
        }
        for (int i = 0; i < 256; i++) {
            if ((Bytes.u64(table, i * 8) & 0x0000fffffffff083L) == ((dtb & 0x0000fffffffff000L) | 3)) {
                return 256 + i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ kernel image

    private KernelImage findKernel(X64Layer layer, Attempt step) {
        return new KernelImageFinder(physical, layer, hints).find(step);
    }

    // ------------------------------------------------------------------ build

    private int findBuild(X64Layer layer, KernelImage image, Attempt step) {
        Attempt kuser = step.child("_KUSER_SHARED_DATA.NtBuildNumber (0xFFFFF78000000260)");
        byte[] k = new byte[0x10];
        if (layer.read(KUSER_SHARED_DATA + 0x260, k, 0, k.length) == k.length) {
            long value = Bytes.u32(k, 0);
            long major = Bytes.u32(k, 0xC);
            if (value >= 2600 && value < 100_000 && (major == 10) == (value >= 10240) && (major == 6 || major == 10)) {
                kuser.found(value + " (NtMajorVersion " + major + ")");
                step.found(Long.toString(value));
                return (int) value;
            }
            kuser.failed("0x" + Long.toHexString(value) + " with NtMajorVersion " + major
                    + " is not a build number (older kernels keep NtProductType there)");
        } else {
            kuser.failed("page not readable");
        }
        Attempt export = step.child("exported NtBuildNumber of the kernel image");
        long rva = image.pe().export(layer, "NtBuildNumber");
        if (rva < 0) {
            export.failed("the kernel's export directory has no NtBuildNumber");
        } else {
            byte[] v = new byte[4];
            if (layer.read(image.base() + rva, v, 0, 4) == 4) {
                long raw = Bytes.u32(v, 0);
                int build = (int) (raw & 0xffff);
                if (build >= 2600) {
                    export.found(build + " (raw 0x" + Long.toHexString(raw) + ")");
                    step.found(Integer.toString(build));
                    return build;
                }
                export.failed("value 0x" + Long.toHexString(raw) + " is not a build number");
            } else {
                export.failed("NtBuildNumber at 0x" + Long.toHexString(image.base() + rva) + " is not readable");
            }
        }
        step.failed("build unknown; profiles will be matched by PDB identity only");
        return 0;
    }

    // ------------------------------------------------------------------ KDBG

    private record Kdbg(long va, boolean encoded, long activeProcessHead, long loadedModuleList) {
    }

    private static final long KDBG_TAG = 0x4742444BL;

    private Kdbg findKdbg(X64Layer layer, KernelImage image, Attempt step) {
        long start = image.base();
        long end = image.base() + Math.max(image.pe().sizeOfImage(), 0x1000);
        Kdbg[] hit = new Kdbg[1];
        int[] pages = {0};
        byte[] page = new byte[0x1000];
        layer.forEachMapped(start, end, 4096, (va, pa, size) -> {
            for (long off = 0; off < size && hit[0] == null; off += 0x1000) {
                if (va + off < start || va + off >= end) {
                    continue;
                }
                pages[0]++;
                if (physical.read(pa + off, page, 0, page.length) != page.length) {
                    continue;
                }
                for (int at = 0x10; at + 0x58 <= page.length; at += 8) {
                    if (Bytes.u32(page, at) == KDBG_TAG) {
                        int blockAt = at - 0x10;
                        long size2 = Bytes.u32(page, at + 4);
                        long kernBase = Bytes.u64(page, blockAt + 0x18);
                        if (kernBase == image.base() && size2 >= 0x290 && size2 <= 0x1000) {
                            hit[0] = new Kdbg(va + off + blockAt, false, Bytes.u64(page, blockAt + 0x50),
                                    Bytes.u64(page, blockAt + 0x48));
                            break;
                        }
                    }
                }
            }
            return hit[0] == null;
        });
        if (hit[0] != null) {
            step.found("at 0x" + Long.toHexString(hit[0].va) + ": PsActiveProcessHead 0x"
                    + Long.toHexString(hit[0].activeProcessHead) + ", PsLoadedModuleList 0x"
                    + Long.toHexString(hit[0].loadedModuleList));
        } else {
            step.failed("no 'KDBG' OwnerTag with KernBase 0x" + Long.toHexString(image.base()) + " in " + pages[0]
                    + " mapped pages of the kernel image (Windows 8 and later usually encode it)");
        }
        return hit[0];
    }

    private Kdbg decodeKdbg(X64Layer layer, KernelImage image, Profile profile, Attempt step) {
        List<String> names = List.of("KdDebuggerDataBlock", "KdpDataBlockEncoded", "KiWaitNever", "KiWaitAlways");
        Map<String, Long> va = new LinkedHashMap<>();
        for (String n : names) {
            Long rva = profile.symbol(n).orElse(null);
            if (rva == null) {
                step.skipped("profile has no symbol " + n);
                return null;
            }
            va.put(n, image.base() + rva);
        }
        byte[] flag = new byte[1];
        if (layer.read(va.get("KdpDataBlockEncoded"), flag, 0, 1) != 1) {
            step.failed("KdpDataBlockEncoded at 0x" + Long.toHexString(va.get("KdpDataBlockEncoded"))
                    + " is not readable");
            return null;
        }
        if (flag[0] == 0) {
            step.failed("KdpDataBlockEncoded is 0: the block is not encoded, yet the plain scan did not find it");
            return null;
        }
        byte[] keys = new byte[8];
        layer.read(va.get("KiWaitNever"), keys, 0, 8);
        long never = Bytes.u64(keys, 0);
        layer.read(va.get("KiWaitAlways"), keys, 0, 8);
        long always = Bytes.u64(keys, 0);
        byte[] block = new byte[0x58];
        if (layer.read(va.get("KdDebuggerDataBlock"), block, 0, block.length) != block.length) {
            step.failed("KdDebuggerDataBlock is not readable");
            return null;
        }
        KdbgCodec.decode(block, never, always, va.get("KdpDataBlockEncoded"));
        if (Bytes.u32(block, 0x10) != KDBG_TAG || Bytes.u64(block, 0x18) != image.base()) {
            step.failed("decoded block has OwnerTag 0x" + Long.toHexString(Bytes.u32(block, 0x10)) + " and KernBase 0x"
                    + Long.toHexString(Bytes.u64(block, 0x18)) + ": keys do not fit");
            return null;
        }
        Kdbg k = new Kdbg(va.get("KdDebuggerDataBlock"), true, Bytes.u64(block, 0x50), Bytes.u64(block, 0x48));
        step.found("decoded at 0x" + Long.toHexString(k.va) + ": PsActiveProcessHead 0x"
                + Long.toHexString(k.activeProcessHead));
        return k;
    }

    // ------------------------------------------------------------------ profiles

    private record Selection(Profile profile, boolean pdbMatch, long activeHead, long moduleHead, Kdbg kdbg) {
    }

    private Selection selectProfile(X64Layer layer, KernelImage image, int build, Kdbg kdbg, Attempt step) {
        Map<Profile, String> ranked = new LinkedHashMap<>();
        if (hints.profile() != null) {
            ranked.put(hints.profile(), "given by the caller");
        }
        for (Profile p : candidates) {
            PdbIdentity pdb = image.pdb();
            if (pdb != null && p.identity().matches(pdb.name(), pdb.guid(), pdb.age())) {
                ranked.putIfAbsent(p, "PDB " + image.pdb().key() + " matches");
            }
        }
        for (Profile p : candidates) {
            if (build != 0 && p.identity().build() == build) {
                ranked.putIfAbsent(p, "build " + build + " matches (no PDB match)");
            }
        }
        if (ranked.isEmpty()) {
            step.failed("none of " + candidates.size() + " candidate profiles matches PDB "
                    + (image.pdb() == null ? "(unknown)" : image.pdb().key()) + " or build " + build);
            return null;
        }
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Profile, String> e : ranked.entrySet()) {
            Profile p = e.getKey();
            Attempt a = step.child("profile " + p.source() + " (" + e.getValue() + ")");
            Selection s = tryProfile(layer, image, p, kdbg, a);
            if (s != null) {
                step.found(p.source() + (failures.isEmpty() ? "" : "; fell back to it after " + String.join("; ",
                        failures)));
                return s;
            }
            failures.add(p.source() + " did not validate");
        }
        // no profile validated; one the evidence only failed to confirm (unreadable list entries) is still
        // better than none, so that physical scans and everything not needing the list can run
        for (Map.Entry<Profile, String> e : ranked.entrySet()) {
            Attempt a = step.child("profile " + e.getKey().source() + " again, accepting unreadable list entries");
            Selection s = tryProfile(layer, image, e.getKey(), kdbg, a, true);
            if (s != null) {
                step.found(e.getKey().source() + ", which nothing read contradicts (" + String.join("; ", failures)
                        + ")");
                return s;
            }
        }
        step.failed("no candidate profile validated: " + String.join("; ", failures));
        return null;
    }

    private Selection tryProfile(X64Layer provisional, KernelImage image, Profile p, Kdbg kdbg, Attempt a) {
        return tryProfile(provisional, image, p, kdbg, a, false);
    }

    /**
     * @param acceptUnreadable whether a list walk that could not read its entries (rather than one that read
     *                         something contradicting the layout) still selects the profile
     */
    private Selection tryProfile(X64Layer provisional, KernelImage image, Profile p, Kdbg kdbg, Attempt a,
            boolean acceptUnreadable) {
        PteLayout layout;
        try {
            layout = PteLayout.from(p);
        } catch (NoSuchElementException e) {
            a.failed("no PTE layout: " + e.getMessage());
            return null;
        }
        boolean pdbMatch = image.pdb() != null && p.identity().matches(image.pdb().name(), image.pdb().guid(),
                image.pdb().age());
        X64Layer layer = X64Layer.kernel(physical, layout, provisional.dtb());
        ProcessWalker walker;
        try {
            walker = new ProcessWalker(layer, p);
        } catch (NoSuchElementException e) {
            a.failed("profile lacks an _EPROCESS field: " + e.getMessage());
            return null;
        }
        List<String> why = new ArrayList<>();
        if (pdbMatch && p.symbol("PsActiveProcessHead").isPresent()) {
            long head = image.base() + p.symbol("PsActiveProcessHead").get();
            long modules = p.symbol("PsLoadedModuleList").map(r -> image.base() + r).orElse(0L);
            ProcessWalker.ListFit fit = walker.fit(head, 16);
            Attempt s = a.child("PsActiveProcessHead from the profile's symbols (0x" + Long.toHexString(head) + ")");
            if (fit.fits()) {
                s.found("_EPROCESS list walk validates");
                a.found("validated");
                return new Selection(p, true, head, modules, kdbg);
            }
            if (fit.verdict() == ProcessWalker.ListFit.Verdict.UNREADABLE) {
                // the PDB identity chose this profile; bytes missing from the image do not contradict it
                s.found("_EPROCESS list walk cannot be checked: " + fit.problem() + "; the profile is kept on its PDB "
                        + "identity (missing evidence does not contradict it)");
                a.found("kept on its PDB identity");
                return new Selection(p, true, head, modules, kdbg);
            }
            s.failed("_EPROCESS list walk fails: " + fit.problem());
            why.add(fit.problem());
        } else {
            a.child("symbols").skipped(pdbMatch ? "profile has no PsActiveProcessHead symbol"
                    : "profile's PDB does not match the kernel, so its symbol RVAs do not apply");
        }
        Kdbg k = kdbg;
        if (k == null && pdbMatch) {
            k = decodeKdbg(provisional, image, p, a.child("KDBG (encoded, keys from the profile's symbols)"));
        }
        if (k != null) {
            ProcessWalker.ListFit fit = walker.fit(k.activeProcessHead, 16);
            Attempt s = a.child("PsActiveProcessHead from KDBG (0x" + Long.toHexString(k.activeProcessHead) + ")");
            if (fit.fits()) {
                s.found("_EPROCESS list walk validates");
                a.found("validated");
                return new Selection(p, pdbMatch, k.activeProcessHead, k.loadedModuleList, k);
            }
            if (fit.verdict() == ProcessWalker.ListFit.Verdict.UNREADABLE && (pdbMatch || acceptUnreadable)) {
                s.found("_EPROCESS list walk cannot be checked: " + fit.problem() + "; nothing read contradicts the "
                        + "profile");
                a.found(pdbMatch ? "kept on its PDB identity" : "kept: nothing read contradicts it");
                return new Selection(p, pdbMatch, k.activeProcessHead, k.loadedModuleList, k);
            }
            s.failed("_EPROCESS list walk fails: " + fit.problem());
            why.add(fit.problem());
        } else {
            a.child("PsActiveProcessHead from KDBG").skipped("no KDBG block found");
        }
        if (!pdbMatch) {
            Selection s = fromExports(provisional, image, p, walker, kdbg, a.child(
                    "PsActiveProcessHead from the exported PsInitialSystemProcess (System's ActiveProcessLinks.Blink)"),
                    acceptUnreadable, why);
            if (s != null) {
                a.found("validated");
                return s;
            }
        }
        a.failed(why.isEmpty() ? "no way to find PsActiveProcessHead" : "_EPROCESS layout does not fit: " + why.get(0));
        return null;
    }

    /**
     * Finds the process list without the kernel's symbols: the kernel exports PsInitialSystemProcess (the
     * System process's _EPROCESS), System is the first entry of the active process list, so the Blink of its
     * ActiveProcessLinks is PsActiveProcessHead; PsLoadedModuleList is exported too.
     */
    private Selection fromExports(X64Layer layer, KernelImage image, Profile p, ProcessWalker walker, Kdbg kdbg,
            Attempt s, boolean acceptUnreadable, List<String> why) {
        long rva = image.pe().export(layer, "PsInitialSystemProcess");
        if (rva <= 0) {
            s.skipped("the kernel's export directory has no PsInitialSystemProcess");
            return null;
        }
        byte[] b = new byte[8];
        if (layer.read(image.base() + rva, b, 0, 8) != 8) {
            s.failed("PsInitialSystemProcess at 0x" + Long.toHexString(image.base() + rva) + " is not readable");
            return null;
        }
        long system = Bytes.u64(b, 0);
        long links = system + p.offset("_EPROCESS", "ActiveProcessLinks");
        if (layer.read(links + 8, b, 0, 8) != 8) {
            s.failed("System's _EPROCESS at 0x" + Long.toHexString(system) + " is not readable");
            return null;
        }
        long head = Bytes.u64(b, 0);
        if (Long.compareUnsigned(head - image.base(), image.pe().sizeOfImage() & 0xffffffffL) >= 0) {
            // PsActiveProcessHead is a variable of the kernel image: a Blink elsewhere is not the list head
            s.failed("System's ActiveProcessLinks.Blink (0x" + Long.toHexString(head) + ", at _EPROCESS 0x" + Long
                    .toHexString(system) + " + ActiveProcessLinks) is not in the kernel image: the profile's "
                    + "_EPROCESS layout does not fit");
            why.add("System's ActiveProcessLinks.Blink 0x" + Long.toHexString(head) + " is not in the kernel image");
            return null;
        }
        long modulesRva = image.pe().export(layer, "PsLoadedModuleList");
        long modules = modulesRva > 0 ? image.base() + modulesRva : kdbg != null ? kdbg.loadedModuleList : 0;
        ProcessWalker.ListFit fit = walker.fit(head, 16);
        if (fit.fits() || fit.verdict() == ProcessWalker.ListFit.Verdict.UNREADABLE && acceptUnreadable) {
            s.found("PsActiveProcessHead 0x" + Long.toHexString(head) + " (System's _EPROCESS 0x" + Long.toHexString(
                    system) + "); PsLoadedModuleList " + (modulesRva > 0 ? "exported at 0x" + Long.toHexString(modules)
                            : kdbg != null ? "from KDBG" : "not found") + "; _EPROCESS list walk validates");
            return new Selection(p, false, head, modules, kdbg);
        }
        s.failed("_EPROCESS list walk from 0x" + Long.toHexString(head) + " fails: " + fit.problem());
        why.add(fit.problem());
        return null;
    }

    private PteLayout pteLayout(Profile p, X64Layer layer, KernelImage image, boolean pdbMatch, Attempt step) {
        PteLayout layout = PteLayout.from(p);
        String detail = "PageFileLow bits " + layout.pageFileLow().position() + "–" + (layout.pageFileLow().position()
                + layout.pageFileLow().length() - 1) + (layout.swizzleBit() >= 0 ? ", SwizzleBit " + layout
                        .swizzleBit() : ", no SwizzleBit");
        if (pdbMatch && p.symbol("MiState").isPresent() && p.has("_MI_SYSTEM_INFORMATION",
                "Hardware.InvalidPteMask")) {
            long va = image.base() + p.symbol("MiState").get() + p.offset("_MI_SYSTEM_INFORMATION",
                    "Hardware.InvalidPteMask");
            byte[] b = new byte[8];
            if (layer.read(va, b, 0, 8) == 8) {
                long mask = Bytes.u64(b, 0);
                if (mask != 0 && (mask & 0xffffffffL) == 0) {
                    step.found(detail + "; InvalidPteMask 0x" + Long.toHexString(mask) + " from MiState");
                    return layout.withInvalidPteMask(mask);
                }
                step.note(detail + "; MiState InvalidPteMask 0x" + Long.toHexString(mask)
                        + " is implausible, using bit 45");
                return layout;
            }
        }
        step.note(detail + "; InvalidPteMask not readable from this profile, using bit 45");
        return layout;
    }

    public DiscoveryReport report() {
        return report;
    }
}
