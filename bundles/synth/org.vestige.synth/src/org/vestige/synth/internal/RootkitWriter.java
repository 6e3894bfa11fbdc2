package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.RootkitTruth;
import org.vestige.synth.SynthTruth;

/**
 * Lays out what kernel-mode rootkit checks read, after every other writer: a {@code _DRIVER_OBJECT} in pool
 * memory for each regular driver on the loaded-module list, the kernel's {@code KeServiceDescriptorTable} with
 * its {@code KiServiceTable} of routines inside ntoskrnl's .text and the code of KiSystemServiceRepeat that
 * loads the descriptor's address; and, when plants are on, a rogue driver: its image mapped in kernel space, its
 * loader entry in 'MmLd' pool but unlinked from {@code PsLoadedModuleList} (its own links pointing at itself, as
 * a rootkit leaves them so that a later unlink is harmless), its driver object whose DriverStart points into it,
 * and one system service hooked into it.
 *
 * <p>Facts, each from a public source:
 * <ul>
 * <li>The kernel allocates each {@code _KLDR_DATA_TABLE_ENTRY} from pool with tag 'MmLd', and each driver
 * object, with its object header, with tag 'Driv' (M. H. Ligh, A. Case, J. Levy, A. Walters, "The Art of Memory
 * Forensics", 2014, ch. 13 "Kernel Forensics and Rootkits").</li>
 * <li>A driver object's Type is IO_TYPE_DRIVER (4) and its Size the size of {@code _DRIVER_OBJECT}; its
 * DriverExtension follows it in the same allocation, points back at it and holds the ServiceKeyName (WDK
 * {@code wdm.h}: {@code IO_TYPE_DRIVER}, {@code DRIVER_EXTENSION}).</li>
 * <li>KeServiceDescriptorTable on x64 is {ServiceTableBase, ServiceCounterTableBase, NumberOfServices,
 * ParamTableBase}, four pointer-sized fields; each KiServiceTable entry is a 32-bit value whose arithmetic shift
 * right by 4 is the routine's offset from KiServiceTable and whose low 4 bits are the number of arguments passed
 * on the stack; KiSystemServiceRepeat loads the descriptor's address with {@code lea r10, [rip+disp32]}
 * ({@code 4C 8D 15}) followed by {@code lea r11, [rip+disp32]} ({@code 4C 8D 1D}) for
 * KeServiceDescriptorTableShadow (A. Climent-Pommeret, "A Syscall Journey in the Windows Kernel",
 * alice.climent.red, 2022; SANS SEC665 "Syscalls" book, chapter KiSystemServiceRepeat,
 * books.syscalls.sec665.io).</li>
 * </ul>
 * The service counts per build are plausible, not measured: Windows 7 SP1 has 401 services, Windows 10 and 11
 * between 460 and 490.
 */
final class RootkitWriter {

    static final String SERVICE_DESCRIPTOR_TABLE = "KeServiceDescriptorTable";
    static final String SERVICE_TABLE = "KiServiceTable";
    /** KeServiceDescriptorTable's extent: two descriptors of four pointer-sized fields (the second unused). */
    static final long DESCRIPTOR_TABLE_SIZE = 0x40;
    static final long TAG_LOADER_ENTRY = 0x644c6d4dL; // 'MmLd'
    static final long TAG_DRIVER = 0x76697244L; // 'Driv'
    static final int IO_TYPE_DRIVER = 4;
    private static final String KERNEL = "ntoskrnl.exe";
    private static final String ROGUE = "wdfilt64.sys";
    private static final String ROGUE_PATH = "\\SystemRoot\\System32\\drivers\\wdfilt64.sys";

    /** The regular drivers given a driver object: module name, driver name, service key. */
    private static final List<String[]> DRIVERS = List.of(new String[] {"ACPI.sys", "\\Driver\\ACPI", "ACPI"},
            new String[] {"Ntfs.sys", "\\FileSystem\\Ntfs", "Ntfs"},
            new String[] {"tcpip.sys", "\\Driver\\Tcpip", "Tcpip"},
            new String[] {"disk.sys", "\\Driver\\disk", "disk"});

    private final Machine machine;
    private final KernelImageWriter kernelImage;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final Random random;

    RootkitWriter(Machine machine, KernelImageWriter kernelImage) {
        this.machine = machine;
        this.kernelImage = kernelImage;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
        this.random = machine.random;
    }

