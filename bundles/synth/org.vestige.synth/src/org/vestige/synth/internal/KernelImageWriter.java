package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.windows.TcpipSymbols;

/**
 * Writes the kernel as a reader finds it: its globals (at the profile's RVAs, or invented in .data and
 * reported through KDBG), the ntoskrnl PE image with its PDB identity, {@code _KUSER_SHARED_DATA}, the
 * loaded-module list with hal.dll and drivers, the KDBG block (plain or encoded), the low processor
 * start block and other kernel regions a live system has.
 */
final class KernelImageWriter {

    private final Machine machine;
    private final Profile profile;
    private final SynthOptions options;
    private final int build;
    private final Random random;
    private final PhysicalImageWriter memory;
    private final PageTableBuilder kernel;
    private final Map<String, Long> rvas;
    private final Map<String, Long> globals;
    private final Set<Integer> usedPml4;
    private final List<SynthTruth.Translation> translations;
    private final List<Long> kernelModuleEntries;
    /** GUID-age in tcpip.sys's CodeView record, once the modules are written. */
    String tcpipIdentity;

    KernelImageWriter(Machine machine) {
        this.machine = machine;
        profile = machine.profile;
        options = machine.options;
        build = machine.build;
        random = machine.random;
        memory = machine.memory;
        kernel = machine.kernel;
        rvas = machine.rvas;
        globals = machine.globals;
        usedPml4 = machine.usedPml4;
        translations = machine.translations;
        kernelModuleEntries = machine.kernelModuleEntries;
    }

    /** The globals an encoded KDBG is decoded with: they must be the profile's real ones. */
    private static final List<String> ENCODED_KDBG_SYMBOLS = List.of("KdpDataBlockEncoded", "KiWaitNever",
            "KiWaitAlways");

    /** Takes the real RVAs from the profile; invents them (in a .data area) where it has none. */
    void placeSymbols() {
        List<String> wanted = new ArrayList<>(List.of("PsActiveProcessHead", "PsLoadedModuleList",
                "KdDebuggerDataBlock", "NtBuildNumber", "PsInitialSystemProcess", "KdVersionBlock", "MmProtectToValue",
                RootkitWriter.SERVICE_DESCRIPTOR_TABLE, "KdpDebuggerDataListHead"));
        if (options.encodedKdbg()) {
            wanted.addAll(ENCODED_KDBG_SYMBOLS);
        }
        if (profile.has("_MI_SYSTEM_INFORMATION", "Hardware.InvalidPteMask")) {
            wanted.add("MiState");
        }
        if (options.hives() != null) {
            wanted.add("CmpHiveListHead");
        }
        if (options.vbs() || profile.symbol(VbsWriter.VSL_VSM_ENABLED).isPresent()) {
            wanted.add(VbsWriter.VSL_VSM_ENABLED);
        }
        if (profile.has("_MMPAGING_FILE", "PageFileNumber")) {
            if (profile.has("_MI_PARTITION", "Vp.PagingFile")) {
                wanted.add("MiSystemPartition");
            } else {
                wanted.addAll(List.of("MmPagingFile", "MmNumberOfPagingFiles"));
            }
        }
        if (ProcessFieldsWriter.cidTableKnown(profile)) {
            wanted.add("PspCidTable");
        }
        if (ObjectTypes.lacking(profile) == null) {
            wanted.add("ObTypeIndexTable");
            if (machine.modern()) {
                wanted.add("ObHeaderCookie");
            }
        }
        // what invented globals must not cover: the profile's own globals, and (for a kernel whose section
        // table is known) the page of its debug and export directories
        List<long[]> taken = new ArrayList<>();
        for (String name : wanted) {
            profile.symbol(name).ifPresent(rva -> taken.add(new long[] {rva, rva + span(name)}));
        }
        KernelSections layout = KernelSections.forPdb(profile.identity().guid(), profile.identity().age())
                .orElse(null);
        if (layout != null) {
            taken.add(new long[] {layout.directoriesRva(), layout.directoriesRva() + 0x1000L});
        }
        long chosen = 0x400000L + 0x1000L * random.nextInt(0x200);
        for (String name : wanted) {
            Long rva = profile.symbol(name).orElse(null);
            if (rva == null) {
                if (options.encodedKdbg() && ENCODED_KDBG_SYMBOLS.contains(name)) {
                    throw new IllegalArgumentException("an encoded KDBG needs the symbol " + name + ", which "
                            + profile.source() + " lacks");
                }
                chosen = (chosen + 0x10 + 0x10L * random.nextInt(64)) & ~0xfL;
                for (long[] t = overlap(taken, chosen, span(name)); t != null; t = overlap(taken, chosen, span(name))) {
                    chosen = (t[1] + 0xf) & ~0xfL;
                }
                rva = chosen;
                chosen += span(name);
            }
            rvas.put(name, rva);
        }
    }

