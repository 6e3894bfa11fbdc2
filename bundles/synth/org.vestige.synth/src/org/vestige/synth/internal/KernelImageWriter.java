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

    /** Takes the real RVAs from the profile; invents them (in a .data area) where it has none. */
    void placeSymbols() {
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
        if (ObjectTypes.lacking(profile) == null) {
            wanted.add("ObTypeIndexTable");
            if (machine.modern()) {
                wanted.add("ObHeaderCookie");
            }
        }
        wanted.add(RootkitWriter.SERVICE_DESCRIPTOR_TABLE);
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
    long extent(String name) {
        return switch (name) {
            case "MiState" -> profile.requireStruct("_MI_SYSTEM_INFORMATION").size();
            case "MiSystemPartition" -> profile.requireStruct("_MI_PARTITION").size();
            case "MmPagingFile" -> 16 * 8;
            case "ObTypeIndexTable" -> 256 * 8;
            case RootkitWriter.SERVICE_DESCRIPTOR_TABLE -> RootkitWriter.DESCRIPTOR_TABLE_SIZE;
            default -> 0x10;
        };
    }

    static final String SMGLOBALS_DECORATED = "?SmGlobals@@3U_SM_GLOBALS@@A";

    void writeKernelImage(String pdbName, String guid, int age) {
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
                .osVersion(machine.modern() ? 10 : 6, machine.modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1)
                .moduleName("ntoskrnl.exe", false)
                .codeView(guid, age, pdbName)
                .export("NtBuildNumber", rvas.get("NtBuildNumber").intValue())
                .export("PsInitialSystemProcess", rvas.get("PsInitialSystemProcess").intValue())
                .export("PsLoadedModuleList", rvas.get("PsLoadedModuleList").intValue());
        byte[] metadata = pe.metadata(rdata);
        int rdataSize = (metadata.length + 0xfff) & ~0xfff;
        machine.kernelSize = rdata + rdataSize;
        int cacheAli = -1;
        if (withStore) {
            cacheAli = placeSmGlobals(rdata + rdataSize, dataLo);
            machine.kernelSize = Math.max(machine.kernelSize, cacheAli + 0x2000);
        }

        if (machine.modern()) {
            machine.kernelBase = Machine.KERNEL_REGION + random.nextInt(0x3F0) * Machine.TWO_MB + Machine.TWO_MB * 8;
            long span = (machine.kernelSize + Machine.TWO_MB - 1) & ~(Machine.TWO_MB - 1);
            long pa = memory.reserve(span, Machine.TWO_MB);
            for (long off = 0; off < span; off += Machine.TWO_MB) {
                kernel.map(machine.kernelBase + off, pa + off, Machine.TWO_MB);
            }
        } else {
            machine.kernelBase = Machine.KERNEL_REGION + 0x02600000L + 0x1000L * random.nextInt(0x200);
        }
        // .text runs up to POOLCODE, which sits just below the first data page
        int poolCode = dataLo - 0x1000;
        int entry = 0x1000 + 0x10 * random.nextInt(0x80);
        pe = new PeImageBuilder(machine.kernelBase);
        pe.timeDateStamp(0x50000000 + random.nextInt(0x20000000))
                .osVersion(machine.modern() ? 10 : 6, machine.modern() ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1)
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
        kernel.write(machine.kernelBase, pe.headers());
        kernel.write(machine.kernelBase + rdata, metadata);
        byte[] code = new byte[0x200];
        random.nextBytes(code);
        code[0] = 0x48; // sub rsp, 28h
        code[1] = (byte) 0x83;
        code[2] = (byte) 0xEC;
        code[3] = 0x28;
        kernel.write(machine.kernelBase + entry, code);
        kernel.write(machine.kernelBase + poolCode, new byte[] {(byte) 0xCC, (byte) 0xC3});
        machine.kernelEntry = machine.kernelBase + entry;
        if (cacheAli >= 0) {
            machine.storeCacheAli = machine.kernelBase + cacheAli;
            writeStoreSignature(Math.min(poolCode, 0x200000), dataLo, dataHi);
        }
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
     * symbols finds SmGlobals by, inside .text below {@code textEnd}, amid other code.
     */
    void writeStoreSignature(int textEnd, int dataLo, int dataHi) {
        int rva = 0x2000 + 0x10 * random.nextInt((textEnd - 0x2100) / 0x10);
        long at = machine.kernelBase + rva;
        long lea = machine.kernelBase + dataLo + 0x10L * random.nextInt((dataHi - dataLo) / 0x10);
        long call = machine.kernelBase + 0x1000 + 0x10L * random.nextInt((textEnd - 0x1000) / 0x10);
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
        kernel.write(base + 0x1000 + ((size / 2 + 0xfff) & ~0xfff), meta);
        return new SynthTruth.Module(name, path, base, pe.sizeOfImage(), base + 0x1000);
    }

    long writeKdbg() {
        long va = machine.global("KdDebuggerDataBlock");
        int size = build < 9200 ? 0x340 : build < 14393 ? 0x360 : build < 17763 ? 0x368 : 0x380;
        byte[] b = new byte[size];
        Le.put(b, 0, va, 8);
        Le.put(b, 8, va, 8);
        Le.put(b, 0x10, 0x4742444BL, 4); // 'KDBG'
        Le.put(b, 0x14, size, 4);
        Le.put(b, 0x18, machine.kernelBase, 8);
        Le.put(b, 0x48, machine.global("PsLoadedModuleList"), 8);
        Le.put(b, 0x50, machine.global("PsActiveProcessHead"), 8);
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
