package org.vestige.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.internal.CompressedStoreWriter;
import org.vestige.synth.internal.IsfJsonWriter;
import org.vestige.synth.internal.Le;
import org.vestige.synth.internal.PeImageBuilder;
import org.vestige.synth.internal.Sha256;
import org.vestige.synth.internal.StructBuffer;

/**
 * Lays out the physical memory of a Windows x64 machine from a kernel profile and a seed: page
 * tables with the self-referencing entry, a kernel PE image carrying the profile's PDB identity,
 * {@code _KUSER_SHARED_DATA}, the KDBG block, the active-process and loaded-module lists at the
 * profile's symbol RVAs (or at chosen ones, reported through KDBG, when the profile has no symbols),
 * and a realistic set of processes each with its own address space, PEB, process parameters and
 * loader lists. Every structure is written field by field through the profile, so the image agrees
 * with an analysis engine only through the layouts and the documented Windows facts.
 *
 * <p>With {@link SynthOptions#compressedStore()} (builds 14393 and later) the image also has a
 * memory-compression store ({@link CompressedStoreWriter}): SmGlobals in the first page of the kernel's
 * CACHEALI section, the code signature a reader without symbols finds it by in .text, MemCompression
 * with its own address space holding the compressed regions (some region pages paged out to
 * pagefile.sys, one in transition), and compressed pages in notepad.exe's image, in lsass.exe and in
 * explorer.exe (plus {@link SynthOptions#compressedPages()} bulk pages).
 *
 * <p>Deterministic: the same profile, options and seed give the same bytes.
 *
 * @since 0.1
 */
public final class ImageSynthesizer {

    /** Where the kernel maps _KUSER_SHARED_DATA on x64. */
    public static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;
    private static final long USER_KUSER = 0x7FFE0000L;
    private static final long KERNEL_REGION = 0xFFFFF80000000000L;
    private static final long TWO_MB = 1L << 21;
    private static final long ONE_GB = 1L << 30;
    private static final long FILETIME_EPOCH_OFFSET_MS = 11644473600000L;

    private final Profile profile;
    private final SynthOptions options;
    private final Random random;
    private final int build;

    private PhysicalImageWriter memory;
    private PageTableBuilder kernel;
    private PteEncoding pte;
    private final Map<String, Long> rvas = new LinkedHashMap<>();
    private final Map<String, Long> globals = new LinkedHashMap<>();
    private final Set<Integer> usedPml4 = new HashSet<>();
    private final List<SynthTruth.Translation> translations = new ArrayList<>();
    private final List<PteSample> pteSamples = new ArrayList<>();
    private final Map<Long, byte[]> pagefile = new LinkedHashMap<>();
    private final Map<Long, byte[]> swapfile = new LinkedHashMap<>();
    private final Map<Long, java.util.SortedMap<Long, Long>> userPtes = new LinkedHashMap<>();
    private final List<Long> kernelModuleEntries = new ArrayList<>();
    private long poolBase;
    private long poolCursor;
    private long kernelBase;
    private int kernelSize;
    private long kuserFrame;
    private CompressedStoreWriter store;
    private String storeSymbol;
    private long storeCacheAli;
    private long storeSignature;
    /** every process placed (the exited one too), for {@link #procDump} */
    private List<Proc> placed = List.of();

    /**
     * A page of a process whose PTE is invalid, placed to exercise translation: its expected
     * provenance kind and the bytes the page should read as (first 16).
     *
     * @param kind one of {@code transition}, {@code demand-zero}, {@code pagefile}, {@code prototype}
     * @since 0.1
     */
    public record PteSample(long pid, long dtb, long va, String kind, long pa, int slot, long fileOffset,
            byte[] marker) {
    }

    public ImageSynthesizer(Profile profile, SynthOptions options) {
        this.profile = profile;
        this.options = options;
        this.random = new Random(options.seed());
        this.build = options.build() != 0 ? options.build() : profile.identity().build();
        if (build == 0) {
            throw new IllegalArgumentException("profile " + profile.source()
                    + " does not say its build; give one in SynthOptions");
        }
        if (profile.pointerSize() != 8) {
            throw new IllegalArgumentException("profile " + profile.source() + " is not x64");
        }
    }

    /**
     * The result of {@link #synthesize}: the truth and where the files went ({@code swapfile} is null
     * unless {@link SynthOptions#swapfile()} asked for one).
     */
    public record Output(SynthTruth truth, Path image, Path isf, Path pagefile, List<PteSample> pteSamples,
            Map<Long, java.util.SortedMap<Long, Long>> userPtes, Path swapfile) {
    }

    /**
     * Builds the image and writes {@code image.raw}, {@code truth.json}, {@code image.isf.json.xz} and
     * {@code pagefile.sys} into {@code directory}.
     */
    public Output synthesize(Path directory) throws IOException {
        SynthTruth truth = build();
        Files.createDirectories(directory);
        Path image = directory.resolve("image.raw");
        memory.writeTo(image);
        Files.writeString(directory.resolve("truth.json"), truth.toJson(), StandardCharsets.UTF_8);
        Path isf = directory.resolve("image.isf.json.xz");
        IsfJsonWriter.write(isf, profile, rvas, truth.pdbName(), truth.guid(), truth.age(), build);
        Path pf = directory.resolve("pagefile.sys");
        Files.write(pf, pagingFile(pagefile));
        if (options.bulk() != null && options.bulk().pagedPages() > 0) {
            writeBulkPagefile(pf, options.bulk().pagedPages());
        }
        Path sf = null;
        if (!swapfile.isEmpty()) {
            sf = directory.resolve("swapfile.sys");
            Files.write(sf, pagingFile(swapfile));
        }
        return new Output(truth, image, isf, pf, List.copyOf(pteSamples), Map.copyOf(userPtes), sf);
    }