    /** @return the bytes placing a global reserves: a KDBG's block whole, at least 16 bytes for the others */
    private long span(String name) {
        return name.equals("KdDebuggerDataBlock") ? 0x400 : Math.max(0x10, extent(name));
    }

    /** @return the range of {@code taken} that {@code [start, start + size)} overlaps, or null */
    private static long[] overlap(List<long[]> taken, long start, long size) {
        return taken.stream().filter(t -> start < t[1] && t[0] < start + size).findFirst().orElse(null);
    }

    /** @return the bytes a kernel global spans */
    long extent(String name) {
        return switch (name) {
            case "MiState" -> profile.requireStruct("_MI_SYSTEM_INFORMATION").size();
            case "MiSystemPartition" -> profile.requireStruct("_MI_PARTITION").size();
            case "MmPagingFile" -> 16 * 8;
            case "ObTypeIndexTable" -> 256 * 8;
            case RootkitWriter.SERVICE_DESCRIPTOR_TABLE -> RootkitWriter.DESCRIPTOR_TABLE_SIZE;
            case "MmProtectToValue" -> 32 * 4;
            case "KdVersionBlock" -> KernelTables.VERSION_BLOCK_SIZE;
            default -> 0x10;
        };
    }

    static final String SMGLOBALS_DECORATED = "?SmGlobals@@3U_SM_GLOBALS@@A";

    /**
     * Lays the ntoskrnl image out whole: every section of the build's table (or, for a kernel the table does
     * not know, sections around the globals placed) mapped at its place, the headers, the debug directory
     * with the RSDS record naming the PDB, and the export directory.
     */
    void writeKernelImage(String pdbName, String guid, int age) {
        boolean withStore = options.compressedStore() != SynthOptions.CompressedStore.NONE;
        KernelSections layout = KernelSections.forPdb(guid, age).orElse(null);
        int cacheAli = -1;
        if (layout != null) {
            if (withStore) {
                cacheAli = placeSmGlobals(layout.sizeOfImage(), 0);
                int section = layout.section("CACHEALI").map(PeImageBuilder.Section::rva).orElse(-1);
                if (section != cacheAli) {
                    throw new IllegalStateException(machine.storeSymbol + " of " + profile.source()
                            + " is not on the first page of the kernel's CACHEALI section");
                }
            }
        } else {
            layout = inventedLayout(pdbName, guid, age, withStore);
            cacheAli = layout.section("CACHEALI").map(PeImageBuilder.Section::rva).orElse(-1);
        }
        machine.kernelSize = layout.sizeOfImage();
        placeImage(layout.sizeOfImage());

        PeImageBuilder.Section text = layout.section(".text").orElseThrow();
        machine.kernelTextEnd = text.rva() + text.virtualSize();
        PeImageBuilder.Section poolCode = layout.section("POOLCODE").orElseThrow();
        int entry = text.rva() + 0x10 * random.nextInt(Math.max(1, Math.min(0x80, text.virtualSize() / 0x10 - 0x20)));
        PeImageBuilder pe = describe(new PeImageBuilder(machine.kernelBase), pdbName, guid, age)
                .sections(layout.sections()).entryPoint(entry).sizeOfImage(layout.sizeOfImage());
        byte[] metadata = pe.metadata(layout.directoriesRva());
        PeImageBuilder.Section holder = layout.containing(layout.directoriesRva()).orElseThrow();
        if (layout.directoriesRva() + metadata.length > holder.rva() + holder.virtualSize()) {
            throw new IllegalStateException("the kernel's debug and export directories overflow " + holder.name());
        }
        kernel.write(machine.kernelBase, pe.headers());
        TimeWriter.linked(machine, org.vestige.synth.TimeTruth.KERNEL, "ntoskrnl.exe", machine.kernelBase, pe
                .timeDateStamp());
        kernel.write(machine.kernelBase + layout.directoriesRva(), metadata);
        byte[] code = new byte[0x200];
        random.nextBytes(code);
        code[0] = 0x48; // sub rsp, 28h
        code[1] = (byte) 0x83;
        code[2] = (byte) 0xEC;
        code[3] = 0x28;
        kernel.write(machine.kernelBase + entry, code);
        kernel.write(machine.kernelBase + poolCode.rva(), new byte[] {(byte) 0xCC, (byte) 0xC3});
        machine.kernelEntry = machine.kernelBase + entry;
        if (cacheAli >= 0) {
            machine.storeCacheAli = machine.kernelBase + cacheAli;
            PeImageBuilder.Section data = layout.section(".data").orElseThrow();
            writeStoreSignature(text.rva(), text.rva() + Math.min(text.virtualSize(), 0x200000), data.rva(), data
                    .rva() + data.virtualSize());
        }
        kernel.write(machine.global("MmProtectToValue"), KernelTables.protectToValueBytes());
    }

