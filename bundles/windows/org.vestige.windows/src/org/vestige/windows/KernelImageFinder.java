package org.vestige.windows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.vestige.core.layer.Layer;
import org.vestige.windows.DiscoveryReport.Attempt;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.PeImage;

/**
 * Finds the kernel image in a kernel address space by the methods {@link LocatorHints} lets run, in order: an
 * MZ/PE with a POOLCODE section on 2 MiB boundaries of the kernel half; then, from one pass over the 4 KiB
 * pages of the kernel image region, an MZ/PE with POOLCODE, an RSDS record naming a kernel PDB walked back
 * to the header whose debug directory names it, a plain KDBG block's KernBase, and a PE whose export
 * directory names ntoskrnl and exports PsLoadedModuleList. Every method reports what it tried.
 */
final class KernelImageFinder {

    /** The kernel image found: where, its headers, its PDB. */
    record KernelImage(long base, PeImage pe, PdbIdentity pdb) {
    }

    private static final long KERNEL_HALF = 0xFFFF800000000000L;
    private static final long KERNEL_IMAGE_REGION = 0xFFFFF80000000000L;
    private static final long KERNEL_IMAGE_REGION_END = KERNEL_IMAGE_REGION + (64L << 30);
    private static final long TWO_MB = 1L << 21;
    private static final int MAX_PAGES_SCANNED = 1 << 21;
    private static final long KDBG_TAG = 0x4742444BL;
    static final List<String> KERNEL_PDBS = List.of("ntkrnlmp.pdb", "ntoskrnl.pdb", "ntkrnlpa.pdb",
            "ntkrpamp.pdb");
    private static final List<String> KERNEL_NAMES = List.of("ntoskrnl.exe", "ntkrnlmp.exe", "ntkrnlpa.exe",
            "ntkrpamp.exe");

    private final Layer physical;
    private final X64Layer layer;
    private final LocatorHints hints;

    KernelImageFinder(Layer physical, X64Layer layer, LocatorHints hints) {
        this.physical = physical;
        this.layer = layer;
        this.hints = hints;
    }

    /** What one pass over the 4 KiB pages of the kernel image region saw. */
    private static final class PageScan {
        final List<Long> headers = new ArrayList<>();
        final Set<Long> rsdsPages = new LinkedHashSet<>();
        final Map<Long, Long> kdbgBlocks = new LinkedHashMap<>();
        int pages;
    }

    /** @return the kernel image, or null (the attempts under {@code step} say why) */
    KernelImage find(Attempt step) {
        if (hints.kernelBase() != 0) {
            Attempt h = step.child("kernel base hint 0x" + Long.toHexString(hints.kernelBase()));
            KernelImage k = accept(hints.kernelBase(), hasPoolCode(), h);
            if (k != null) {
                return k;
            }
        }
        Attempt large = step.child("MZ/PE with a POOLCODE section on 2 MiB boundaries of the kernel half");
        if (hints.runs(DiscoveryMethod.POOLCODE)) {
            KernelImage k = poolCodeOnLargeBoundaries(large);
            if (k != null) {
                return k;
            }
        } else {
            large.skipped("method POOLCODE not asked for");
        }
        PageScan scan = scanPages();
        String region = " in 4 KiB pages of 0x" + Long.toHexString(KERNEL_IMAGE_REGION) + "–0x" + Long.toHexString(
                KERNEL_IMAGE_REGION_END) + " (" + scan.pages + " mapped pages read)";
        KernelImage k = run(DiscoveryMethod.POOLCODE, step.child("MZ/PE with a POOLCODE section" + region),
                a -> firstHeader(scan.headers, hasPoolCode(), a));
        k = k != null ? k : run(DiscoveryMethod.RSDS, step.child("RSDS record naming a kernel PDB" + region),
                a -> fromRsds(scan, a));
        k = k != null ? k : run(DiscoveryMethod.KDBG, step.child("KDBG block (OwnerTag 'KDBG') and its KernBase"
                + region), a -> fromKdbg(scan, a));
        k = k != null ? k : run(DiscoveryMethod.EXPORTS, step.child(
                "export directory naming ntoskrnl with PsLoadedModuleList" + region), a -> firstHeader(scan.headers,
                        exportsKernel(), a));
        return k;
    }