    /**
     * Writes what {@code procdump -ma} would have written of process {@code pid} of the image last
     * synthesized: a full-memory minidump of its true memory, the pages the image has paged out,
     * compressed or in transition included, and {@code FILE.truth.json} beside it (see
     * {@link ProcDumpWriter.Dump#toJson()}). Call after {@link #synthesize}.
     *
     * @throws IllegalArgumentException when no process with that pid was placed, or it has no user space
     */
    public ProcDumpWriter.Dump procDump(long pid, Path file) throws IOException {
        Proc p = placed.stream().filter(x -> x.pid == pid).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no process with pid " + pid + " was synthesized"));
        if (!p.user) {
            throw new IllegalArgumentException(p.name + " (pid " + pid + ") has no user address space to dump");
        }
        Map<Long, byte[]> samples = new java.util.HashMap<>();
        for (PteSample s : pteSamples) {
            if (s.pid() == pid) {
                samples.put(s.va(), switch (s.kind()) {
                    case "transition", "prototype" -> memory.readPage(s.pa());
                    case "pagefile" -> pagefile.get(s.fileOffset()).clone();
                    default -> new byte[4096];
                });
            }
        }
        ProcDumpWriter.Memory truth = va -> {
            long pa = p.space.translate(va);
            if (pa >= 0) {
                return memory.readPage(pa & ~0xfffL);
            }
            byte[] b = p.outOfRam.get(va);
            return b != null ? b : samples.get(va);
        };
        List<ProcDumpWriter.SectionPage> pages = new ArrayList<>();
        for (SynthTruth.ImagePage g : p.imagePages) {
            String section = p.sections.get(g.va());
            if (section != null) {
                pages.add(new ProcDumpWriter.SectionPage(g.module(), section, g.va(), g.kind(), g.slot(),
                        g.fileOffset(), g.sha256()));
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ProcDumpWriter.Dump dump = ProcDumpWriter.write(file, build, pid, fromFileTime(p.createFileTime), p.modules,
                p.vads, truth, pages);
        Files.writeString(file.resolveSibling(file.getFileName() + ".truth.json"), dump.toJson(),
                StandardCharsets.UTF_8);
        return dump;
    }

    /** Appends the bulk paged-out pages to pagefile.sys from page {@value #BULK_PAGEFILE_FIRST}, streamed. */
    private void writeBulkPagefile(Path pf, int pages) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(pf,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(256 * 4096);
            for (int i = 0; i < pages;) {
                chunk.clear();
                int n = Math.min(256, pages - i);
                for (int k = 0; k < n; k++) {
                    chunk.put(bulkPage(options.seed(), (1L << 24) + i + k));
                }
                chunk.flip();
                long at = (BULK_PAGEFILE_FIRST + i) * 4096;
                while (chunk.hasRemaining()) {
                    at += out.write(chunk, at);
                }
                i += n;
            }
        }
    }

    /** @return the pages of a paging file (no header: page N at N × 4096) */
    private static byte[] pagingFile(Map<Long, byte[]> pages) {
        byte[] file = new byte[(int) (pagingFilePages(pages) * 4096)];
        pages.forEach((off, page) -> System.arraycopy(page, 0, file, off.intValue(), 4096));
        return file;
    }

    private static long pagingFilePages(Map<Long, byte[]> pages) {
        return pages.keySet().stream().mapToLong(Long::longValue).max().orElse(0) / 4096 + 1;
    }

    private boolean modern() {
        return build >= 10240;
    }

    private SynthTruth build() {
        if (options.swapfile() && !profile.has("_MMPAGING_FILE", "WsSwapPagefile")) {
            throw new IllegalArgumentException("profile " + profile.source() + " has no _MMPAGING_FILE.WsSwapPagefile:"
                    + " its kernel has no swapfile.sys");
        }
        boolean compressed = options.compressedStore() != SynthOptions.CompressedStore.NONE;
        if (compressed) {
            CompressedStoreWriter.requireSupported(profile, build);
        } else if (options.compressedPages() > 0) {
            throw new IllegalArgumentException(options.compressedPages() + " compressed pages need a compressed store");
        }
        memory = new PhysicalImageWriter(options.physicalSize(), random);
        long invalidPteMask = 1L << 45;
        pte = new PteEncoding(profile, invalidPteMask);

        String pdbName = profile.identity().pdbName() != null ? profile.identity().pdbName() : "ntkrnlmp.pdb";
        String guid = profile.identity().guid() != null ? profile.identity().guid() : randomGuid();
        int age = profile.identity().guid() != null ? profile.identity().age() : 1 + random.nextInt(3);

        long pml4 = 0x1A0000L + random.nextInt(0x40) * 0x1000L;
        kernel = new PageTableBuilder(memory, pml4);
        usedPml4.add(pml4Index(KERNEL_REGION));
        usedPml4.add(pml4Index(KUSER_SHARED_DATA));
        int selfMap = modern() && build >= 14393 ? freePml4(0x100, 0x1FE) : 0x1ED;
        usedPml4.add(selfMap);
        kernel.setSelfMap(selfMap);
        poolBase = modern() ? (0xFFFF000000000000L | ((long) freePml4(0x140, 0x1BF) << 39)) + random.nextInt(64)
                * ONE_GB : 0xFFFFFA8000000000L + random.nextInt(16) * TWO_MB;
        usedPml4.add(pml4Index(poolBase));
        poolCursor = poolBase + 0x1000L * random.nextInt(16);

        placeSymbols();
        writeKernelImage(pdbName, guid, age);
        writeKuser();
        if (rvas.containsKey("MiState") && profile.has("_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask")) {
            kernel.writeLong(global("MiState") + profile.offset("_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask"),
                    invalidPteMask);
        }
        kernel.write(global("NtBuildNumber"), Le.bytes(0xF0000000L | build, 4));
        if (rvas.containsKey(VSL_VSM_ENABLED)) {
            kernel.write(global(VSL_VSM_ENABLED), new byte[] {(byte) (options.vbs() ? 1 : 0)});
        }

        List<SynthTruth.Module> kernelModules = writeKernelModules();
        if (compressed) {
            store = new CompressedStoreWriter(profile, build, options.compressedStore(), pte, kernel, memory,
                    new CompressedStoreWriter.KernelPool() {
                        @Override
                        public long alloc(long size, long tag) {
                            return poolAlloc(size, tag);
                        }

                        @Override
                        public long pages(int count) {
                            return poolPages(count);
                        }
                    }, page -> {
                        long n = freePagingFilePage(pagefile, 0xC00, random);
                        pagefile.put(n << 12, page);
                        return n;
                    }, random);
        }
        List<Proc> procs = planProcesses();
        // a process that has exited: out of the list, its _EPROCESS still in pool memory
        List<Proc> gone = new ArrayList<>();
        Proc last = procs.get(procs.size() - 1);
        long[] clock = {last.createFileTime};
        Proc cmd = proc(gone, "cmd.exe", 4L * (3100 + random.nextInt(1000)), procs.get(procs.size() - 2).pid,
                "\"C:\\Windows\\system32\\cmd.exe\" /c dir", "C:\\Windows\\system32\\cmd.exe", true, 0, clock, 40);
        cmd.exitFileTime = cmd.createFileTime + 10_000_000L * (5 + random.nextInt(100));
        List<Proc> all = new ArrayList<>(procs);
        all.addAll(gone);
        placed = all;
        long eprocessSize = profile.requireStruct("_EPROCESS").size();
        for (int i = 0; i < all.size(); i++) {
            all.get(i).eprocess = objectAlloc(eprocessSize, build < 9200 ? 0xE36F7250L : 0x636F7250L);
            all.get(i).space = i == 0 ? kernel : new PageTableBuilder(memory, memory.allocateFrame());
        }
        for (Proc p : all) {
            if (p.user) {
                populateUser(p);
            }
        }
        placeInvalidPtes(last);
        HiveMemoryWriter.Truth hives = null;
        if (options.hives() != null) {
            HiveMemoryWriter writer = new HiveMemoryWriter(profile, kernel, this::poolAlloc,
                    (space, va, page, where) -> displaceHivePage(all, space, va, page, where), random);
            procs.stream().filter(p -> p.name.equals("Registry")).findFirst().ifPresent(r -> writer.binsIn(r.space,
                    0x0000_0200_0000_0000L + 0x10_0000L * random.nextInt(0x1000)));
            hives = options.vbs() ? writer.writeStandardHives(global("CmpHiveListHead"), build, options.hives(),
                    system -> VBS_REGISTRY.forEach((path, value) -> system.path("ControlSet001\\" + path.substring(0,
                            path.lastIndexOf('\\'))).dword(path.substring(path.lastIndexOf('\\') + 1), value.intValue())))
                    : writer.writeStandardHives(global("CmpHiveListHead"), build, options.hives());
        }
        SynthTruth.CompressedStoreInfo storeInfo = compressed ? writeStore(procs) : null;
        for (Proc p : all) {
            if (p.user || !p.vadRanges.isEmpty()) {
                writeVadTree(p);
            }
            writeEprocess(p);
        }
        long linksOff = profile.offset("_EPROCESS", "ActiveProcessLinks");
        List<Long> links = new ArrayList<>();
        for (Proc p : procs) {
            links.add(p.eprocess + linksOff);
        }
        linkList(kernel, global("PsActiveProcessHead"), links);
        // unlinking leaves the removed entry's own links pointing at its former neighbours
        kernel.writeLong(cmd.eprocess + linksOff, global("PsActiveProcessHead"));
        kernel.writeLong(cmd.eprocess + linksOff + 8, last.eprocess + linksOff);
        kernel.writeLong(global("PsInitialSystemProcess"), procs.get(0).eprocess);

        List<SynthTruth.PagingFile> pagingFiles = writePagingFiles();
        long kdbg = writeKdbg();
        long lowStub = options.lowStub() ? writeLowStub() : -1;
        writeExtraRegions();
        SynthTruth.SmearInfo smear = applySmear(procs, linksOff);

        for (Proc p : all) {
            if (p.space != kernel) {
                p.space.setSelfMap(selfMap);
                p.space.shareKernelHalf(kernel);
                userPtes.put(p.space.dtb(), new java.util.TreeMap<>(p.space.userLeaves()));
            }
        }
        translations.add(new SynthTruth.Translation(kernelBase, kernel.translate(kernelBase), modern() ? TWO_MB
                : 4096, "kernel image header"));
        translations.add(new SynthTruth.Translation(KUSER_SHARED_DATA + 0x260, kernel.translate(KUSER_SHARED_DATA
                + 0x260), 4096, "_KUSER_SHARED_DATA"));
        translations.add(new SynthTruth.Translation(procs.get(0).eprocess, kernel.translate(procs.get(0).eprocess),
                4096, "System _EPROCESS"));

        return new SynthTruth(build, pdbName, guid, age, kernelBase, kernelSize, pml4, selfMap, lowStub, kdbg,
                options.encodedKdbg(), invalidPteMask, Map.copyOf(globals), Map.copyOf(rvas), truth(procs),
                truth(gone), kernelModules, List.copyOf(translations), smear, pagingFiles, storeInfo, hives,
                options.vbs() ? vbsTruth(procs) : null);
    }

    // ---------------------------------------------------------------- Virtual Secure Mode

    private static final String VSL_VSM_ENABLED = "VslVsmEnabled";

    /** The DeviceGuard and Credential Guard values of a machine with VBS, HVCI and Credential Guard on. */
    private static final Map<String, Long> VBS_REGISTRY = vbsRegistry();

    private static Map<String, Long> vbsRegistry() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Control\\DeviceGuard\\EnableVirtualizationBasedSecurity", 1L);
        m.put("Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity\\Enabled", 1L);
        m.put("Control\\DeviceGuard\\Scenarios\\CredentialGuard\\Enabled", 1L);
        m.put("Control\\Lsa\\LsaCfgFlags", 1L);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** @return the _EPROCESS field a secure process has set, or null when the profile has none */
    private String secureFlagField() {
        if (profile.has("_EPROCESS", "Pcb.SecureState.Flags.SecureProcess")) {
            return "Pcb.SecureState.Flags.SecureProcess";
        }
        return profile.has("_EPROCESS", "Pcb.SecurePid") ? "Pcb.SecurePid" : null;
    }

    private SynthTruth.Vbs vbsTruth(List<Proc> procs) {
        List<SynthTruth.IsolatedProcess> isolated = new ArrayList<>();
        for (Proc p : procs) {
            if (p.isolated || p.name.equals("Secure System")) {
                isolated.add(new SynthTruth.IsolatedProcess(p.pid, p.ppid, p.name, p.secure && secureFlagField() != null,
                        p.isolated ? p.zeroPages.size() + 1 : 0, p.isolated ? 1 : 0, List.copyOf(p.zeroPages)));
            }
        }
        return new SynthTruth.Vbs(global(VSL_VSM_ENABLED), secureFlagField(), profile.has("_KUSER_SHARED_DATA",
                "DbgSecureBootEnabled"), options.hives() != null ? VBS_REGISTRY : Map.of(), List.copyOf(isolated));
    }

    /**
     * The user space of a trustlet as a VTL0 acquisition sees it: the shared user page, and private pages
     * whose PTEs are valid but whose frames belong to VTL1, so the acquisition holds zeros for them.
     */
    private void populateIsolated(Proc p) {
        p.space.map(USER_KUSER, kuserFrame, 4096);
        p.vadRanges.add(new long[] {USER_KUSER, USER_KUSER + 0xfff, 1, 0, 1, 1});
        p.vadFiles.add(null);
        long base = 0x0000_0200_0000_0000L + 0x10000L * random.nextInt(0x1000);
        int pages = 8 + random.nextInt(9);
        for (int i = 0; i < pages; i++) {
            long va = base + i * 4096L;
            p.space.map(va, memory.allocateFrame(), 4096);
            p.zeroPages.add(va);
        }
        p.peb = base;
        p.vadRanges.add(new long[] {base, base + pages * 4096L - 1, 4, 0, 1, pages});
        p.vadFiles.add(null);
    }

    /** Moves one page of a hive's bins out of memory, as the hive writer asks. */
    private HiveMemoryWriter.Placement displaceHivePage(List<Proc> all, PageTableBuilder space, long va, byte[] page,
            HiveMemoryWriter.Destination where) {
        return switch (where) {
            case PAGEFILE -> {
                long n = freePagingFilePage(pagefile, 0xA00, random);
                pagefile.put(n << 12, page.clone());
                space.setPte(va, pte.software(0, n, 4, true));
                yield new HiveMemoryWriter.Placement(where, 0, n << 12);
            }
            case COMPRESSED -> {
                if (store == null) {
                    throw new IllegalArgumentException("hive pages in the compressed store need withCompressedStore");
                }
                long pid = all.stream().filter(p -> p.space == space).mapToLong(p -> p.pid).findFirst().orElse(4);
                store.page(space, pid, va, page, 4, true, 0, CompressedStoreWriter.Handling.PLAIN);
                yield new HiveMemoryWriter.Placement(where, CompressedStoreWriter.VIRTUAL_STORE_SLOT, -1);
            }
            case TRANSITION -> {
                long frame = memory.allocateFrame();
                memory.write(frame, page);
                space.setPte(va, pte.transition(frame, 4));
                yield new HiveMemoryWriter.Placement(where, -1, frame);
            }
            case UNMAPPED -> throw new IllegalArgumentException("the hive writer unmaps pages itself");
        };
    }

    /**
     * Lays the compressed store out: its regions go into MemCompression's address space, under a
     * private VAD per store.
     */
    private SynthTruth.CompressedStoreInfo writeStore(List<Proc> procs) {
        Proc owner = procs.stream().filter(p -> p.name.equals("MemCompression")).findFirst().orElseThrow();
        long regionBase = 0x0000010000000000L + 0x10000L * random.nextInt(0x100000);
        SynthTruth.CompressedStoreInfo info = store.write(storeSymbol, global(storeSymbol), storeCacheAli,
                storeSignature, owner.pid, owner.eprocess, owner.space, regionBase);
        for (long[] r : store.regionVads()) {
            owner.vadRanges.add(new long[] {r[0], r[1], 4, 0, 1, -1});
            owner.vadFiles.add(null);
        }
        return info;
    }

    private static List<SynthTruth.Process> truth(List<Proc> procs) {
        List<SynthTruth.Process> out = new ArrayList<>();
        for (Proc p : procs) {
            out.add(new SynthTruth.Process(p.pid, p.ppid, p.name, p.eprocess, p.space.dtb(), p.createFileTime,
                    fromFileTime(p.createFileTime), p.exitFileTime, p.peb, p.threads, p.commandLine, p.imagePath,
                    p.imageBase, p.currentDirectory, p.environment, p.environmentPagefileOffset,
                    List.copyOf(p.modules), List.copyOf(p.vads), p.imageSha256, List.copyOf(p.imagePages)));
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- kernel image and globals

    private static int pml4Index(long va) {
        return (int) ((va >>> 39) & 0x1ff);
    }

    private int freePml4(int lo, int hi) {
        for (int tries = 0; tries < 1000; tries++) {
            int i = lo + random.nextInt(hi - lo + 1);
            if (!usedPml4.contains(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no free top-level slot in 0x" + Integer.toHexString(lo) + "..0x"
                + Integer.toHexString(hi));
    }

    private String randomGuid() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return b.toString();
    }

    /** Takes the real RVAs from the profile; invents them (in a .data area) where it has none. */
    private void placeSymbols() {
        List<String> wanted = new ArrayList<>(List.of("PsActiveProcessHead", "PsLoadedModuleList",
                "KdDebuggerDataBlock", "NtBuildNumber", "PsInitialSystemProcess"));
        if (options.encodedKdbg()) {
            wanted.addAll(List.of("KdpDataBlockEncoded", "KiWaitNever", "KiWaitAlways"));
        }
        if (profile.has("_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask")) {
            wanted.add("MiState");
        }
        if (options.hives() != null) {
            wanted.add("CmpHiveListHead");
        }
        if (options.vbs() || profile.symbol(VSL_VSM_ENABLED).isPresent()) {
            wanted.add(VSL_VSM_ENABLED);
        }
        if (profile.has("_MMPAGING_FILE", "PageFileNumber")) {
            if (profile.has("_MI_PARTITION", "Vp.PagingFile")) {
                wanted.add("MiSystemPartition");
            } else {
                wanted.addAll(List.of("MmPagingFile", "MmNumberOfPagingFiles"));
            }
        }
        long chosen = 0x400000L + 0x1000L * random.nextInt(0x200);
        for (String name : wanted) {
            Long rva = profile.symbol(name).orElse(null);
            if (rva == null) {
                if (options.encodedKdbg() && name.startsWith("K") && !name.equals("KdDebuggerDataBlock")) {
                    throw new IllegalArgumentException("an encoded KDBG needs the symbol " + name + ", which "
                            + profile.source() + " lacks");
                }
                chosen = (chosen + 0x10 + 0x10L * random.nextInt(64)) & ~0xfL;
                rva = chosen;
                chosen += name.equals("KdDebuggerDataBlock") ? 0x400 : Math.max(0x10, extent(name));
            }
            rvas.put(name, rva);
        }
    }

    /** @return the bytes a kernel global spans */
    private long extent(String name) {
        return switch (name) {
            case "MiState" -> profile.requireStruct("_MI_SYSTEM_INFORMATION").size();
            case "MiSystemPartition" -> profile.requireStruct("_MI_PARTITION").size();
            case "MmPagingFile" -> 16 * 8;
            default -> 0x10;
        };
    }

    private long global(String name) {
        return globals.computeIfAbsent(name, n -> {
            Long rva = rvas.get(n);
            if (rva == null) {
                throw new IllegalStateException("symbol " + n + " was not placed");
            }
            return kernelBase + rva;
        });
    }

    private static final String SMGLOBALS_DECORATED = "?SmGlobals@@3U_SM_GLOBALS@@A";

    private void writeKernelImage(String pdbName, String guid, int age) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Map.Entry<String, Long> e : rvas.entrySet()) {
            lo = Math.min(lo, e.getValue());
            hi = Math.max(hi, e.getValue() + Math.max(0x400, extent(e.getKey())));
        }
        int dataLo = (int) (lo & ~0xfffL);
        int dataHi = (int) ((hi + 0xfff) & ~0xfffL);
        int rdata = dataHi;
        boolean withStore = options.compressedStore() != SynthOptions.CompressedStore.NONE;
        long realSmGlobals = withStore ? profile.symbol(SMGLOBALS_DECORATED).orElse(-1L) : -1;
        if (realSmGlobals >= 0) {
            // the profile's CACHEALI page may lie among the other globals: .data then ends below it
            rdata = Math.max(dataHi, (int) (realSmGlobals & ~0xfffL) + 0x2000);
        }
        PeImageBuilder pe = new PeImageBuilder(0);
        pe.timeDateStamp(0x50000000 + random.nextInt(0x20000000))
                .osVersion(modern() ? 10 : 6, modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1)
                .moduleName("ntoskrnl.exe", false)
                .codeView(guid, age, pdbName)
                .export("NtBuildNumber", rvas.get("NtBuildNumber").intValue())
                .export("PsInitialSystemProcess", rvas.get("PsInitialSystemProcess").intValue())
                .export("PsLoadedModuleList", rvas.get("PsLoadedModuleList").intValue());
        byte[] metadata = pe.metadata(rdata);
        int rdataSize = (metadata.length + 0xfff) & ~0xfff;
        kernelSize = rdata + rdataSize;
        int cacheAli = -1;
        if (withStore) {
            cacheAli = placeSmGlobals(rdata + rdataSize, dataLo);
            kernelSize = Math.max(kernelSize, cacheAli + 0x2000);
        }

        if (modern()) {
            kernelBase = KERNEL_REGION + random.nextInt(0x3F0) * TWO_MB + TWO_MB * 8;
            long span = (kernelSize + TWO_MB - 1) & ~(TWO_MB - 1);
            long pa = memory.reserve(span, TWO_MB);
            for (long off = 0; off < span; off += TWO_MB) {
                kernel.map(kernelBase + off, pa + off, TWO_MB);
            }
        } else {
            kernelBase = KERNEL_REGION + 0x02600000L + 0x1000L * random.nextInt(0x200);
        }
        // .text runs up to POOLCODE, which sits just below the first data page
        int poolCode = dataLo - 0x1000;
        int entry = 0x1000 + 0x10 * random.nextInt(0x80);
        pe = new PeImageBuilder(kernelBase);
        pe.timeDateStamp(0x50000000 + random.nextInt(0x20000000))
                .osVersion(modern() ? 10 : 6, modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1)
                .moduleName("ntoskrnl.exe", false)
                .codeView(guid, age, pdbName)
                .export("NtBuildNumber", rvas.get("NtBuildNumber").intValue())
                .export("PsInitialSystemProcess", rvas.get("PsInitialSystemProcess").intValue())
                .export("PsLoadedModuleList", rvas.get("PsLoadedModuleList").intValue())
                .section(".text", 0x1000, poolCode - 0x1000, PeImageBuilder.CODE)
                .section("POOLCODE", poolCode, 0x1000, PeImageBuilder.CODE)
                .entryPoint(entry);
        if (cacheAli >= dataLo && cacheAli < dataHi) {
            pe.section(".data", dataLo, cacheAli - dataLo, PeImageBuilder.DATA);
            if (dataHi > cacheAli + 0x2000) {
                pe.section("PAGEDATA", cacheAli + 0x2000, dataHi - cacheAli - 0x2000, PeImageBuilder.DATA);
            }
        } else {
            pe.section(".data", dataLo, dataHi - dataLo, PeImageBuilder.DATA);
        }
        pe.section(".rdata", rdata, rdataSize, PeImageBuilder.RDATA);
        if (cacheAli >= 0) {
            pe.section("CACHEALI", cacheAli, 0x2000, PeImageBuilder.DATA);
        }
        metadata = pe.metadata(rdata);
        kernel.write(kernelBase, pe.headers());
        kernel.write(kernelBase + rdata, metadata);
        byte[] code = new byte[0x200];
        random.nextBytes(code);
        code[0] = 0x48; // sub rsp, 28h
        code[1] = (byte) 0x83;
        code[2] = (byte) 0xEC;
        code[3] = 0x28;
        kernel.write(kernelBase + entry, code);
        kernel.write(kernelBase + poolCode, new byte[] {(byte) 0xCC, (byte) 0xC3});
        this.kernelEntry = kernelBase + entry;
        if (cacheAli >= 0) {
            storeCacheAli = kernelBase + cacheAli;
            writeStoreSignature(Math.min(poolCode, 0x200000), dataLo, dataHi);
        }
    }

    /**
     * Places SmGlobals: at the profile's RVA when it has the symbol, else cache-aligned in the first page
     * of a CACHEALI section after {@code after}; returns the section's RVA (SmGlobals' page).
     */
    private int placeSmGlobals(int after, int dataLo) {
        String real = SMGLOBALS_DECORATED;
        long rva;
        if (profile.symbol(real).isPresent()) {
            storeSymbol = real;
            rva = profile.symbol(real).get();
        } else {
            storeSymbol = "SmGlobals";
            rva = profile.symbol(storeSymbol).orElseGet(() -> after + 0x1000L * (1 + random.nextInt(8)) + 0x40L
                    * (1 + random.nextInt(0x1F)));
        }
        rvas.put(storeSymbol, rva);
        int section = (int) (rva & ~0xfffL);
        if (section < dataLo) {
            throw new IllegalStateException("profile " + profile.source() + " puts " + storeSymbol + " at RVA 0x"
                    + Long.toHexString(rva) + ", below the kernel's data: no room for a CACHEALI section");
        }
        return section;
    }

    /**
     * Writes the fragment of SmpPageWrite whose {@code lea rdx, [rip + SmGlobals]} a reader without
     * symbols finds SmGlobals by, inside .text below {@code textEnd}, amid other code.
     */
    private void writeStoreSignature(int textEnd, int dataLo, int dataHi) {
        int rva = 0x2000 + 0x10 * random.nextInt((textEnd - 0x2100) / 0x10);
        long at = kernelBase + rva;
        long lea = kernelBase + dataLo + 0x10L * random.nextInt((dataHi - dataLo) / 0x10);
        long call = kernelBase + 0x1000 + 0x10L * random.nextInt((textEnd - 0x1000) / 0x10);
        byte[] signature = CompressedStoreWriter.codeSignature(at, kernelBase + rvas.get(storeSymbol), lea, call);
        byte[] before = new byte[0x20];
        byte[] after = new byte[0x20];
        random.nextBytes(before);
        random.nextBytes(after);
        kernel.write(at - before.length, before);
        kernel.write(at, signature);
        kernel.write(at + signature.length, after);
        storeSignature = at;
    }

    private long kernelEntry;

    private void writeKuser() {
        kuserFrame = memory.allocateFrame();
        kernel.map(KUSER_SHARED_DATA, kuserFrame, 4096);
        StructBuffer k = new StructBuffer(profile, "_KUSER_SHARED_DATA");
        if (k.has("NtBuildNumber")) {
            k.put("NtBuildNumber", build);
        }
        k.put("NtMajorVersion", modern() ? 10 : 6);
        k.put("NtMinorVersion", modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1);
        if (k.has("NtProductType")) {
            k.put("NtProductType", 1);
        }
        if (k.has("ProductTypeIsValid")) {
            k.put("ProductTypeIsValid", 1);
        }
        if (options.vbs() && k.has("DbgSecureBootEnabled")) {
            k.put("DbgSecureBootEnabled", 1);
        }
        memory.write(kuserFrame, k.bytes());
    }

    /** Pool tag of untyped allocations ('Vstg'). */
    private static final long TAG_OTHER = 0x67747356L;

    private long poolAlloc(long size) {
        return poolAlloc(size, TAG_OTHER);
    }

    /** Allocates a pool block: a _POOL_HEADER with {@code tag}, then the body (returned). */
    private long poolAlloc(long size, long tag) {
        long header = poolHeader(0, size, tag);
        long va = header + 0x10;
        poolCursor = va + size;
        kernel.write(va, new byte[(int) size]);
        return va;
    }

    /** Allocates whole zeroed pages, page aligned, without a pool header (as big-pool blocks are). */
    private long poolPages(int count) {
        poolCursor = ((poolCursor + 0xfff) & ~0xfffL) + 0x1000L * random.nextInt(3);
        long va = poolCursor;
        kernel.write(va, new byte[count * 4096]);
        poolCursor = va + count * 4096L;
        return va;
    }

    /** Writes a _POOL_HEADER for a block of {@code extra + size} body bytes at the next free 16-byte slot. */
    private long poolHeader(long extra, long size, long tag) {
        poolCursor = (poolCursor + 0x10L * random.nextInt(8) + 0xf) & ~0xfL;
        long total = 0x10 + extra + size;
        if (total <= 0x1000 && (poolCursor & 0xfff) + total > 0x1000) {
            // a small pool block never straddles a page
            poolCursor = (poolCursor + 0xfff) & ~0xfffL;
        }
        long header = poolCursor;
        StructBuffer h = new StructBuffer(profile, "_POOL_HEADER");
        long blocks = (0x10 + extra + size + 0xf) / 0x10;
        h.putIfPresent("BlockSize", Math.min(blocks, 0xff)).putIfPresent("PoolType", 2).put("PoolTag", tag);
        kernel.write(header, h.bytes());
        return header;
    }

    /** Allocates an object: _POOL_HEADER with {@code tag}, _OBJECT_HEADER, then the body (returned). */
    private long objectAlloc(long size, long tag) {
        long bodyOffset = profile.offset("_OBJECT_HEADER", "Body");
        long header = poolHeader(bodyOffset, size, tag);
        long objectHeader = header + 0x10;
        StructBuffer o = new StructBuffer(profile, "_OBJECT_HEADER");
        o.putIfPresent("PointerCount", 3 + random.nextInt(20)).putIfPresent("HandleCount", 1 + random.nextInt(8));
        o.putIfPresent("TypeIndex", 7);
        kernel.write(objectHeader, o.bytes());
        long va = objectHeader + bodyOffset;
        kernel.write(va, new byte[(int) size]);
        poolCursor = va + size;
        return va;
    }

    private long poolString(String s) {
        byte[] b = Le.utf16(s + "\0");
        long va = poolAlloc(b.length);
        kernel.write(va, b);
        return va;
    }

    /** Links the entries (each the address of its LIST_ENTRY) into a circular list behind {@code head}. */
    private static void linkList(PageTableBuilder space, long head, List<Long> entries) {
        if (entries.isEmpty()) {
            space.writeLong(head, head);
            space.writeLong(head + 8, head);
            return;
        }
        space.writeLong(head, entries.get(0));
        space.writeLong(head + 8, entries.get(entries.size() - 1));
        for (int i = 0; i < entries.size(); i++) {
            long e = entries.get(i);
            space.writeLong(e, i + 1 < entries.size() ? entries.get(i + 1) : head);
            space.writeLong(e + 8, i > 0 ? entries.get(i - 1) : head);
        }
    }

    private List<SynthTruth.Module> writeKernelModules() {
        String entryType = profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent() ? "_KLDR_DATA_TABLE_ENTRY"
                : "_LDR_DATA_TABLE_ENTRY";
        List<SynthTruth.Module> modules = new ArrayList<>();
        modules.add(new SynthTruth.Module("ntoskrnl.exe", "\\SystemRoot\\system32\\ntoskrnl.exe", kernelBase,
                kernelSize, kernelEntry));
        // hal.dll just below the kernel on a 2 MiB boundary: a PE without POOLCODE a kernel scan must skip
        long halBase = modern() ? kernelBase - 4 * TWO_MB : kernelBase - 0x200000L - 0x1000L * random.nextInt(64);
        modules.add(driver("hal.dll", "\\SystemRoot\\system32\\hal.dll", halBase, 0x69000));
        // drivers follow the kernel image, past the last large page that maps it
        long cursor = (kernelBase + kernelSize + TWO_MB - 1) & ~(TWO_MB - 1);
        String[][] drivers = {{"kdcom.dll", "\\SystemRoot\\system32\\kdcom.dll"},
            {"CLFS.SYS", "\\SystemRoot\\System32\\drivers\\CLFS.SYS"},
            {"CI.dll", "\\SystemRoot\\system32\\CI.dll"},
            {"ACPI.sys", "\\SystemRoot\\System32\\drivers\\ACPI.sys"},
            {"Ntfs.sys", "\\SystemRoot\\System32\\Drivers\\Ntfs.sys"},
            {"tcpip.sys", "\\SystemRoot\\System32\\drivers\\tcpip.sys"},
            {"disk.sys", "\\SystemRoot\\System32\\drivers\\disk.sys"}};
        for (String[] d : drivers) {
            int size = (0x8000 + random.nextInt(0x60) * 0x1000);
            cursor += 0x10000L * (1 + random.nextInt(8));
            modules.add(driver(d[0], d[1], cursor, size));
            cursor += size;
        }
        List<Long> entries = new ArrayList<>();
        long linksOff = profile.offset(entryType, "InLoadOrderLinks");
        for (SynthTruth.Module m : modules) {
            StructBuffer e = new StructBuffer(profile, entryType);
            long full = poolString(m.path());
            long base = poolString(m.name());
            e.put("DllBase", m.base()).put("SizeOfImage", m.size());
            if (e.has("EntryPoint")) {
                e.put("EntryPoint", m.entry());
            }
            e.putUnicode("FullDllName", m.path().length() * 2, m.path().length() * 2 + 2, full);
            e.putUnicode("BaseDllName", m.name().length() * 2, m.name().length() * 2 + 2, base);
            long va = poolAlloc(e.size());
            kernel.write(va, e.bytes());
            entries.add(va + linksOff);
            kernelModuleEntries.add(va);
        }
        linkList(kernel, global("PsLoadedModuleList"), entries);
        return List.copyOf(modules);
    }

    private SynthTruth.Module driver(String name, String path, long base, int size) {
        String pdb = name.substring(0, name.lastIndexOf('.')).toLowerCase(Locale.ROOT) + ".pdb";
        PeImageBuilder pe = new PeImageBuilder(base).moduleName(name, true).timeDateStamp(random.nextInt())
                .section(".text", 0x1000, size / 2, PeImageBuilder.CODE)
                .section(".data", 0x1000 + ((size / 2 + 0xfff) & ~0xfff), 0x1000, PeImageBuilder.DATA)
                .codeView(randomGuid(), 1, pdb).entryPoint(0x1000).sizeOfImage(size);
        byte[] meta = pe.metadata(0x1000 + ((size / 2 + 0xfff) & ~0xfff));
        kernel.write(base, pe.headers());
        kernel.write(base + 0x1000 + ((size / 2 + 0xfff) & ~0xfff), meta);
        return new SynthTruth.Module(name, path, base, pe.sizeOfImage(), base + 0x1000);
    }

    private long writeKdbg() {
        long va = global("KdDebuggerDataBlock");
        int size = build < 9200 ? 0x340 : build < 14393 ? 0x360 : build < 17763 ? 0x368 : 0x380;
        byte[] b = new byte[size];
        Le.put(b, 0, va, 8);
        Le.put(b, 8, va, 8);
        Le.put(b, 0x10, 0x4742444BL, 4); // 'KDBG'
        Le.put(b, 0x14, size, 4);
        Le.put(b, 0x18, kernelBase, 8);
        Le.put(b, 0x48, global("PsLoadedModuleList"), 8);
        Le.put(b, 0x50, global("PsActiveProcessHead"), 8);
        if (options.encodedKdbg()) {
            long never = random.nextLong();
            long always = random.nextLong();
            long flag = global("KdpDataBlockEncoded");
            kernel.writeLong(global("KiWaitNever"), never);
            kernel.writeLong(global("KiWaitAlways"), always);
            kernel.write(flag, new byte[] {1});
            for (int i = 0; i + 8 <= size; i += 8) {
                long plain = Le.get(b, i, 8);
                long x = Long.reverseBytes(plain ^ always) ^ (flag | 0xFFFF000000000000L);
                x = Long.rotateRight(x, (int) (never & 0xff)) ^ never;
                Le.put(b, i, x, 8);
            }
        }
        kernel.write(va, b);
        return va;
    }

    private long writeLowStub() {
        long pa = 0x1000L * (1 + random.nextInt(0x9E));
        byte[] b = new byte[0x1000];
        Le.put(b, 0, 0x00000001000600E9L | ((long) random.nextInt(256) << 8), 8);
        Le.put(b, 0x70, kernelEntry & ~3L, 8);
        Le.put(b, 0xA0, kernel.dtb(), 8);
        memory.write(pa, b);
        return pa;
    }

    /** Other kernel regions a live system has (PFN database, paged pool, system PTEs) and a 1 GiB page. */
    private void writeExtraRegions() {
        for (int i = 0; i < 4; i++) {
            long va = 0xFFFF000000000000L | ((long) freePml4(0x100, 0x1FE) << 39) | (0x1000L * random.nextInt(
                    0x1000));
            usedPml4.add(pml4Index(va));
            byte[] page = new byte[64];
            random.nextBytes(page);
            kernel.write(va, page);
        }
        if (memory.size() >= 2 * ONE_GB) {
            long va = 0xFFFF000000000000L | ((long) freePml4(0x100, 0x1FE) << 39) | (ONE_GB * random.nextInt(512));
            usedPml4.add(pml4Index(va));
            kernel.map(va, ONE_GB, ONE_GB);
            long off = 0x1000L * random.nextInt(0x40000);
            byte[] marker = "VESTIGE-1GIB-PAGE".getBytes(StandardCharsets.US_ASCII);
            memory.write(ONE_GB + off, marker);
            translations.add(new SynthTruth.Translation(va + off, ONE_GB + off, ONE_GB, "1 GiB page"));
        }
    }

    // ---------------------------------------------------------------- processes

    private static final class Proc {
        String name;
        long pid;
        long ppid;
        String commandLine;
        String imagePath;
        boolean user;
        /** a trustlet (IUM process): its private pages belong to VTL1 */
        boolean isolated;
        /** its _KPROCESS says secure process */
        boolean secure;
        /** the private pages a VTL0 acquisition read as zeros */
        List<Long> zeroPages = new ArrayList<>();
        List<String[]> dlls = new ArrayList<>();
        int threads;
        long createFileTime;
        long eprocess;
        PageTableBuilder space;
        long peb;
        String environment = "";
        long exitFileTime;
        long imageBase;
        String currentDirectory;
        long environmentPagefileOffset = -1;
        long heapBase;
        long stackBase;
        /** VADs to place: {start, end, protection, vadType, private, commit} and the file of an image */
        List<long[]> vadRanges = new ArrayList<>();
        List<String> vadFiles = new ArrayList<>();
        List<SynthTruth.Vad> vads = new ArrayList<>();
        long vadRoot;
        long vadLeaf;
        List<SynthTruth.Module> modules = new ArrayList<>();
        String imageSha256;
        List<SynthTruth.ImagePage> imagePages = new ArrayList<>();
        /** prototype PTE arrays of image VADs: VAD start to {array, pages} */
        Map<Long, long[]> prototypes = new LinkedHashMap<>();
        /** image VADs with a page only in the file: VAD start to the page's index */
        Map<Long, Integer> fileBacked = new LinkedHashMap<>();
        /** the true bytes of pages placed outside the process's valid PTEs, by virtual address */
        Map<Long, byte[]> outOfRam = new LinkedHashMap<>();
        /** the executable's pages by virtual address: the section each lies in */
        Map<Long, String> sections = new LinkedHashMap<>();
    }

    private List<Proc> planProcesses() {
        Set<Long> pids = new HashSet<>();
        pids.add(4L);
        long boot = (1_700_000_000_000L + (long) random.nextInt(50_000_000) * 1000 + FILETIME_EPOCH_OFFSET_MS)
                * 10_000L;
        List<Proc> list = new ArrayList<>();
        long[] clock = {boot};
        java.util.function.Supplier<Long> newPid = () -> {
            long p;
            do {
                p = 4L * (17 + random.nextInt(3000));
            } while (!pids.add(p));
            return p;
        };
        String sys32 = "C:\\Windows\\system32\\";
        Proc system = proc(list, "System", 4, 0, null, null, false, 100 + random.nextInt(100), clock, 0);
        system.imagePath = null;
        if (options.vbs()) {
            // the minimal process the kernel creates for the secure kernel when VSM is enabled
            proc(list, "Secure System", newPid.get(), 4, null, null, false, 1 + random.nextInt(4), clock, 0);
        }
        if (build >= 17134) {
            proc(list, "Registry", newPid.get(), 4, null, null, false, 4, clock, 3);
        }
        Proc smss = proc(list, "smss.exe", newPid.get(), 4, "\\SystemRoot\\System32\\smss.exe",
                "\\SystemRoot\\System32\\smss.exe", true, 2, clock, 2);
        long smssChild1 = newPid.get();
        long smssChild2 = newPid.get();
        pids.add(smssChild1);
        String csrssCmd = "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768"
                + " Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3"
                + " ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";
        proc(list, "csrss.exe", newPid.get(), smssChild1, csrssCmd, sys32 + "csrss.exe", true, 10, clock, 1);
        Proc wininit = proc(list, "wininit.exe", newPid.get(), smssChild1, "wininit.exe", sys32 + "wininit.exe",
                true, 1, clock, 1);
        proc(list, "csrss.exe", newPid.get(), smssChild2, csrssCmd, sys32 + "csrss.exe", true, 12, clock, 1);
        Proc winlogon = proc(list, "winlogon.exe", newPid.get(), smssChild2, "winlogon.exe", sys32
                + "winlogon.exe", true, 5, clock, 1);
        Proc services = proc(list, "services.exe", newPid.get(), wininit.pid, sys32 + "services.exe", sys32
                + "services.exe", true, 7, clock, 1);
        if (options.vbs()) {
            Proc iso = proc(list, "LsaIso.exe", newPid.get(), wininit.pid, sys32 + "lsaiso.exe", sys32 + "lsaiso.exe",
                    true, 1 + random.nextInt(3), clock, 1);
            iso.isolated = true;
            iso.secure = true;
        }
        Proc lsass = proc(list, "lsass.exe", newPid.get(), wininit.pid, sys32 + "lsass.exe", sys32 + "lsass.exe",
                true, 9, clock, 1);
        lsass.dlls.add(new String[] {"lsasrv.dll", sys32 + "lsasrv.dll"});
        String[] groups = {"DcomLaunch", "RPCSS", "LocalServiceNetworkRestricted", "netsvcs", "LocalService",
            "NetworkService", "LocalSystemNetworkRestricted", "UnistackSvcGroup", "utcsvc", "appmodel"};
        for (int i = 0; i < options.svchostCount(); i++) {
            String cmd = sys32 + "svchost.exe -k " + groups[i % groups.length] + (modern() ? " -p" : "");
            Proc s = proc(list, "svchost.exe", newPid.get(), services.pid, cmd, sys32 + "svchost.exe", true,
                    3 + random.nextInt(30), clock, 1);
            s.dlls.add(new String[] {"sechost.dll", sys32 + "sechost.dll"});
            if (i == 1 && build >= 10586) {
                proc(list, "MemCompression", newPid.get(), 4, null, null, false, 18 + random.nextInt(40), clock, 1);
            }
        }
        if (store != null && list.stream().noneMatch(p -> p.name.equals("MemCompression"))) {
            proc(list, "MemCompression", newPid.get(), 4, null, null, false, 18 + random.nextInt(40), clock, 1);
        }
        proc(list, "dwm.exe", newPid.get(), winlogon.pid, "\"dwm.exe\"", sys32 + "dwm.exe", true, 14, clock, 5);
        Proc explorer = proc(list, "explorer.exe", newPid.get(), newPid.get(), "C:\\Windows\\Explorer.EXE",
                "C:\\Windows\\Explorer.EXE", true, 60 + random.nextInt(40), clock, 20);
        explorer.dlls.add(new String[] {"USER32.dll", sys32 + "USER32.dll"});
        explorer.dlls.add(new String[] {"SHELL32.dll", sys32 + "SHELL32.dll"});
        Proc notepad = proc(list, "notepad.exe", newPid.get(), explorer.pid,
                "\"" + sys32 + "notepad.exe\" C:\\Users\\alice\\Documents\\notes.txt", sys32 + "notepad.exe", true,
                1 + random.nextInt(4), clock, 300);
        notepad.dlls.add(new String[] {"USER32.dll", sys32 + "USER32.dll"});
        smss.threads = 2;
        return list;
    }

    private Proc proc(List<Proc> list, String name, long pid, long ppid, String cmd, String path, boolean user,
            int threads, long[] clock, int secondsLater) {
        Proc p = new Proc();
        p.name = name;
        p.pid = pid;
        p.ppid = ppid;
        p.commandLine = cmd;
        p.imagePath = path;
        p.user = user;
        p.threads = threads;
        clock[0] += secondsLater * 10_000_000L + random.nextInt(10_000_000);
        p.createFileTime = clock[0];
        list.add(p);
        return p;
    }

    private static Instant fromFileTime(long fileTime) {
        long micros = fileTime / 10 - FILETIME_EPOCH_OFFSET_MS * 1000;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L
                + (fileTime % 10) * 100);
    }

    private void writeEprocess(Proc p) {
        StructBuffer e = new StructBuffer(profile, "_EPROCESS");
        if (e.has("Pcb.Header.Type")) {
            e.put("Pcb.Header.Type", 3); // ProcessObject
        }
        e.put("Pcb.DirectoryTableBase", p.space.dtb());
        e.put("UniqueProcessId", p.pid);
        e.put("InheritedFromUniqueProcessId", p.ppid);
        e.putAscii("ImageFileName", p.name);
        e.put("CreateTime", p.createFileTime);
        if (p.exitFileTime != 0 && e.has("ExitTime")) {
            e.put("ExitTime", p.exitFileTime);
        }
        if (p.vadRoot != 0) {
            if (e.has("VadRoot.Root")) {
                e.put("VadRoot.Root", p.vadRoot);
                e.putIfPresent("VadCount", p.vads.size());
            } else if (e.has("VadRoot.BalancedRoot.RightChild")) {
                e.put("VadRoot.BalancedRoot.RightChild", p.vadRoot);
                e.putIfPresent("VadRoot.NumberGenericTableElements", p.vads.size());
            }
        }
        e.put("Peb", p.peb);
        if (e.has("ActiveThreads")) {
            e.put("ActiveThreads", p.threads);
        }
        if (p.secure && e.has("Pcb.SecureState.SecureHandle")) {
            // the secure kernel's handle for the process; bit 0 of the same qword is Flags.SecureProcess
            e.put("Pcb.SecureState.SecureHandle", 0x1000L + 4L * (p.pid & 0xFFF));
            e.put("Pcb.SecureState.Flags.SecureProcess", 1);
        } else if (p.secure && e.has("Pcb.SecurePid")) {
            e.put("Pcb.SecurePid", 0x1000L + 4L * (p.pid & 0xFFF));
        }
        if (e.has("ThreadListHead")) {
            long head = p.eprocess + e.offset("ThreadListHead");
            e.putList("ThreadListHead", head, head);
        }
        if (p.exitFileTime != 0 && e.has("Pcb.ThreadListHead")) {
            // every thread has gone: the kernel's thread list is empty too
            long head = p.eprocess + e.offset("Pcb.ThreadListHead");
            e.putList("Pcb.ThreadListHead", head, head);
        }
        kernel.write(p.eprocess, e.bytes());
    }

    /** A bump allocator over one process's heap region. */
    private final class UserHeap {
        private final PageTableBuilder space;
        private long cursor;

        UserHeap(PageTableBuilder space, long base) {
            this.space = space;
            this.cursor = base;
        }

        long alloc(byte[] data) {
            cursor = (cursor + 0x10 + 0xf) & ~0xfL;
            long va = cursor;
            space.write(va, data);
            cursor += data.length;
            return va;
        }

        long string(String s) {
            return alloc(Le.utf16(s + "\0"));
        }
    }

    private void populateUser(Proc p) {
        if (p.isolated) {
            populateIsolated(p);
            return;
        }
        PageTableBuilder space = p.space;
        space.map(USER_KUSER, kuserFrame, 4096);
        long heapBase = modern() ? 0x0000010000000000L + 0x10000L * random.nextInt(0x100000) : 0x0000000000300000L
                + 0x10000L * random.nextInt(0x100);
        UserHeap heap = new UserHeap(space, heapBase);
        p.heapBase = heapBase;
        p.vadRanges.add(new long[] {USER_KUSER, USER_KUSER + 0xfff, 1, 0, 1, 1});
        p.vadFiles.add(null);
        p.peb = modern() ? 0x0000001000000000L + 0x1000L * random.nextInt(0x7000000) : 0x000007FFFFFD0000L + 0x1000L
                * random.nextInt(0xD);

        String exeName = p.imagePath.substring(p.imagePath.lastIndexOf('\\') + 1);
        String sys32 = "C:\\Windows\\SYSTEM32\\";
        List<String[]> mods = new ArrayList<>();
        mods.add(new String[] {exeName, p.imagePath.startsWith("\\SystemRoot") ? "C:\\Windows\\System32\\" + exeName
                : p.imagePath});
        mods.add(new String[] {"ntdll.dll", sys32 + "ntdll.dll"});
        if (!p.name.equals("smss.exe")) {
            mods.add(new String[] {"KERNEL32.DLL", "C:\\Windows\\System32\\KERNEL32.DLL"});
            mods.add(new String[] {"KERNELBASE.dll", "C:\\Windows\\System32\\KERNELBASE.dll"});
            mods.addAll(p.dlls);
        }
        long exeBase = modern() ? 0x00007FF600000000L + 0x10000L * random.nextInt(0xFFFF) : 0x000000013F000000L
                + 0x10000L * random.nextInt(0x100);
        long dllCursor = modern() ? 0x00007FFA00000000L + 0x10000L * random.nextInt(0x8000) : 0x000007FEF0000000L
                + 0x10000L * random.nextInt(0x100);
        for (int i = 0; i < mods.size(); i++) {
            String[] m = mods.get(i);
            int size = 0x10000 * (1 + random.nextInt(0x20));
            long base;
            if (i == 0) {
                base = exeBase;
            } else {
                dllCursor += 0x10000L * (1 + random.nextInt(4));
                base = dllCursor;
                dllCursor += size;
            }
            int entry = 0x1000 + 0x10 * random.nextInt(0x100);
            if (i == 0) {
                writeExecutable(p, base, size, m[0], entry);
            } else {
                PeImageBuilder pe = new PeImageBuilder(base).moduleName(m[0], true)
                        .section(".text", 0x1000, size - 0x2000, PeImageBuilder.CODE).entryPoint(entry)
                        .sizeOfImage(size);
                space.write(base, pe.headers());
                if (i == 1 && p.name.equals("notepad.exe") && prototypesKnown()) {
                    sharedPageThroughVad(p, base, size, m[0]);
                }
            }
            p.modules.add(new SynthTruth.Module(m[0], m[1], base, size, base + 0x1000));
            p.vadRanges.add(new long[] {base, base + size - 1, 7, 2, 0, 0});
            p.vadFiles.add(m[1].length() > 2 && m[1].charAt(1) == ':' ? m[1].substring(2) : m[1]);
        }
        p.imageBase = exeBase;
        long stack = modern() ? 0x000000A000000000L + 0x10000L * random.nextInt(0x1000) : 0x40000L + 0x10000L
                * random.nextInt(4);
        byte[] frame = new byte[0x100];
        random.nextBytes(frame);
        space.write(stack + 0x3f000, frame);
        p.vadRanges.add(new long[] {stack, stack + 0x3ffff, 4, 0, 1, 1});
        p.vadFiles.add(null);

        String env = "ALLUSERSPROFILE=C:\\ProgramData\0COMPUTERNAME=WS-" + Integer.toHexString(random.nextInt(0xffff))
                .toUpperCase(Locale.ROOT) + "\0Path=C:\\Windows\\system32;C:\\Windows\0SystemRoot=C:\\Windows\0"
                + "windir=C:\\Windows\0\0";
        p.environment = env;
        byte[] envBytes = Le.utf16(env);
        long envVa;
        if (p.name.equals("notepad.exe")) {
            // the environment block on a page of its own that was paged out to pagefile.sys
            envVa = heapBase + 0x200000;
            long pageInFile = 400 + random.nextInt(100);
            byte[] page = new byte[4096];
            System.arraycopy(envBytes, 0, page, 0, envBytes.length);
            pagefile.put(pageInFile * 4096, page);
            space.setPte(envVa, pte.software(0, pageInFile, 4, true));
            p.outOfRam.put(envVa, page);
            p.environmentPagefileOffset = pageInFile * 4096;
            p.vadRanges.add(new long[] {envVa, envVa + 0xfff, 4, 0, 1, 1});
            p.vadFiles.add(null);
        } else {
            envVa = heap.alloc(envBytes);
        }

        StructBuffer params = new StructBuffer(profile, "_RTL_USER_PROCESS_PARAMETERS");
        params.putIfPresent("MaximumLength", params.size()).putIfPresent("Length", params.size())
                .putIfPresent("Flags", 1);
        String cwd = "C:\\Windows\\system32\\";
        if (params.has("CurrentDirectory.DosPath")) {
            params.putUnicode("CurrentDirectory.DosPath", cwd.length() * 2, 520, heap.string(cwd));
            p.currentDirectory = cwd;
        }
        String image = p.imagePath.startsWith("\\SystemRoot") ? "C:\\Windows\\System32\\" + exeName : p.imagePath;
        params.putUnicode("ImagePathName", image.length() * 2, image.length() * 2 + 2, heap.string(image));
        params.putUnicode("CommandLine", p.commandLine.length() * 2, p.commandLine.length() * 2 + 2,
                heap.string(p.commandLine));
        params.put("Environment", envVa);
        if (params.has("EnvironmentSize")) {
            params.put("EnvironmentSize", envBytes.length);
        }
        long paramsVa = heap.alloc(params.bytes());

        long ntdll = p.modules.get(1).base();
        long ldrVa = ntdll + 0x16a000 + 0x10L * random.nextInt(0x40);
        StructBuffer ldr = new StructBuffer(profile, "_PEB_LDR_DATA");
        ldr.putIfPresent("Length", ldr.size()).putIfPresent("Initialized", 1);
        space.write(ldrVa, ldr.bytes());
        List<Long> entries = new ArrayList<>();
        for (SynthTruth.Module m : p.modules) {
            StructBuffer e = new StructBuffer(profile, "_LDR_DATA_TABLE_ENTRY");
            e.put("DllBase", m.base()).putIfPresent("EntryPoint", m.entry()).put("SizeOfImage", m.size());
            e.putUnicode("FullDllName", m.path().length() * 2, m.path().length() * 2 + 2, heap.string(m.path()));
            e.putUnicode("BaseDllName", m.name().length() * 2, m.name().length() * 2 + 2, heap.string(m.name()));
            entries.add(heap.alloc(e.bytes()));
        }
        long load = profile.offset("_LDR_DATA_TABLE_ENTRY", "InLoadOrderLinks");
        long mem = profile.offset("_LDR_DATA_TABLE_ENTRY", "InMemoryOrderLinks");
        linkList(space, ldrVa + ldr.offset("InLoadOrderModuleList"), entries.stream().map(e -> e + load).toList());
        linkList(space, ldrVa + ldr.offset("InMemoryOrderModuleList"), entries.stream().map(e -> e + mem).toList());
        if (profile.has("_LDR_DATA_TABLE_ENTRY", "InInitializationOrderLinks")) {
            long init = profile.offset("_LDR_DATA_TABLE_ENTRY", "InInitializationOrderLinks");
            linkList(space, ldrVa + ldr.offset("InInitializationOrderModuleList"), entries.subList(1, entries.size())
                    .stream().map(e -> e + init).toList());
        }

        StructBuffer peb = new StructBuffer(profile, "_PEB");
        peb.put("ImageBaseAddress", exeBase).put("Ldr", ldrVa).put("ProcessParameters", paramsVa);
        peb.putIfPresent("OSMajorVersion", modern() ? 10 : 6).putIfPresent("OSMinorVersion", modern() ? 0 : 1);
        peb.putIfPresent("OSBuildNumber", build);
        space.write(p.peb, peb.bytes());
        p.vadRanges.add(new long[] {p.peb, p.peb + 0xfff, 4, 0, 1, 1});
        p.vadFiles.add(null);
        long heapEnd = heapBase + Math.max(0x10000, (heap.cursor - heapBase + 0xffff) & ~0xffffL) - 1;
        p.vadRanges.add(new long[] {heapBase, heapEnd, 4, 0, 1, -1});
        p.vadFiles.add(null);
        if (store != null && (p.name.equals("lsass.exe") || p.name.equals("explorer.exe"))) {
            compressPrivatePages(p);
        }
        if (options.bulk() != null && p.name.equals("explorer.exe")) {
            bulkMemory(p, options.bulk());
        }
    }

    /** The first pagefile.sys page of the bulk paged-out memory: above every other page placed there. */
    private static final long BULK_PAGEFILE_FIRST = 0x10000;

    /**
     * Gives a process two private VADs of bulk memory: one resident, one paged out to pagefile.sys
     * from page {@value #BULK_PAGEFILE_FIRST} on (written when the file is, from {@link #bulkPage}).
     */
    private void bulkMemory(Proc p, SynthOptions.Bulk bulk) {
        long resident = 0x0000030000000000L + 0x100000L * random.nextInt(0x1000);
        for (int i = 0; i < bulk.residentPages(); i++) {
            p.space.write(resident + i * 4096L, bulkPage(options.seed(), i));
        }
        if (bulk.residentPages() > 0) {
            p.vadRanges.add(new long[] {resident, resident + bulk.residentPages() * 4096L - 1, 4, 0, 1,
                bulk.residentPages()});
            p.vadFiles.add(null);
        }
        long paged = resident + 0x1000000000L;
        for (int i = 0; i < bulk.pagedPages(); i++) {
            p.space.setPte(paged + i * 4096L, pte.software(0, BULK_PAGEFILE_FIRST + i, 4, (i & 1) == 0));
        }
        if (bulk.pagedPages() > 0) {
            p.vadRanges.add(new long[] {paged, paged + bulk.pagedPages() * 4096L - 1, 4, 0, 1, bulk.pagedPages()});
            p.vadFiles.add(null);
        }
    }

    /**
     * @return the bytes of bulk page {@code index} (resident pages count from 0, paged-out pages from
     *         1 << 24): words from a generator seeded by both, so pages differ and do not compress
     */
    public static byte[] bulkPage(long seed, long index) {
        byte[] page = new byte[4096];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        for (int at = 0; at < 4096; at += 8) {
            Le.put(page, at, r.nextLong(), 8);
        }
        return page;
    }

    /**
     * Gives lsass.exe (first store) and explorer.exe (second store) a private VAD of pages held in the
     * compressed store: heap-like pages, a page of zeros and an incompressible one, moved records, data
     * in a region page in transition or paged out; explorer.exe also gets the bulk pages.
     */
    private void compressPrivatePages(Proc p) {
        boolean lsass = p.name.equals("lsass.exe");
        CompressedStoreWriter.Handling plain = CompressedStoreWriter.Handling.PLAIN;
        CompressedStoreWriter.Handling[] plan = lsass
                ? new CompressedStoreWriter.Handling[] {plain, plain, plain, CompressedStoreWriter.Handling.MOVED,
                    CompressedStoreWriter.Handling.MOVED_TWICE, CompressedStoreWriter.Handling.REGION_TRANSITION}
                : new CompressedStoreWriter.Handling[] {plain, plain, plain, plain, plain, plain, plain, plain,
                    CompressedStoreWriter.Handling.REGION_PAGED_OUT, CompressedStoreWriter.Handling.REGION_PAGED_OUT,
                    CompressedStoreWriter.Handling.REGION_PAGED_OUT, CompressedStoreWriter.Handling.MOVED};
        long va = 0x0000020000000000L + 0x10000L * random.nextInt(0x10000);
        Random content = new Random(options.seed() ^ va);
        for (int i = 0; i < plan.length; i++) {
            long page = va + i * 4096L;
            byte[] bytes = new byte[4096];
            if (lsass && i == 1) {
                // a page of zeros: the store keeps no data for it
            } else if (lsass && i == 2) {
                content.nextBytes(bytes); // incompressible: stored raw
            } else {
                bytes = heapPage(p.name, page, content);
            }
            store.page(p.space, p.pid, page, bytes, 4, (i & 1) == 0, lsass ? 0 : 1, plan[i]);
            p.outOfRam.put(page, bytes);
        }
        p.vadRanges.add(new long[] {va, va + plan.length * 4096L - 1, 4, 0, 1, plan.length});
        p.vadFiles.add(null);
        int bulk = options.compressedPages();
        if (!lsass && bulk > 0) {
            long start = va + 0x100000;
            store.bulk(p.space, p.pid, start, bulk, 4);
            p.vadRanges.add(new long[] {start, start + bulk * 4096L - 1, 4, 0, 1, bulk});
            p.vadFiles.add(null);
        }
    }

    /** A page of heap entries: a length, then a UTF-16 string naming the owner, the address and a number. */
    private static byte[] heapPage(String owner, long va, Random random) {
        byte[] page = new byte[4096];
        int at = 0;
        while (at + 16 < 4096) {
            byte[] s = Le.utf16(owner + " heap 0x" + Long.toHexString(va + at) + " entry " + random.nextInt(10000)
                    + "\0");
            Le.put(page, at, s.length, 4);
            System.arraycopy(s, 0, page, at + 16, Math.min(s.length, 4096 - at - 16));
            at += 16 + ((s.length + 0xf) & ~0xf);
        }
        return page;
    }

    /** Gives one process pages whose PTEs are invalid in each of the ways translation must handle. */
    private void placeInvalidPtes(Proc p) {
        long va = 0x0000000070000000L + 0x100000L * random.nextInt(0x100);
        int protection = 4; // read-write
        byte[] marker = marker("TRANSITION");
        long frame = memory.allocateFrame();
        memory.write(frame, marker);
        p.space.setPte(va, pte.transition(frame, protection));
        pteSamples.add(new PteSample(p.pid, p.space.dtb(), va, "transition", frame, -1, -1, marker));

        p.space.setPte(va + 0x1000, pte.demandZero(protection));
        pteSamples.add(new PteSample(p.pid, p.space.dtb(), va + 0x1000, "demand-zero", -1, -1, -1, new byte[16]));

        long pageInFile = 1 + random.nextInt(200);
        byte[] paged = new byte[4096];
        System.arraycopy(marker("PAGEFILE"), 0, paged, 0, 16);
        pagefile.put(pageInFile * 4096, paged);
        p.space.setPte(va + 0x2000, pte.software(0, pageInFile, protection, true));
        pteSamples.add(new PteSample(p.pid, p.space.dtb(), va + 0x2000, "pagefile", -1, 0, pageInFile * 4096,
                marker("PAGEFILE")));

        long pageInFile2 = pageInFile + 1 + random.nextInt(50);
        p.space.setPte(va + 0x3000, pte.software(0, pageInFile2, protection, false));
        byte[] paged2 = new byte[4096];
        System.arraycopy(marker("PAGEFILE-UNSWZ"), 0, paged2, 0, 16);
        pagefile.put(pageInFile2 * 4096, paged2);
        pteSamples.add(new PteSample(p.pid, p.space.dtb(), va + 0x3000, "pagefile", -1, 0, pageInFile2 * 4096,
                marker("PAGEFILE-UNSWZ")));

        long protoFrame = memory.allocateFrame();
        byte[] protoMarker = marker("PROTOTYPE");
        memory.write(protoFrame, protoMarker);
        long protoPteVa = poolAlloc(8);
        kernel.writeLong(protoPteVa, protoFrame | 0x121);
        p.space.setPte(va + 0x4000, pte.prototype(protoPteVa));
        pteSamples.add(new PteSample(p.pid, p.space.dtb(), va + 0x4000, "prototype", protoFrame, -1, -1,
                protoMarker));
        p.vadRanges.add(new long[] {va, va + 0x4fff, 4, 0, 1, 5});
        p.vadFiles.add(null);
    }

    private static byte[] marker(String what) {
        byte[] m = new byte[16];
        byte[] b = what.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, m, 0, Math.min(16, b.length));
        return m;
    }

