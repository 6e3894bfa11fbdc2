package org.vestige.synth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vestige.core.types.Profile;
import org.vestige.synth.FileTruth;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.HiveMemoryWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.MalfindTruth;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.ProcDumpWriter;
import org.vestige.synth.PteEncoding;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;

/**
 * One synthesis: lays the machine out through the writers in a fixed order (kernel image, processes,
 * hives, compressed store, VADs, paging files, smear), then writes the image, its truth, its symbols
 * and its paging files.
 */
public final class Synthesis {

    private final Machine machine;
    private KernelImageWriter kernelImage;
    private VbsWriter vbs;
    private ProcessWriter processes;
    private VadWriter vads;
    private PagingFileWriter pagingFileWriter;
    private SmearWriter smearWriter;

    public Synthesis(Profile profile, SynthOptions options, int build) {
        this.machine = new Machine(profile, options, build);
    }

    /**
     * Builds the image and writes {@code image.raw}, {@code truth.json}, {@code image.isf.json.xz} and
     * {@code pagefile.sys} into {@code directory}.
     */
    public ImageSynthesizer.Output synthesize(Path directory, ImageSynthesizer.Progress progress) throws IOException {
        SynthTruth truth = build(progress);
        progress.begin(ImageSynthesizer.Progress.STAGES.get(6));
        Files.createDirectories(directory);
        Path image = directory.resolve("image.raw");
        machine.memory.writeTo(image);
        Files.writeString(directory.resolve("truth.json"), truth.toJson(), StandardCharsets.UTF_8);
        Path isf = directory.resolve("image.isf.json.xz");
        IsfJsonWriter.write(isf, machine.profile, machine.rvas, truth.pdbName(), truth.guid(), truth.age(),
                machine.build);
        Path pf = directory.resolve("pagefile.sys");
        Files.write(pf, PagingFileWriter.pagingFile(machine.pagefile));
        if (machine.options.bulk() != null && machine.options.bulk().pagedPages() > 0) {
            pagingFileWriter.writeBulkPagefile(pf, machine.options.bulk().pagedPages());
        }
        Path sf = null;
        if (!machine.swapfile.isEmpty()) {
            sf = directory.resolve("swapfile.sys");
            Files.write(sf, PagingFileWriter.pagingFile(machine.swapfile));
        }
        return new ImageSynthesizer.Output(truth, image, isf, pf, List.copyOf(machine.pteSamples),
                Map.copyOf(machine.userPtes), sf);
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
        PlacedProcess p = machine.placed.stream().filter(x -> x.pid == pid).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no process with pid " + pid + " was synthesized"));
        if (!p.user) {
            throw new IllegalArgumentException(p.name + " (pid " + pid + ") has no user address space to dump");
        }
        Map<Long, byte[]> samples = new java.util.HashMap<>();
        for (ImageSynthesizer.PteSample s : machine.pteSamples) {
            if (s.pid() == pid) {
                samples.put(s.va(), switch (s.kind()) {
                    case "transition", "prototype" -> machine.memory.readPage(s.pa());
                    case "pagefile" -> machine.pagefile.get(s.fileOffset()).clone();
                    default -> new byte[4096];
                });
            }
        }
        ProcDumpWriter.Memory truth = va -> {
            long pa = p.space.translate(va);
            if (pa >= 0) {
                return machine.memory.readPage(pa & ~0xfffL);
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
        ProcDumpWriter.Dump dump = ProcDumpWriter.write(file, machine.build, pid,
                Machine.fromFileTime(p.createFileTime), p.modules,
                p.vads, truth, pages);
        Files.writeString(file.resolveSibling(file.getFileName() + ".truth.json"), dump.toJson(),
                StandardCharsets.UTF_8);
        return dump;
    }

    private SynthTruth build(ImageSynthesizer.Progress progress) {
        if (machine.options.swapfile() && !machine.profile.has("_MMPAGING_FILE", "WsSwapPagefile")) {
            throw new IllegalArgumentException("profile " + machine.profile.source()
                    + " has no _MMPAGING_FILE.WsSwapPagefile:"
                    + " its kernel has no swapfile.sys");
        }
        boolean compressed = machine.options.compressedStore() != SynthOptions.CompressedStore.NONE;
        if (compressed) {
            CompressedStoreWriter.requireSupported(machine.profile, machine.build);
        } else if (machine.options.compressedPages() > 0) {
            throw new IllegalArgumentException(machine.options.compressedPages()
                    + " compressed pages need a compressed store");
        }
        machine.memory = new PhysicalImageWriter(machine.options.physicalSize(), machine.random);
        if (machine.options.dense()) {
            machine.memory.fillFreeFrames(machine.options.seed());
        }
        long invalidPteMask = 1L << 45;
        machine.pte = new PteEncoding(machine.profile, invalidPteMask);

        String pdbName = machine.profile.identity().pdbName() != null ? machine.profile.identity().pdbName()
                : "ntkrnlmp.pdb";
        String guid = machine.profile.identity().guid() != null ? machine.profile.identity().guid()
                : machine.randomGuid();
        int age = machine.profile.identity().guid() != null ? machine.profile.identity().age() : 1
                + machine.random.nextInt(3);

        long pml4 = 0x1A0000L + machine.random.nextInt(0x40) * 0x1000L;
        machine.kernel = new PageTableBuilder(machine.memory, pml4);
        kernelImage = new KernelImageWriter(machine);
        vbs = new VbsWriter(machine);
        processes = new ProcessWriter(machine, vbs);
        vads = new VadWriter(machine);
        pagingFileWriter = new PagingFileWriter(machine);
        smearWriter = new SmearWriter(machine);
        machine.objectTypes = new ObjectTypes(machine.profile, machine.build, machine.options.seed());
        machine.usedPml4.add(Machine.pml4Index(Machine.KERNEL_REGION));
        machine.usedPml4.add(Machine.pml4Index(Machine.KUSER_SHARED_DATA));
        int selfMap = machine.modern() && machine.build >= 14393 ? machine.freePml4(0x100, 0x1FE) : 0x1ED;
        machine.usedPml4.add(selfMap);
        machine.kernel.setSelfMap(selfMap);
        machine.poolBase = machine.modern() ? (0xFFFF000000000000L | ((long) machine.freePml4(0x140, 0x1BF) << 39))
                + machine.random.nextInt(64)
                * Machine.ONE_GB : 0xFFFFFA8000000000L + machine.random.nextInt(16) * Machine.TWO_MB;
        machine.usedPml4.add(Machine.pml4Index(machine.poolBase));
        machine.poolCursor = machine.poolBase + 0x1000L * machine.random.nextInt(16);

        progress.begin(ImageSynthesizer.Progress.STAGES.get(0));
        kernelImage.placeSymbols();
        kernelImage.writeKernelImage(pdbName, guid, age);
        kernelImage.writeKuser();
        if (machine.rvas.containsKey("MiState") && machine.profile.has("_MI_SYSTEM_INFORMATION",
                "Hardware.InvalidPteMask")) {
            machine.kernel.writeLong(machine.global("MiState") + machine.profile.offset("_MI_SYSTEM_INFORMATION",
                    "Hardware.InvalidPteMask"),
                    invalidPteMask);
        }
        machine.kernel.write(machine.global("NtBuildNumber"), Le.bytes(0xF0000000L | machine.build, 4));
        if (machine.rvas.containsKey(VbsWriter.VSL_VSM_ENABLED)) {
            machine.kernel.write(machine.global(VbsWriter.VSL_VSM_ENABLED),
                    new byte[] {(byte) (machine.options.vbs() ? 1 : 0)});
        }

        List<SynthTruth.Module> kernelModules = kernelImage.writeKernelModules();
        if (compressed) {
            machine.store = new CompressedStoreWriter(machine.profile, machine.build,
                    machine.options.compressedStore(), machine.pte, machine.kernel, machine.memory,
                    new CompressedStoreWriter.KernelPool() {
                        @Override
                        public long alloc(long size, long tag) {
                            return machine.poolAlloc(size, tag);
                        }

                        @Override
                        public long pages(int count) {
                            return machine.poolPages(count);
                        }
                    }, page -> {
                        long n = Machine.freePagingFilePage(machine.pagefile, 0xC00, machine.random);
                        machine.pagefile.put(n << 12, page);
                        return n;
                    }, machine.random);
        }
        progress.begin(ImageSynthesizer.Progress.STAGES.get(1));
        List<PlacedProcess> procs = processes.planProcesses();
        // a process that has exited: out of the list, its _EPROCESS still in pool memory
        List<PlacedProcess> gone = new ArrayList<>();
        PlacedProcess last = procs.get(procs.size() - 1);
        long[] clock = {last.createFileTime};
        PlacedProcess cmd = processes.proc(gone, "cmd.exe", 4L * (3100 + machine.random.nextInt(1000)),
                procs.get(procs.size() - 2).pid,
                "\"C:\\Windows\\system32\\cmd.exe\" /c dir", "C:\\Windows\\system32\\cmd.exe", true, 0, clock, 40);
        cmd.exitFileTime = cmd.createFileTime + 10_000_000L * (5 + machine.random.nextInt(100));
        List<PlacedProcess> all = new ArrayList<>(procs);
        all.addAll(gone);
        machine.placed = all;
        long eprocessSize = machine.profile.requireStruct("_EPROCESS").size();
        for (int i = 0; i < all.size(); i++) {
            all.get(i).eprocess = machine.objectAlloc(eprocessSize, machine.build < 9200 ? 0xE36F7250L : 0x636F7250L,
                    "Process");
            all.get(i).space = i == 0 ? machine.kernel : new PageTableBuilder(machine.memory,
                    machine.memory.allocateFrame());
        }
        TokenWriter tokens = new TokenWriter(machine);
        tokens.write(all);
        for (PlacedProcess p : all) {
            if (p.user) {
                processes.populateUser(p);
            }
        }
        List<PlacedProcess> hidden = machine.options.plants() ? hideProcess(procs, eprocessSize, clock)
                : List.of();
        processes.placeInvalidPtes(last);
        org.vestige.synth.MarkerTruth markers = new MarkerWriter(machine).place(procs);
        ThreadWriter threadWriter = new ThreadWriter(machine);
        threadWriter.plant(procs);
        InjectionWriter injections = new InjectionWriter(machine);
        injections.plant(procs);
        progress.begin(ImageSynthesizer.Progress.STAGES.get(2));
        ServiceWriter services = new ServiceWriter(machine, procs);
        HiveMemoryWriter.Truth hives = null;
        if (machine.options.hives() != null) {
            HiveMemoryWriter writer = new HiveMemoryWriter(machine.profile, machine.kernel, machine::poolAlloc,
                    (space, va, page, where) -> displaceHivePage(all, space, va, page, where), machine.random);
            procs.stream().filter(p -> p.name.equals("Registry")).findFirst().ifPresent(r -> writer.binsIn(r.space,
                    0x0000_0200_0000_0000L + 0x10_0000L * machine.random.nextInt(0x1000)));
            java.util.function.Consumer<org.vestige.registry.KeySpec> systemExtras = machine.options.vbs()
                    ? system -> VbsWriter.VBS_REGISTRY.forEach((path, value) -> system.path("ControlSet001\\"
                            + path.substring(0, path.lastIndexOf('\\'))).dword(path.substring(path.lastIndexOf('\\')
                                    + 1), value.intValue()))
                    : system -> {
                    };
            hives = writer.writeStandardHives(machine.global("CmpHiveListHead"), machine.build,
                    machine.options.hives(), systemExtras.andThen(services::addToSystem), tokens::addToSam,
                    tokens.software());
        }
        org.vestige.synth.ServiceTruth serviceTruth = services.write();
        progress.begin(ImageSynthesizer.Progress.STAGES.get(3));
        FileObjectWriter.layOutSections(machine);
        SynthTruth.CompressedStoreInfo storeInfo = compressed ? writeStore(procs) : null;
        progress.begin(ImageSynthesizer.Progress.STAGES.get(4));
        List<PlacedProcess> written = new ArrayList<>(all);
        written.addAll(hidden);
        for (PlacedProcess p : written) {
            if (p.user || !p.vadRanges.isEmpty()) {
                vads.writeVadTree(p);
            }
            processes.writeEprocess(p);
        }
        ThreadTruth threads = threadWriter.write(procs, gone, hidden, kernelModules);
        MalfindTruth malfind = injections.truth(procs);
        HandleTruth handles = machine.objectTypes.missing != null ? HandleTruth.skipped(machine.objectTypes.missing)
                : (machine.handleTables = new HandleTableWriter(machine, machine.objectTypes)).write(procs, gone);
        List<PlacedProcess> running = new ArrayList<>(procs);
        running.addAll(hidden);
        org.vestige.synth.ProcessFieldTruth processFields = new ProcessFieldsWriter(machine).write(running, gone,
                threads.threads());
        FileTruth files = new FileObjectWriter(machine).write(machine.handleTables != null ? machine.handleTables
                .objects() : null);
        org.vestige.synth.NetTruth network = new NetworkWriter(machine).write(procs, gone, kernelModules,
                kernelImage.tcpipIdentity);
        long linksOff = machine.profile.offset("_EPROCESS", "ActiveProcessLinks");
        List<Long> links = new ArrayList<>();
        for (PlacedProcess p : procs) {
            links.add(p.eprocess + linksOff);
        }
        Machine.linkList(machine.kernel, machine.global("PsActiveProcessHead"), links);
        // unlinking leaves the removed entry's own links pointing at its former neighbours
        machine.kernel.writeLong(cmd.eprocess + linksOff, machine.global("PsActiveProcessHead"));
        machine.kernel.writeLong(cmd.eprocess + linksOff + 8, last.eprocess + linksOff);
        for (PlacedProcess p : hidden) {
            // unlinked the way rootkits unlink (DKOM): its own links point at itself, so its exit cannot fault
            machine.kernel.writeLong(p.eprocess + linksOff, p.eprocess + linksOff);
            machine.kernel.writeLong(p.eprocess + linksOff + 8, p.eprocess + linksOff);
        }
        machine.kernel.writeLong(machine.global("PsInitialSystemProcess"), procs.get(0).eprocess);

        progress.begin(ImageSynthesizer.Progress.STAGES.get(5));
        List<SynthTruth.PagingFile> pagingFiles = pagingFileWriter.writePagingFiles();
        long kdbg = kernelImage.writeKdbg();
        long lowStub = machine.options.lowStub() ? kernelImage.writeLowStub() : -1;
        kernelImage.writeExtraRegions();
        SynthTruth.SmearInfo smear = smearWriter.applySmear(procs, linksOff);

        for (PlacedProcess p : written) {
            if (p.space != machine.kernel) {
                p.space.setSelfMap(selfMap);
                p.space.shareKernelHalf(machine.kernel);
                machine.userPtes.put(p.space.dtb(), new java.util.TreeMap<>(p.space.userLeaves()));
            }
        }
        machine.translations.add(new SynthTruth.Translation(machine.kernelBase,
                machine.kernel.translate(machine.kernelBase), machine.modern() ? Machine.TWO_MB
                : 4096, "kernel image header"));
        machine.translations.add(new SynthTruth.Translation(Machine.KUSER_SHARED_DATA + 0x260,
                machine.kernel.translate(Machine.KUSER_SHARED_DATA
                + 0x260), 4096, "_KUSER_SHARED_DATA"));
        machine.translations.add(new SynthTruth.Translation(procs.get(0).eprocess,
                machine.kernel.translate(procs.get(0).eprocess),
                4096, "System _EPROCESS"));

        org.vestige.synth.RootkitTruth rootkit = new RootkitWriter(machine, kernelImage).write(kernelModules);
        org.vestige.synth.TimeTruth times = TimeWriter.writeSystemTime(machine, latest(written, threads, network));
        // last, so that nothing before moves: stale process objects in a dense image's free memory
        List<SynthTruth.Remnant> remnants = List.of();
        if (machine.options.dense() && !gone.isEmpty()) {
            java.util.Set<Long> pids = new java.util.HashSet<>();
            machine.placed.forEach(p -> pids.add(p.pid));
            remnants = new RemnantWriter(machine).write(gone.get(0), pids);
        }
        return new SynthTruth(machine.build, pdbName, guid, age, machine.kernelBase, machine.kernelSize, pml4,
                selfMap, lowStub, kdbg,
                machine.options.encodedKdbg(), invalidPteMask, Map.copyOf(machine.globals), Map.copyOf(machine.rvas),
                        ProcessWriter.truth(procs),
                ProcessWriter.truth(gone), kernelModules, List.copyOf(machine.translations), smear, pagingFiles,
                        storeInfo, hives,
                machine.options.vbs() ? vbs.vbsTruth(procs) : null, tokens.truth(), handles, serviceTruth,
                threads, files, ProcessWriter.truth(hidden), network, rootkit, malfind,
                markers, processFields, times, remnants);
    }

    /** @return the latest FILETIME of a process's creation or exit, a thread's creation or an endpoint's */
    private static long latest(List<PlacedProcess> processes, ThreadTruth threads,
            org.vestige.synth.NetTruth network) {
        java.util.stream.LongStream.Builder all = java.util.stream.LongStream.builder();
        processes.forEach(p -> all.add(p.createFileTime).add(p.exitFileTime));
        threads.threads().forEach(t -> all.add(t.createFileTime()));
        if (network != null) {
            network.endpoints().forEach(e -> all.add(e.createFileTime()));
        }
        return all.build().max().orElseThrow();
    }

    /**
     * Plants a running process unlinked from the active-process list: a child of explorer.exe with a user
     * address space and a primary token's worth of identity, in pool memory where a scan finds it, on no list.
     * Its threads' lists are left empty: only its process object is read.
     */
    private List<PlacedProcess> hideProcess(List<PlacedProcess> procs, long eprocessSize, long[] clock) {
        List<PlacedProcess> hidden = new ArrayList<>();
        long parent = procs.stream().filter(p -> p.name.equals("explorer.exe")).findFirst().orElseThrow().pid;
        PlacedProcess p = processes.proc(hidden, "svcupd.exe", 4L * (4200 + machine.random.nextInt(500)), parent,
                "\"C:\\Users\\Public\\svcupd.exe\" -k", "C:\\Users\\Public\\svcupd.exe", true, 3, clock, 30);
        p.eprocess = machine.objectAlloc(eprocessSize, machine.build < 9200 ? 0xE36F7250L : 0x636F7250L, "Process");
        p.space = new PageTableBuilder(machine.memory, machine.memory.allocateFrame());
        p.session = procs.stream().filter(x -> x.pid == parent).findFirst().orElseThrow().session;
        processes.populateUser(p);
        return hidden;
    }

    /** Moves one page of a hive's bins out of memory, as the hive writer asks. */
    private HiveMemoryWriter.Placement displaceHivePage(List<PlacedProcess> all, PageTableBuilder space, long va,
            byte[] page,
            HiveMemoryWriter.Destination where) {
        return switch (where) {
            case PAGEFILE -> {
                long n = Machine.freePagingFilePage(machine.pagefile, 0xA00, machine.random);
                machine.pagefile.put(n << 12, page.clone());
                space.setPte(va, machine.pte.software(0, n, 4, true));
                yield new HiveMemoryWriter.Placement(where, 0, n << 12);
            }
            case COMPRESSED -> {
                if (machine.store == null) {
                    throw new IllegalArgumentException("hive pages in the compressed store need withCompressedStore");
                }
                long pid = all.stream().filter(p -> p.space == space).mapToLong(p -> p.pid).findFirst().orElse(4);
                machine.store.page(space, pid, va, page, 4, true, 0, CompressedStoreWriter.Handling.PLAIN);
                yield new HiveMemoryWriter.Placement(where, CompressedStoreWriter.VIRTUAL_STORE_SLOT, -1);
            }
            case TRANSITION -> {
                long frame = machine.memory.allocateFrame();
                machine.memory.write(frame, page);
                space.setPte(va, machine.pte.transition(frame, 4));
                yield new HiveMemoryWriter.Placement(where, -1, frame);
            }
            case UNMAPPED -> throw new IllegalArgumentException("the hive writer unmaps pages itself");
        };
    }

    /**
     * Lays the compressed store out: its regions go into MemCompression's address space, under a
     * private VAD per store.
     */
    private SynthTruth.CompressedStoreInfo writeStore(List<PlacedProcess> procs) {
        PlacedProcess owner = procs.stream().filter(p -> p.name.equals("MemCompression")).findFirst().orElseThrow();
        long regionBase = 0x0000010000000000L + 0x10000L * machine.random.nextInt(0x100000);
        SynthTruth.CompressedStoreInfo info = machine.store.write(machine.storeSymbol,
                machine.global(machine.storeSymbol), machine.storeCacheAli,
                machine.storeSignature, owner.pid, owner.eprocess, owner.space, regionBase);
        for (long[] r : machine.store.regionVads()) {
            owner.vadRanges.add(new long[] {r[0], r[1], 4, 0, 1, -1});
            owner.vadFiles.add(null);
        }
        return info;
    }
}