    /** The headers every ntoskrnl layout shares: stamp, version, name, PDB and the exports tools look up. */
    private PeImageBuilder describe(PeImageBuilder pe, String pdbName, String guid, int age) {
        pe.timeDateStamp(0x50000000 + random.nextInt(0x20000000))
                .osVersion(machine.modern() ? 10 : 6, machine.modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1)
                .moduleName("ntoskrnl.exe", false)
                .codeView(guid, age, pdbName);
        for (String name : EXPORTS) {
            pe.export(name, rvas.get(name).intValue());
        }
        return pe;
    }

    /** Kernel globals other tools find through the export directory. */
    static final List<String> EXPORTS = List.of("KeServiceDescriptorTable", "NtBuildNumber", "PsInitialSystemProcess",
            "PsLoadedModuleList");

    /**
     * Maps the image: Windows 10 and later map the kernel with 2 MiB pages at a randomized base; Windows 7 and
     * 8 boot-map it at 0xfffff80000000000 plus its physical address, with 4 KiB pages.
     */
    private void placeImage(int sizeOfImage) {
        if (machine.modern()) {
            machine.kernelBase = Machine.KERNEL_REGION + random.nextInt(0x3F0) * Machine.TWO_MB + Machine.TWO_MB * 8;
            long span = (sizeOfImage + Machine.TWO_MB - 1) & ~(Machine.TWO_MB - 1);
            long pa = memory.reserve(span, Machine.TWO_MB);
            for (long off = 0; off < span; off += Machine.TWO_MB) {
                kernel.map(machine.kernelBase + off, pa + off, Machine.TWO_MB);
            }
        } else {
            machine.kernelBase = Machine.KERNEL_REGION + 0x02600000L + 0x1000L * random.nextInt(0x200);
            long pa = machine.kernelBase - Machine.KERNEL_REGION;
            memory.reserveAt(pa, sizeOfImage);
            for (long off = 0; off < sizeOfImage; off += 0x1000) {
                kernel.map(machine.kernelBase + off, pa + off, 0x1000);
            }
        }
    }