    // ---------------------------------------------------------------- images and paging files

    private static final long VAD_PROTOTYPE_MARKER = 0xFFFFFFFF0000L;

    /** Whether image VADs can point at their prototype PTEs (FirstPrototypePte or Subsection.SubsectionBase). */
    private boolean prototypesKnown() {
        return profile.has("_MMVAD", "FirstPrototypePte") || (fileTypesKnown()
                && profile.has("_SUBSECTION", "SubsectionBase"));
    }

    /**
     * Maps a process's executable as a real PE image: headers, then .text, .rdata and .data with
     * content of their own, section alignment 0x1000. Its prototype PTEs go into a pool array the
     * image VAD points at. For notepad.exe some pages are not resident: two .text pages paged out to
     * pagefile.sys (one swizzled, one not), the first .rdata page in transition, the second found only
     * through the VAD, with {@link SynthOptions#swapfile()} the first .data page in swapfile.sys, and
     * with a compressed store the pages {@link #compressedImageHandling} names in the store.
     */
    private void writeExecutable(Proc p, long base, int size, String name, int entry) {
        int pages = size >>> 12;
        int text = Math.max(4, (pages - 1) / 2);
        int rdata = Math.max(2, (pages - 1 - text) / 2);
        int data = pages - 1 - text - rdata;
        PeImageBuilder pe = new PeImageBuilder(base).moduleName(name, false)
                .timeDateStamp((int) (0x50000000L + (p.pid * 0x9E3779B1L & 0x1FFFFFFFL)))
                .section(".text", 0x1000, text << 12, PeImageBuilder.CODE)
                .section(".rdata", (1 + text) << 12, rdata << 12, PeImageBuilder.RDATA)
                .section(".data", (1 + text + rdata) << 12, data << 12, PeImageBuilder.DATA)
                .entryPoint(entry).sizeOfImage(size);
        byte[] image = new byte[size];
        System.arraycopy(pe.headers(), 0, image, 0, 0x1000);
        Random content = new Random(options.seed() * 0x9E3779B97F4A7C15L ^ p.pid);
        for (int k = 1; k < pages; k++) {
            String section = k <= text ? ".text" : k <= text + rdata ? ".rdata" : ".data";
            int first = section.equals(".text") ? 1 : section.equals(".rdata") ? 1 + text : 1 + text + rdata;
            byte[] label = (name + " " + section + " page " + (k - first) + "\0").getBytes(StandardCharsets.US_ASCII);
            int at = k << 12;
            switch (section) {
                case ".text" -> {
                    byte[] code = new byte[4096];
                    content.nextBytes(code);
                    System.arraycopy(code, 0, image, at, 4096);
                }
                case ".rdata" -> {
                    byte[] line = ("string " + content.nextInt(1 << 20) + " of " + name + ";").getBytes(
                            StandardCharsets.US_ASCII);
                    for (int o = 0; o + line.length <= 4096; o += line.length) {
                        System.arraycopy(line, 0, image, at + o, line.length);
                    }
                }
                default -> {
                    for (int o = 0x100; o < 4096; o += 0x40) {
                        Le.put(image, at + o, content.nextLong(), 8);
                    }
                }
            }
            System.arraycopy(label, 0, image, at, label.length);
        }
        boolean notepad = p.name.equals("notepad.exe");
        boolean prototypes = prototypesKnown();
        long[] protos = new long[pages];
        for (int k = 0; k < pages; k++) {
            long va = base + ((long) k << 12);
            byte[] page = java.util.Arrays.copyOfRange(image, k << 12, (k + 1) << 12);
            int protection = k == 0 ? 1 : k <= text ? 3 : k <= text + rdata ? 1 : 4;
            String kind = "ram";
            int slot = -1;
            long offset = -1;
            boolean viaVad = false;
            if (notepad && (k == 2 || k == 3)) {
                long pageInFile = freePagingFilePage(pagefile, 0x800, content);
                pagefile.put(pageInFile << 12, page);
                long raw = pte.software(0, pageInFile, protection, k == 2);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "pagefile";
                slot = 0;
                offset = pageInFile << 12;
            } else if (notepad && k == 1 + text) {
                long frame = memory.allocateFrame();
                memory.write(frame, page);
                long raw = pte.transition(frame, protection);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "transition";
            } else if (notepad && k == 2 + text && prototypes) {
                long frame = memory.allocateFrame();
                memory.write(frame, page);
                p.space.setPte(va, pte.prototype(VAD_PROTOTYPE_MARKER));
                protos[k] = frame | 0x121;
                viaVad = true;
            } else if (notepad && k == 1 + text + rdata && options.swapfile()) {
                long pageInFile = freePagingFilePage(swapfile, 0x10, content);
                swapfile.put(pageInFile << 12, page);
                long raw = pte.software(1, pageInFile, protection, true);
                p.space.setPte(va, raw);
                protos[k] = raw;
                kind = "pagefile";
                slot = 1;
                offset = pageInFile << 12;
            } else if (notepad && store != null && compressedImageHandling(k, text, rdata) != null) {
                boolean swizzled = k == 4 || k == 3 + text;
                long raw = store.page(p.space, p.pid, va, page, protection, swizzled, 0, compressedImageHandling(k,
                        text, rdata));
                protos[k] = raw;
                kind = "compressed";
                slot = CompressedStoreWriter.VIRTUAL_STORE_SLOT;
            } else {
                p.space.write(va, page);
                protos[k] = (p.space.translate(va) & ~0xfffL) | 0x121;
            }
            p.imagePages.add(new SynthTruth.ImagePage(name, va, kind, slot, offset, viaVad, Sha256.hex(page)));
            p.sections.put(va, k == 0 ? "(headers)" : k <= text ? ".text" : k <= text + rdata ? ".rdata" : ".data");
            if (!kind.equals("ram") || viaVad) {
                p.outOfRam.put(va, page);
            }
        }
        p.imageSha256 = Sha256.hex(image);
        if (prototypes) {
            p.prototypes.put(base, new long[] {prototypeArray(protos), pages});
        }
    }