    private KernelImage run(DiscoveryMethod method, Attempt a, java.util.function.Function<Attempt, KernelImage> how) {
        if (!hints.runs(method)) {
            a.skipped("method " + method + " not asked for");
            return null;
        }
        return how.apply(a);
    }

    private KernelImage poolCodeOnLargeBoundaries(Attempt a) {
        KernelImage[] hit = new KernelImage[1];
        int[] checked = {0};
        List<String> rejected = new ArrayList<>();
        layer.forEachMapped(KERNEL_HALF, -1L, TWO_MB, (va, pa, size) -> {
            if (++checked[0] > MAX_PAGES_SCANNED) {
                return false;
            }
            hit[0] = probe(va, hasPoolCode(), rejected);
            return hit[0] == null;
        });
        if (hit[0] != null) {
            a.found("0x" + Long.toHexString(hit[0].base()) + " after " + checked[0] + " mapped 2 MiB boundaries");
        } else {
            a.failed(checked[0] + " mapped 2 MiB boundaries checked" + summary(rejected));
        }
        return hit[0];
    }

    /** Reads every mapped 4 KiB page of the kernel image region once (inside large pages too). */
    private PageScan scanPages() {
        PageScan scan = new PageScan();
        byte[] page = new byte[0x1000];
        byte[] rsdsTag = "RSDS".getBytes(StandardCharsets.US_ASCII);
        layer.forEachMapped(KERNEL_IMAGE_REGION, KERNEL_IMAGE_REGION_END, 4096, (va, pa, size) -> {
            for (long off = 0; off < size; off += 0x1000) {
                if (++scan.pages > MAX_PAGES_SCANNED) {
                    return false;
                }
                if (physical.read(pa + off, page, 0, page.length) != page.length) {
                    continue;
                }
                long at = va + off;
                if (page[0] == 'M' && page[1] == 'Z') {
                    scan.headers.add(at);
                }
                for (int i = Bytes.indexOf(page, rsdsTag, 0); i >= 0; i = Bytes.indexOf(page, rsdsTag, i + 4)) {
                    if (PeImage.parseRsds(page, i).filter(cv -> KERNEL_PDBS.contains(cv.pdbName().toLowerCase(
                            Locale.ROOT))).isPresent()) {
                        scan.rsdsPages.add(at);
                    }
                }
                for (int i = 0x10; i + 0x58 - 0x10 <= page.length; i += 8) {
                    if (Bytes.u32(page, i) == KDBG_TAG) {
                        long size2 = Bytes.u32(page, i + 4);
                        long kernBase = Bytes.u64(page, i + 8);
                        if (size2 >= 0x290 && size2 <= 0x1000 && (kernBase & 0xfff) == 0
                                && kernBase >= KERNEL_IMAGE_REGION && kernBase < KERNEL_IMAGE_REGION_END) {
                            scan.kdbgBlocks.put(at + i - 0x10, kernBase);
                        }
                    }
                }
            }
            return true;
        });
        return scan;
    }

    private KernelImage firstHeader(List<Long> headers, Predicate<PeImage> test, Attempt a) {
        List<String> rejected = new ArrayList<>();
        for (long va : headers) {
            KernelImage k = probe(va, test, rejected);
            if (k != null) {
                a.found("0x" + Long.toHexString(va) + " (" + headers.size() + " MZ headers seen)");
                return k;
            }
        }
        a.failed(headers.size() + " MZ headers seen" + summary(rejected));
        return null;
    }