    /**
     * For a kernel whose section table the data lacks: .text up to POOLCODE just below the globals' .data
     * (split around CACHEALI when SmGlobals sits among them), .rdata with the directories, CACHEALI.
     */
    private KernelSections inventedLayout(String pdbName, String guid, int age, boolean withStore) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Map.Entry<String, Long> e : rvas.entrySet()) {
            lo = Math.min(lo, e.getValue());
            hi = Math.max(hi, e.getValue() + Math.max(0x400, extent(e.getKey())));
        }
        int dataLo = (int) (lo & ~0xfffL);
        int dataHi = (int) ((hi + 0xfff) & ~0xfffL);
        int rdata = dataHi;
        long realSmGlobals = withStore ? profile.symbol(SMGLOBALS_DECORATED).orElse(-1L) : -1;
        if (realSmGlobals >= 0) {
            // the profile's CACHEALI page may lie among the other globals: .data then ends below it
            rdata = Math.max(dataHi, (int) (realSmGlobals & ~0xfffL) + 0x2000);
        }
        byte[] metadata = describe(new PeImageBuilder(0), pdbName, guid, age).metadata(rdata);
        int rdataSize = (metadata.length + 0xfff) & ~0xfff;
        int size = rdata + rdataSize;
        int cacheAli = -1;
        if (withStore) {
            cacheAli = placeSmGlobals(rdata + rdataSize, dataLo);
            size = Math.max(size, cacheAli + 0x2000);
        }
        int poolCode = dataLo - 0x1000;
        List<PeImageBuilder.Section> sections = new ArrayList<>();
        sections.add(new PeImageBuilder.Section(".text", 0x1000, poolCode - 0x1000, PeImageBuilder.CODE));
        sections.add(new PeImageBuilder.Section("POOLCODE", poolCode, 0x1000, PeImageBuilder.CODE));
        if (cacheAli >= dataLo && cacheAli < dataHi) {
            sections.add(new PeImageBuilder.Section(".data", dataLo, cacheAli - dataLo, PeImageBuilder.DATA));
            if (dataHi > cacheAli + 0x2000) {
                sections.add(new PeImageBuilder.Section("PAGEDATA", cacheAli + 0x2000, dataHi - cacheAli - 0x2000,
                        PeImageBuilder.DATA));
            }
        } else {
            sections.add(new PeImageBuilder.Section(".data", dataLo, dataHi - dataLo, PeImageBuilder.DATA));
        }
        sections.add(new PeImageBuilder.Section(".rdata", rdata, rdataSize, PeImageBuilder.RDATA));
        if (cacheAli >= 0) {
            sections.add(new PeImageBuilder.Section("CACHEALI", cacheAli, 0x2000, PeImageBuilder.DATA));
        }
        // then what every kernel ends with: discardable INIT code, resources and relocations
        int[][] tail = {{0x40, PeImageBuilder.CODE | PeImageBuilder.DISCARDABLE}, {0x35, PeImageBuilder.RDATA},
            {0x6, PeImageBuilder.RDATA | PeImageBuilder.DISCARDABLE}};
        String[] names = {"INIT", ".rsrc", ".reloc"};
        for (int i = 0; i < tail.length; i++) {
            sections.add(new PeImageBuilder.Section(names[i], size, tail[i][0] * 0x1000, tail[i][1]));
            size += tail[i][0] * 0x1000;
        }
        return new KernelSections(tiled(sections, size), rdata, size);
    }

    /** @return the sections in RVA order, each extended to where the next begins, as a linker lays them out */
    private static List<PeImageBuilder.Section> tiled(List<PeImageBuilder.Section> sections, int end) {
        List<PeImageBuilder.Section> sorted = new ArrayList<>(sections);
        sorted.sort(java.util.Comparator.comparingInt(PeImageBuilder.Section::rva));
        List<PeImageBuilder.Section> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            PeImageBuilder.Section s = sorted.get(i);
            int next = i + 1 < sorted.size() ? sorted.get(i + 1).rva() : end;
            out.add(new PeImageBuilder.Section(s.name(), s.rva(), next - s.rva(), s.characteristics()));
        }
        return List.copyOf(out);
    }

    /**
     * Places SmGlobals: at the profile's RVA when it has the symbol, else cache-aligned in the first page
     * of a CACHEALI section after {@code after}; returns the section's RVA (SmGlobals' page).
     */
    int placeSmGlobals(int after, int dataLo) {
        String real = SMGLOBALS_DECORATED;
        long rva;
        if (profile.symbol(real).isPresent()) {
            machine.storeSymbol = real;
            rva = profile.symbol(real).get();
        } else {
            machine.storeSymbol = "SmGlobals";
            rva = profile.symbol(machine.storeSymbol).orElseGet(() -> after + 0x1000L * (1 + random.nextInt(8)) + 0x40L
                    * (1 + random.nextInt(0x1F)));
        }
        rvas.put(machine.storeSymbol, rva);
        int section = (int) (rva & ~0xfffL);
        if (section < dataLo) {
            throw new IllegalStateException("profile " + profile.source() + " puts " + machine.storeSymbol
                    + " at RVA 0x"
                    + Long.toHexString(rva) + ", below the kernel's data: no room for a CACHEALI section");
        }
        return section;
    }

    /**
     * Writes the fragment of SmpPageWrite whose {@code lea rdx, [rip + SmGlobals]} a reader without
     * symbols finds SmGlobals by, inside .text between {@code textStart} and {@code textEnd}, amid other code.
     */
    void writeStoreSignature(int textStart, int textEnd, int dataLo, int dataHi) {
        int rva = textStart + 0x1000 + 0x10 * random.nextInt((textEnd - textStart - 0x1100) / 0x10);
        long at = machine.kernelBase + rva;
        long lea = machine.kernelBase + dataLo + 0x10L * random.nextInt((dataHi - dataLo) / 0x10);
        long call = machine.kernelBase + textStart + 0x10L * random.nextInt((textEnd - textStart) / 0x10);
        byte[] signature = CompressedStoreWriter.codeSignature(at, machine.kernelBase
                + rvas.get(machine.storeSymbol), lea, call);
        byte[] before = new byte[0x20];
        byte[] after = new byte[0x20];
        random.nextBytes(before);
        random.nextBytes(after);
        kernel.write(at - before.length, before);
        kernel.write(at, signature);
        kernel.write(at + signature.length, after);
        machine.storeSignature = at;
    }

    void writeKuser() {
        machine.kuserFrame = memory.allocateFrame();
        kernel.map(Machine.KUSER_SHARED_DATA, machine.kuserFrame, 4096);
        StructBuffer k = new StructBuffer(profile, "_KUSER_SHARED_DATA");
        if (k.has("NtBuildNumber")) {
            k.put("NtBuildNumber", build);
        }
        k.put("NtMajorVersion", machine.modern() ? 10 : 6);
        k.put("NtMinorVersion", machine.modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1);
        if (k.has("NtProductType")) {
            k.put("NtProductType", 1);
        }
        if (k.has("ProductTypeIsValid")) {
            k.put("ProductTypeIsValid", 1);
        }
        if (options.vbs() && k.has("DbgSecureBootEnabled")) {
            k.put("DbgSecureBootEnabled", 1);
        }
        memory.write(machine.kuserFrame, k.bytes());
    }

    List<SynthTruth.Module> writeKernelModules() {
        String entryType = profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent() ? "_KLDR_DATA_TABLE_ENTRY"
                : "_LDR_DATA_TABLE_ENTRY";
        List<SynthTruth.Module> modules = new ArrayList<>();
        modules.add(new SynthTruth.Module("ntoskrnl.exe", "\\SystemRoot\\system32\\ntoskrnl.exe", machine.kernelBase,
                machine.kernelSize, machine.kernelEntry));
        // hal.dll just below the kernel on a 2 MiB boundary: a PE without POOLCODE a kernel scan must skip
        long halBase = machine.modern() ? machine.kernelBase - 4 * Machine.TWO_MB
                : machine.kernelBase - 0x200000L - 0x1000L * random.nextInt(64);
        modules.add(driver("hal.dll", "\\SystemRoot\\system32\\hal.dll", halBase, 0x69000));
        // drivers follow the kernel image, past the last large page that maps it
        long cursor = (machine.kernelBase + machine.kernelSize + Machine.TWO_MB - 1) & ~(Machine.TWO_MB - 1);
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
            String guid = machine.randomGuid();
            int age = 1;
            if (d[0].equals("tcpip.sys")) {
                // a real tcpip.pdb identity of the build where there is one: its symbols locate the tables
                Optional<TcpipSymbols> real = NetworkWriter.identity(build);
                if (real.isPresent()) {
                    guid = real.get().guid();
                    age = real.get().age();
                }
                size = Math.max(size, NetworkWriter.imageSize(NetworkWriter.placement(build)));
                tcpipIdentity = guid + "-" + age;
            }
            modules.add(driver(d[0], d[1], cursor, size, guid, age));
            cursor += size;
        }
        List<Long> entries = new ArrayList<>();
        long linksOff = profile.offset(entryType, "InLoadOrderLinks");
        for (SynthTruth.Module m : modules) {
            StructBuffer e = new StructBuffer(profile, entryType);
            long full = machine.poolString(m.path());
            long base = machine.poolString(m.name());
            e.put("DllBase", m.base()).put("SizeOfImage", m.size());
            if (e.has("EntryPoint")) {
                e.put("EntryPoint", m.entry());
            }
            e.putUnicode("FullDllName", m.path().length() * 2, m.path().length() * 2 + 2, full);
            e.putUnicode("BaseDllName", m.name().length() * 2, m.name().length() * 2 + 2, base);
            long va = machine.poolAlloc(e.size(), RootkitWriter.TAG_LOADER_ENTRY);
            kernel.write(va, e.bytes());
            entries.add(va + linksOff);
            kernelModuleEntries.add(va);
        }
        Machine.linkList(kernel, machine.global("PsLoadedModuleList"), entries);
        return List.copyOf(modules);
    }

    SynthTruth.Module driver(String name, String path, long base, int size) {
        return driver(name, path, base, size, machine.randomGuid(), 1);
    }

    /** Writes a driver's headers whose CodeView record names {@code guid} and {@code age}. */
    SynthTruth.Module driver(String name, String path, long base, int size, String guid, int age) {
        String pdb = name.substring(0, name.lastIndexOf('.')).toLowerCase(Locale.ROOT) + ".pdb";
        PeImageBuilder pe = new PeImageBuilder(base).moduleName(name, true).timeDateStamp(random.nextInt())
                .section(".text", 0x1000, size / 2, PeImageBuilder.CODE)
                .section(".data", 0x1000 + ((size / 2 + 0xfff) & ~0xfff), 0x1000, PeImageBuilder.DATA)
                .codeView(guid, age, pdb).entryPoint(0x1000).sizeOfImage(size);
        byte[] meta = pe.metadata(0x1000 + ((size / 2 + 0xfff) & ~0xfff));
        kernel.write(base, pe.headers());
        TimeWriter.linked(machine, org.vestige.synth.TimeTruth.KERNEL, name, base, pe.timeDateStamp());
        kernel.write(base + 0x1000 + ((size / 2 + 0xfff) & ~0xfff), meta);
        return new SynthTruth.Module(name, path, base, pe.sizeOfImage(), base + 0x1000);
    }

    /**
     * Writes the KDBG block, {@code _KDDEBUGGER_DATA64} (layout: the Debugging Tools' {@code wdbgexts.h};
     * WINDOWS-INTERNALS B.5), linked into {@code KdpDebuggerDataListHead}, and {@code KdVersionBlock} pointing
     * at that list; the block is encoded afterwards when the options ask for it.
     *
     * @return the block's address
     */
    long writeKdbg() {
        long va = machine.global("KdDebuggerDataBlock");
        long head = machine.global("KdpDebuggerDataListHead");
        int size = build < 9200 ? 0x340 : build < 14393 ? 0x360 : build < 17763 ? 0x368 : 0x380;
        byte[] b = new byte[size];
        Le.put(b, 0, head, 8);
        Le.put(b, 8, head, 8);
        Le.put(b, 0x10, 0x4742444BL, 4); // 'KDBG'
        Le.put(b, 0x14, size, 4);
        Le.put(b, 0x18, machine.kernelBase, 8);
        Le.put(b, 0x48, machine.global("PsLoadedModuleList"), 8);
        Le.put(b, 0x50, machine.global("PsActiveProcessHead"), 8);
        kernel.writeLong(head, va);
        kernel.writeLong(head + 8, va);
        kernel.write(machine.global("KdVersionBlock"), KernelTables.versionBlock(build, machine.kernelBase, machine
                .global("PsLoadedModuleList"), head));
        if (options.encodedKdbg()) {
            long never = random.nextLong();
            long always = random.nextLong();
            long flag = machine.global("KdpDataBlockEncoded");
            kernel.writeLong(machine.global("KiWaitNever"), never);
            kernel.writeLong(machine.global("KiWaitAlways"), always);
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

    long writeLowStub() {
        long pa = 0x1000L * (1 + random.nextInt(0x9E));
        byte[] b = new byte[0x1000];
        Le.put(b, 0, 0x00000001000600E9L | ((long) random.nextInt(256) << 8), 8);
        Le.put(b, 0x70, machine.kernelEntry & ~3L, 8);
        Le.put(b, 0xA0, kernel.dtb(), 8);
        memory.write(pa, b);
        return pa;
    }

    /** Other kernel regions a live system has (PFN database, paged pool, system PTEs) and a 1 GiB page. */
    void writeExtraRegions() {
        for (int i = 0; i < 4; i++) {
            long va = 0xFFFF000000000000L | ((long) machine.freePml4(0x100, 0x1FE) << 39) | (0x1000L * random.nextInt(
                    0x1000));
            usedPml4.add(Machine.pml4Index(va));
            byte[] page = new byte[64];
            random.nextBytes(page);
            kernel.write(va, page);
        }
        if (memory.size() >= 2 * Machine.ONE_GB) {
            long va = 0xFFFF000000000000L | ((long) machine.freePml4(0x100,
                    0x1FE) << 39) | (Machine.ONE_GB * random.nextInt(512));
            usedPml4.add(Machine.pml4Index(va));
            kernel.map(va, Machine.ONE_GB, Machine.ONE_GB);
            long off = 0x1000L * random.nextInt(0x40000);
            byte[] marker = "VESTIGE-1GIB-PAGE".getBytes(StandardCharsets.US_ASCII);
            memory.write(Machine.ONE_GB + off, marker);
            translations.add(new SynthTruth.Translation(va + off, Machine.ONE_GB + off, Machine.ONE_GB, "1 GiB page"));
        }
    }
}