    /**
     * @param modules the modules on PsLoadedModuleList, in the order their entries were placed
     * @return the truth of everything laid out
     */
    RootkitTruth write(List<SynthTruth.Module> modules) {
        long textEnd = machine.kernelTextEnd & ~0xfffL;
        List<RootkitTruth.LoaderEntry> entries = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            SynthTruth.Module m = modules.get(i);
            long va = machine.kernelModuleEntries.get(i);
            entries.add(new RootkitTruth.LoaderEntry(va, kernel.translate(va), m.base(), m.size(), m.name(), m
                    .path(), true, false));
        }
        SynthTruth.Module rogue = null;
        if (machine.options.plants()) {
            long end = modules.stream().mapToLong(m -> m.base() + m.size()).max().orElseThrow();
            long base = ((end + 0xfff) & ~0xfffL) + 0x10000L * (2 + random.nextInt(8));
            rogue = kernelImage.driver(ROGUE, ROGUE_PATH, base, 0x6000 + 0x1000 * random.nextInt(8));
            long va = loaderEntry(rogue);
            entries.add(new RootkitTruth.LoaderEntry(va, kernel.translate(va), rogue.base(), rogue.size(), ROGUE,
                    ROGUE_PATH, false, true));
        }
        String skipped = null;
        List<RootkitTruth.Driver> drivers = new ArrayList<>();
        if (!profile.has("_DRIVER_OBJECT", "DriverStart") || !profile.has("_DRIVER_OBJECT", "DriverName")) {
            skipped = "profile " + profile.source() + " has no _DRIVER_OBJECT with DriverStart and DriverName";
        } else {
            for (String[] d : DRIVERS) {
                for (int i = 0; i < modules.size(); i++) {
                    if (modules.get(i).name().equals(d[0])) {
                        drivers.add(driverObject(modules.get(i), machine.kernelModuleEntries.get(i), d[1], d[2],
                                false));
                    }
                }
            }
            if (rogue != null) {
                drivers.add(driverObject(rogue, 0, "\\Driver\\wdfilt64", "wdfilt64", true));
            }
        }
        return new RootkitTruth(skipped, entries, drivers, serviceTable(textEnd, rogue));
    }

    /** Writes the rogue driver's loader entry in 'MmLd' pool, linked to nothing but itself. */
    private long loaderEntry(SynthTruth.Module m) {
        String type = profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent() ? "_KLDR_DATA_TABLE_ENTRY"
                : "_LDR_DATA_TABLE_ENTRY";
        StructBuffer e = new StructBuffer(profile, type);
        long full = machine.poolString(m.path());
        long base = machine.poolString(m.name());
        long va = machine.poolAlloc(e.size(), TAG_LOADER_ENTRY);
        e.put("DllBase", m.base()).put("SizeOfImage", m.size());
        if (e.has("EntryPoint")) {
            e.put("EntryPoint", m.entry());
        }
        e.putUnicode("FullDllName", m.path().length() * 2, m.path().length() * 2 + 2, full);
        e.putUnicode("BaseDllName", m.name().length() * 2, m.name().length() * 2 + 2, base);
        long links = va + e.offset("InLoadOrderLinks");
        e.putList("InLoadOrderLinks", links, links);
        kernel.write(va, e.bytes());
        return va;
    }

    /** Writes a driver object (and its extension where the profile describes one) in 'Driv' pool. */
    private RootkitTruth.Driver driverObject(SynthTruth.Module m, long loaderEntry, String name, String serviceKey,
            boolean planted) {
        StructBuffer o = new StructBuffer(profile, "_DRIVER_OBJECT");
        boolean extension = profile.has("_DRIVER_EXTENSION", "ServiceKeyName") && profile.has("_DRIVER_EXTENSION",
                "DriverObject");
        StructBuffer x = extension ? new StructBuffer(profile, "_DRIVER_EXTENSION") : null;
        long nameVa = machine.poolString(name);
        long keyVa = extension ? machine.poolString(serviceKey) : 0;
        int objectSize = (o.size() + 7) & ~7;
        long va = machine.objectAlloc(objectSize + (extension ? x.size() : 0), TAG_DRIVER, "Driver");
        o.put("Type", IO_TYPE_DRIVER).put("Size", o.size()).put("DriverStart", m.base()).put("DriverSize", m.size())
                .putUnicode("DriverName", name.length() * 2, name.length() * 2 + 2, nameVa);
        o.putIfPresent("DriverSection", loaderEntry).putIfPresent("DriverInit", m.entry());
        if (extension) {
            long ext = va + objectSize;
            o.put("DriverExtension", ext);
            x.put("DriverObject", va).putUnicode("ServiceKeyName", serviceKey.length() * 2, serviceKey.length() * 2
                    + 2, keyVa);
            kernel.write(ext, x.bytes());
        }
        kernel.write(va, o.bytes());
        return new RootkitTruth.Driver(va, kernel.translate(va), name, m.base(), m.size(), extension ? serviceKey
                : null, planted);
    }

    /**
     * Writes KeServiceDescriptorTable, KiServiceTable (and the argument table after it) in the last pages of
     * .text below {@code textEnd} — or, when .text is too small for it (the profile's globals begin low in the
     * image), in a free stretch of .data — the routines spread over .text, and KiSystemServiceRepeat's loads of
     * the descriptors in the last 2 KiB of .text; one service hooked into {@code rogue} when it is given.
     */
    private RootkitTruth.ServiceTable serviceTable(long textEnd, SynthTruth.Module rogue) {
        int count = machine.build < 10240 ? 401 : machine.build < 19041 ? 464 : machine.build < 22000 ? 471 : 480;
        long region = (count * 5L + 0xfff) & ~0xfffL;
        long signatureRva = textEnd - 0x800 + 0x10L * random.nextInt(0x60);
        long tableRva;
        long routinesEnd;
        if (textEnd >= 0x40000) {
            tableRva = (signatureRva & ~0xfffL) - region - 0x1000L * (1 + random.nextInt(4));
            routinesEnd = tableRva;
        } else {
            tableRva = freeDataPages(textEnd + 0x1000, region);
            routinesEnd = signatureRva - 0x100;
        }
        machine.rvas.put(SERVICE_TABLE, tableRva);
        long table = machine.global(SERVICE_TABLE);
        long descriptor = machine.global(SERVICE_DESCRIPTOR_TABLE);
        long arguments = table + count * 4L;
        int hooked = rogue != null ? random.nextInt(count) : -1;
        long routine = machine.kernelBase + 0x2000;
        long stride = Math.max(0x10, ((machine.kernelBase + routinesEnd - routine) / count) & ~0xfL);
        byte[] entries = new byte[count * 4];
        byte[] args = new byte[count];
        List<RootkitTruth.Service> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int stack = random.nextInt(4) == 0 ? 1 + random.nextInt(8) : 0;
            long target = routine + 0x10L * random.nextInt((int) (stride / 0x10));
            routine += stride;
            String owner = KERNEL;
            if (i == hooked) {
                target = rogue.base() + 0x1000 + 0x10L * random.nextInt(0x40);
                owner = rogue.name();
            }
            long offset = target - table;
            if (offset != (offset << 36) >> 36) {
                throw new IllegalStateException("routine 0x" + Long.toHexString(target)
                        + " is too far from KiServiceTable for a 28-bit offset");
            }
            Le.put(entries, i * 4, (offset << 4) | stack, 4);
            args[i] = (byte) (stack * 8);
            services.add(new RootkitTruth.Service(i, target, stack, owner, i == hooked));
        }
        kernel.write(table, entries);
        kernel.write(arguments, args);
        byte[] d = new byte[(int) DESCRIPTOR_TABLE_SIZE];
        Le.put(d, 0, table, 8);
        Le.put(d, 0x10, count, 4);
        Le.put(d, 0x18, arguments, 8);
        kernel.write(descriptor, d);
        long signature = machine.kernelBase + signatureRva;
        kernel.write(signature - 0x20, randomBytes(0x20));
        kernel.write(signature, repeatCode(signature, descriptor, descriptor + DESCRIPTOR_TABLE_SIZE));
        return new RootkitTruth.ServiceTable(descriptor, table, signature, services);
    }

    /**
     * @return the RVA of the first page-aligned stretch of {@code size} bytes from {@code from} that no kernel
     *         global placed so far touches
     */
    private long freeDataPages(long from, long size) {
        for (long at = from; at + size <= machine.kernelSize; at += 0x1000) {
            long start = at;
            boolean free = machine.rvas.entrySet().stream().noneMatch(e -> e.getValue() < start + size && e.getValue()
                    + Math.max(0x400, kernelImage.extent(e.getKey())) > start);
            if (free) {
                return at;
            }
        }
        throw new IllegalStateException("the kernel image has no free stretch of 0x" + Long.toHexString(size)
                + " bytes for KiServiceTable");
    }

    /**
     * @return KiSystemServiceRepeat's first instructions at {@code at}: {@code lea r10, [descriptor]},
     *         {@code lea r11, [shadow]}, {@code test dword ptr [rbx+78h], 80h}, then other code
     */
    private byte[] repeatCode(long at, long descriptor, long shadow) {
        byte[] b = new byte[0x40];
        random.nextBytes(b);
        byte[] fixed = {0x4C, (byte) 0x8D, 0x15, 0, 0, 0, 0, 0x4C, (byte) 0x8D, 0x1D, 0, 0, 0, 0, (byte) 0xF7, 0x43,
            0x78, (byte) 0x80, 0, 0, 0};
        System.arraycopy(fixed, 0, b, 0, fixed.length);
        Le.put(b, 3, descriptor - (at + 7), 4);
        Le.put(b, 10, shadow - (at + 14), 4);
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