    private KernelImage fromRsds(PageScan scan, Attempt step) {
        if (scan.rsdsPages.isEmpty()) {
            step.failed("no RSDS record names a kernel PDB");
            return null;
        }
        List<String> rejected = new ArrayList<>();
        for (long rsdsPage : scan.rsdsPages) {
            Attempt c = step.child("RSDS record naming a kernel PDB in page 0x" + Long.toHexString(rsdsPage));
            for (long back = rsdsPage; back > rsdsPage - (32L << 20) && back >= KERNEL_IMAGE_REGION; back -= 0x1000) {
                byte[] mz = new byte[2];
                if (layer.read(back, mz, 0, 2) == 2 && mz[0] == 'M' && mz[1] == 'Z') {
                    KernelImage k = probe(back, namesKernelPdb(), rejected);
                    if (k != null) {
                        c.found("walked back to the MZ header at 0x" + Long.toHexString(back)
                                + ", whose debug directory names the PDB");
                        step.found("0x" + Long.toHexString(back));
                        return k;
                    }
                }
            }
            c.failed("no image header within 32 MiB below it names a kernel PDB" + summary(rejected));
        }
        step.failed(scan.rsdsPages.size() + " page(s) with an RSDS record naming a kernel PDB led to no image");
        return null;
    }

    private KernelImage fromKdbg(PageScan scan, Attempt step) {
        if (scan.kdbgBlocks.isEmpty()) {
            step.failed("no plain KDBG block with a KernBase in the kernel image region (Windows 8 and later "
                    + "usually encode it)");
            return null;
        }
        List<String> rejected = new ArrayList<>();
        for (Map.Entry<Long, Long> e : scan.kdbgBlocks.entrySet()) {
            KernelImage k = probe(e.getValue(), pe -> true, rejected);
            if (k != null) {
                step.found("0x" + Long.toHexString(k.base()) + ", the KernBase of the KDBG block at 0x" + Long
                        .toHexString(e.getKey()));
                return k;
            }
        }
        step.failed(scan.kdbgBlocks.size() + " KDBG block(s), no KernBase an image header" + summary(rejected));
        return null;
    }

    private KernelImage accept(long va, Predicate<PeImage> test, Attempt a) {
        List<String> rejected = new ArrayList<>();
        KernelImage k = probe(va, test, rejected);
        if (k == null) {
            a.failed(rejected.isEmpty() ? "no MZ header there" : rejected.get(0));
        } else {
            a.found("kernel image");
        }
        return k;
    }

    /** Reads the image at {@code va} and keeps it when {@code test} holds; otherwise notes why not. */
    private KernelImage probe(long va, Predicate<PeImage> test, List<String> rejected) {
        byte[] mz = new byte[2];
        if (layer.read(va, mz, 0, 2) != 2 || mz[0] != 'M' || mz[1] != 'Z') {
            return null;
        }
        try {
            PeImage pe = PeImage.read(layer, va);
            if (!test.test(pe)) {
                rejected.add("0x" + Long.toHexString(va) + " (" + test + ")");
                return null;
            }
            PdbIdentity pdb = pe.codeView(layer).map(cv -> new PdbIdentity(cv.pdbName(), cv.guid(), cv.age()))
                    .orElse(null);
            return new KernelImage(va, pe, pdb);
        } catch (PeImage.NotPeException e) {
            rejected.add("0x" + Long.toHexString(va) + " (" + e.getMessage() + ")");
            return null;
        }
    }

    private static String summary(List<String> rejected) {
        if (rejected.isEmpty()) {
            return "; no MZ header found";
        }
        return "; rejected " + rejected.size() + " MZ image(s), e.g. " + rejected.get(0);
    }

    /** A test on an image's headers that says, when it fails, what the image lacks. */
    private record Test(String lacks, Predicate<PeImage> test) implements Predicate<PeImage> {
        @Override
        public boolean test(PeImage pe) {
            return test.test(pe);
        }

        @Override
        public String toString() {
            return lacks;
        }
    }

    private static Predicate<PeImage> hasPoolCode() {
        return new Test("no POOLCODE section", pe -> pe.hasSection("POOLCODE"));
    }

    private Predicate<PeImage> namesKernelPdb() {
        return new Test("its debug directory names no kernel PDB", pe -> pe.codeView(layer).filter(cv -> KERNEL_PDBS
                .contains(cv.pdbName().toLowerCase(Locale.ROOT))).isPresent());
    }

    private Predicate<PeImage> exportsKernel() {
        return new Test("its export directory does not name ntoskrnl with PsLoadedModuleList", pe -> pe.exportName(
                layer).filter(n -> KERNEL_NAMES.contains(n.toLowerCase(Locale.ROOT))).isPresent() && pe.export(layer,
                        "PsLoadedModuleList") >= 0);
    }
}