    /**
     * Which pages of notepad.exe's image are held in the compressed store (none of them already paged
     * out, in transition or found through the VAD): .text pages 4 and 5, .rdata page 2 (through a
     * moved record) and .data page 1.
     */
    private static CompressedStoreWriter.Handling compressedImageHandling(int k, int text, int rdata) {
        if (k == 4 || k == 5 || k == 2 + text + rdata) {
            return CompressedStoreWriter.Handling.PLAIN;
        }
        return k == 3 + text ? CompressedStoreWriter.Handling.MOVED : null;
    }

    /**
     * Gives a shared DLL of notepad.exe (ntdll.dll) a code page whose PTE only says "look in the VAD"
     * (PageFileHigh 0xFFFFFFFF, not swizzled): its prototype PTE, valid, sits in the array the DLL's
     * VAD points at.
     */
    private void sharedPageThroughVad(Proc p, long base, int size, String name) {
        int pages = size >>> 12;
        long[] protos = new long[pages];
        protos[0] = (p.space.translate(base) & ~0xfffL) | 0x121;
        byte[] page = new byte[4096];
        new Random(options.seed() ^ base).nextBytes(page);
        byte[] label = (name + " .text page 0\0").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, page, 0, label.length);
        long frame = memory.allocateFrame();
        memory.write(frame, page);
        protos[1] = frame | 0x121;
        p.space.setPte(base + 0x1000, pte.software(0, 0xFFFFFFFFL, 3, false));
        p.prototypes.put(base, new long[] {prototypeArray(protos), pages});
        p.imagePages.add(new SynthTruth.ImagePage(name, base + 0x1000, "ram", -1, -1, true, Sha256.hex(page)));
        p.outOfRam.put(base + 0x1000, page);
        if (pages > 2 && fileTypesKnown() && profile.has("_SUBSECTION", "SubsectionBase")) {
            // page 2 is not in memory at all: its prototype PTE points at the file's subsection (set once
            // the subsection exists), so only the file's name and offset can be said
            p.space.setPte(base + 0x2000, pte.software(0, 0xFFFFFFFFL, 3, false));
            p.fileBacked.put(base, 2);
            p.imagePages.add(new SynthTruth.ImagePage(name, base + 0x2000, "file", -1, 0x2000, true, null));
        }
    }

    /** Writes a prototype PTE array to pool memory and returns its address. */
    private long prototypeArray(long[] entries) {
        byte[] b = new byte[entries.length * 8];
        for (int i = 0; i < entries.length; i++) {
            Le.put(b, i * 8, entries[i], 8);
        }
        long va = poolAlloc(b.length);
        kernel.write(va, b);
        return va;
    }

    private static long freePagingFilePage(Map<Long, byte[]> file, long from, Random random) {
        long page;
        do {
            page = from + random.nextInt(0x100);
        } while (file.containsKey(page << 12));
        return page;
    }

    /**
     * Lays out the kernel's paging-file records: pagefile.sys (0), and where the profile knows the
     * flags swapfile.sys (1, WsSwapPagefile) and the virtual store (2, VirtualStorePagefile), each an
     * _MMPAGING_FILE in pool memory pointed at from MiSystemPartition.Vp.PagingFile[] or MmPagingFile[].
     */
    private List<SynthTruth.PagingFile> writePagingFiles() {
        if (!profile.has("_MMPAGING_FILE", "PageFileNumber")) {
            return List.of();
        }
        boolean partition = rvas.containsKey("MiSystemPartition");
        long array = partition ? global("MiSystemPartition") + profile.offset("_MI_PARTITION", "Vp.PagingFile")
                : global("MmPagingFile");
        List<SynthTruth.PagingFile> out = new ArrayList<>();
        long pagefilePages = pagingFilePages(pagefile);
        if (options.bulk() != null && options.bulk().pagedPages() > 0) {
            pagefilePages = Math.max(pagefilePages, BULK_PAGEFILE_FIRST + options.bulk().pagedPages());
        }
        out.add(pagingFileRecord(array, 0, "\\??\\C:\\pagefile.sys", pagefilePages, false, false));
        if (profile.has("_MMPAGING_FILE", "WsSwapPagefile")) {
            out.add(pagingFileRecord(array, 1, "\\??\\C:\\swapfile.sys", Math.max(0x1000, pagingFilePages(swapfile)),
                    true, false));
        }
        if (profile.has("_MMPAGING_FILE", "VirtualStorePagefile")) {
            long size = 0x10000 + 0x100L * random.nextInt(0x100);
            if (store != null) {
                // the virtual store spans every page key handed out
                size = Math.max(size, (store.highestPageFileHigh() + 0x1000) & ~0xfffL);
            }
            out.add(pagingFileRecord(array, CompressedStoreWriter.VIRTUAL_STORE_SLOT, "", size, false, true));
        }
        if (partition) {
            if (profile.has("_MI_PARTITION", "Vp.NumberOfPagingFiles")) {
                kernel.write(global("MiSystemPartition") + profile.offset("_MI_PARTITION", "Vp.NumberOfPagingFiles"),
                        Le.bytes(out.size(), 4));
            }
        } else {
            kernel.write(global("MmNumberOfPagingFiles"), Le.bytes(out.size(), 4));
        }
        return List.copyOf(out);
    }

    private SynthTruth.PagingFile pagingFileRecord(long array, int slot, String name, long pages, boolean swap,
            boolean virtualStore) {
        StructBuffer f = new StructBuffer(profile, "_MMPAGING_FILE");
        f.put("Size", pages).putIfPresent("MaximumSize", pages).putIfPresent("MinimumSize", pages);
        f.putUnicode("PageFileName", name.length() * 2, name.isEmpty() ? 0 : name.length() * 2 + 2,
                name.isEmpty() ? 0 : poolString(name));
        f.put("PageFileNumber", slot);
        if (swap) {
            f.put("WsSwapPagefile", 1);
        }
        if (virtualStore) {
            f.put("VirtualStorePagefile", 1);
        }
        long va = poolAlloc(f.size(), 0x66506d4dL); // 'MmPf'
        kernel.write(va, f.bytes());
        kernel.writeLong(array + slot * 8L, va);
        return new SynthTruth.PagingFile(slot, name, pages, swap, virtualStore, va);
    }

    // ---------------------------------------------------------------- VADs

    private static final long TAG_VAD_SHORT = 0x53646156L; // 'VadS'
    private static final long TAG_VAD = 0x20646156L; // 'Vad '
    private static final long TAG_FILE = 0x656c6946L; // 'File'
    private static final long TAG_CONTROL_AREA = 0x61436d4dL; // 'MmCa'

    private boolean fileTypesKnown() {
        return profile.has("_MMVAD", "Subsection") && profile.has("_SUBSECTION", "ControlArea")
                && profile.has("_CONTROL_AREA", "FilePointer") && profile.has("_FILE_OBJECT", "FileName");
    }

    /** Lays the process's VADs out as a balanced binary tree ordered by address and links it to the process. */
    private void writeVadTree(Proc p) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.vadRanges.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compareUnsigned(p.vadRanges.get(a)[0], p.vadRanges.get(b)[0]));
        List<long[]> ranges = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i : order) {
            long[] r = p.vadRanges.get(i);
            if (!ranges.isEmpty() && Long.compareUnsigned(ranges.get(ranges.size() - 1)[1], r[0]) >= 0) {
                continue; // overlaps the previous range (e.g. loader data inside an image): one VAD covers it
            }
            ranges.add(r);
            files.add(p.vadFiles.get(i));
        }
        long[] nodes = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            boolean image = ranges.get(i)[3] == 2;
            nodes[i] = poolAlloc(profile.requireStruct(image ? "_MMVAD" : "_MMVAD_SHORT").size(), image ? TAG_VAD
                    : TAG_VAD_SHORT);
        }
        p.vadRoot = vadSubtree(p, ranges, files, nodes, 0, ranges.size() - 1, 0);
    }

    private long vadSubtree(Proc p, List<long[]> ranges, List<String> files, long[] nodes, int lo, int hi,
            long parent) {
        if (lo > hi) {
            return 0;
        }
        int mid = (lo + hi) >>> 1;
        long node = nodes[mid];
        long left = vadSubtree(p, ranges, files, nodes, lo, mid - 1, node);
        long right = vadSubtree(p, ranges, files, nodes, mid + 1, hi, node);
        if (left == 0 && right == 0) {
            p.vadLeaf = node;
        }
        long[] r = ranges.get(mid);
        long commit = r[5];
        if (commit < 0) {
            commit = p.space.userLeaves().subMap(r[0], r[1] + 1).size();
        }
        StructBuffer v = new StructBuffer(profile, "_MMVAD_SHORT");
        boolean win8 = v.has("VadNode.Left");
        if (win8) {
            v.put("VadNode.Left", left).put("VadNode.Right", right).put("VadNode.ParentValue", parent);
            v.put("StartingVpn", (r[0] >>> 12) & 0xffffffffL).put("EndingVpn", (r[1] >>> 12) & 0xffffffffL);
            v.putIfPresent("StartingVpnHigh", r[0] >>> 44).putIfPresent("EndingVpnHigh", r[1] >>> 44);
        } else {
            v.put("LeftChild", left).put("RightChild", right).put("u1.Parent", parent);
            v.put("StartingVpn", r[0] >>> 12).put("EndingVpn", r[1] >>> 12);
        }
        v.put("u.VadFlags.Protection", r[2]).put("u.VadFlags.VadType", r[3]).put("u.VadFlags.PrivateMemory", r[4]);
        if (v.has("u1.VadFlags1.CommitCharge")) {
            v.put("u1.VadFlags1.CommitCharge", commit);
        } else if (v.has("CommitCharge")) {
            v.put("CommitCharge", commit);
        } else {
            v.put("u.VadFlags.CommitCharge", commit);
        }
        String file = null;
        byte[] bytes = v.bytes();
        if (r[3] == 2) {
            StructBuffer full = new StructBuffer(profile, "_MMVAD");
            System.arraycopy(bytes, 0, full.bytes(), 0, bytes.length);
            long[] proto = p.prototypes.get(r[0]);
            if (fileTypesKnown()) {
                file = files.get(mid);
                long subsection = fileMapping(file, proto);
                full.put("Subsection", subsection);
                Integer backed = p.fileBacked.get(r[0]);
                if (backed != null && proto != null) {
                    kernel.writeLong(proto[0] + backed * 8L, pte.prototype(subsection));
                }
            }
            if (proto != null && full.has("FirstPrototypePte")) {
                full.put("FirstPrototypePte", proto[0]);
                full.putIfPresent("LastContiguousPte", proto[0] + (proto[1] - 1) * 8);
            }
            bytes = full.bytes();
        }
        kernel.write(node, bytes);
        p.vads.add(new SynthTruth.Vad(node, r[0], r[1], (int) r[2], (int) r[3], r[4] != 0, commit, file));
        p.vads.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return node;
    }

    /**
     * A file object named {@code path}, its control area and the first subsection (with its prototype
     * PTE array {@code {address, count}} when given); returns the subsection.
     */
    private long fileMapping(String path, long[] prototypes) {
        long fileSize = profile.requireStruct("_FILE_OBJECT").size();
        long file = objectAlloc(fileSize, TAG_FILE);
        StructBuffer f = new StructBuffer(profile, "_FILE_OBJECT");
        f.putIfPresent("Type", 5).putIfPresent("Size", fileSize);
        f.putUnicode("FileName", path.length() * 2, path.length() * 2 + 2, poolString(path));
        kernel.write(file, f.bytes());
        long caSize = profile.requireStruct("_CONTROL_AREA").size();
        long ssSize = profile.requireStruct("_SUBSECTION").size();
        // the first subsection follows its control area in the same allocation
        long ca = poolAlloc(caSize + ssSize, TAG_CONTROL_AREA);
        StructBuffer c = new StructBuffer(profile, "_CONTROL_AREA");
        c.put("FilePointer.Value", file | (1 + random.nextInt(15)));
        c.putIfPresent("NumberOfMappedViews", 1 + random.nextInt(30));
        kernel.write(ca, c.bytes());
        StructBuffer ss = new StructBuffer(profile, "_SUBSECTION");
        ss.put("ControlArea", ca);
        if (prototypes != null) {
            ss.putIfPresent("SubsectionBase", prototypes[0]);
            ss.putIfPresent("PtesInSubsection", prototypes[1]);
        }
        kernel.write(ca + caSize, ss.bytes());
        return ca + caSize;
    }

    // ---------------------------------------------------------------- smear

    private SynthTruth.SmearInfo applySmear(List<Proc> procs, long linksOff) {
        if (options.smear() == SynthOptions.Smear.NONE) {
            return null;
        }
        int k = 3 + random.nextInt(procs.size() - 6);
        Proc victim = procs.get(k);
        long links = victim.eprocess + linksOff;
        switch (options.smear()) {
            case MODULE_BROKEN_FLINK -> {
                int m = 1 + random.nextInt(kernelModuleEntries.size() - 2);
                long entry = kernelModuleEntries.get(m);
                String type = profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent() ? "_KLDR_DATA_TABLE_ENTRY"
                        : "_LDR_DATA_TABLE_ENTRY";
                long bogus = poolBase + 0x7E000000L + 0x1000L * random.nextInt(0x1000) + 0x20;
                kernel.writeLong(entry + profile.offset(type, "InLoadOrderLinks"), bogus);
                return new SynthTruth.SmearInfo(options.smear(), 0, -1, entry, "InLoadOrderLinks.Flink -> unmapped 0x"
                        + Long.toHexString(bogus));
            }
            case VAD_CYCLE -> {
                while (!victim.user || victim.vadLeaf == 0) {
                    victim = procs.get(++k);
                }
                String left = profile.has("_MMVAD_SHORT", "VadNode.Left") ? "VadNode.Left" : "LeftChild";
                kernel.writeLong(victim.vadLeaf + profile.offset("_MMVAD_SHORT", left), victim.vadRoot);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.vadLeaf,
                        "leaf VAD's Left child -> root 0x" + Long.toHexString(victim.vadRoot));
            }
            case BROKEN_FLINK -> {
                long bogus = poolBase + 0x7F000000L + 0x1000L * random.nextInt(0x1000) + 0x448;
                kernel.writeLong(links, bogus);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "Flink -> unmapped 0x" + Long.toHexString(bogus));
            }
            case CYCLE -> {
                int j = 1 + random.nextInt(k - 1);
                kernel.writeLong(links, procs.get(j).eprocess + linksOff);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "Flink -> earlier process pid " + procs.get(j).pid);
            }
            case HALF_WRITTEN -> {
                long size = profile.requireStruct("_EPROCESS").size();
                long flink = kernel.readLong(links);
                long blink = kernel.readLong(links + 8);
                kernel.write(victim.eprocess, new byte[(int) size]);
                kernel.writeLong(links, flink);
                kernel.writeLong(links + 8, blink);
                byte[] junk = new byte[15];
                random.nextBytes(junk);
                kernel.write(victim.eprocess + profile.offset("_EPROCESS", "ImageFileName"), junk);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "_EPROCESS zeroed apart from its links; ImageFileName is junk");
            }
            default -> throw new IllegalStateException();
        }
    }
}
