package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.windows.internal.Bytes;

/**
 * The kernel's system service table (ssdt): {@code KeServiceDescriptorTable} and each entry of the
 * {@code KiServiceTable} it points at, with the routine each dispatches to and the module on
 * {@code PsLoadedModuleList} that holds it. A routine outside ntoskrnl is the mark of a hook.
 *
 * <p>Facts, each from a public source:
 * <ul>
 * <li>On x64 a service descriptor is four pointer-sized fields: ServiceTableBase (KiServiceTable),
 * ServiceCounterTableBase, NumberOfServices (the limit) and ParamTableBase (SANS SEC665 "Syscalls" book, chapter
 * KiSystemServiceRepeat, books.syscalls.sec665.io: {@code _SYSTEM_SERVICE_TABLE}).</li>
 * <li>Each KiServiceTable entry is a signed 32-bit value: the routine is at KiServiceTable + (entry &gt;&gt; 4),
 * an arithmetic shift, and the low 4 bits are the number of the routine's arguments passed on the stack (same
 * book; A. Climent-Pommeret, "A Syscall Journey in the Windows Kernel", alice.climent.red, 2022, which follows
 * KiSystemServiceRepeat's {@code movsxd r11, [r10+rax*4]; sar r11, 4; add r10, r11}).</li>
 * <li>A system service number's index part is 12 bits wide, so no table holds more than 4096 services (B. Blunden,
 * "The Rootkit Arsenal", 2nd ed., §4.6 "The Native API").</li>
 * <li>KeServiceDescriptorTable is not exported on x64. Without the kernel's symbols it is found where
 * KiSystemServiceRepeat loads it: {@code lea r10, [rip+disp32]} ({@code 4C 8D 15}) immediately followed by
 * {@code lea r11, [rip+disp32]} ({@code 4C 8D 1D}) for KeServiceDescriptorTableShadow (Climent-Pommeret, as
 * above; SEC665, as above).</li>
 * </ul>
 *
 * @param descriptor the virtual address of KeServiceDescriptorTable
 * @param foundBy    how the descriptor was found (the profile's symbol, or KiSystemServiceRepeat's code at an
 *                   address)
 * @param base       KiServiceTable
 * @param services   every entry the limit covers, by index
 * @param warnings   entries that lead to no listed module, and the part of the table that could not be read
 * @since 0.1
 */
public record ServiceTable(long descriptor, String foundBy, long base, List<Service> services, List<String> warnings) {

    /** The most services one table can hold: the index part of a service number is 12 bits. */
    public static final int MAX_SERVICES = 0x1000;
    /** The most entries that lead nowhere named one by one; the rest are counted. */
    private static final int MAX_NAMED = 16;
    private static final byte[] REPEAT = {0x4C, (byte) 0x8D, 0x15, 0, 0, 0, 0, 0x4C, (byte) 0x8D, 0x1D};
    private static final int CHUNK = 1 << 20;

    public ServiceTable {
        services = List.copyOf(services);
        warnings = List.copyOf(warnings);
    }

    /**
     * One system service.
     *
     * @param index          its system service number
     * @param entry          the raw KiServiceTable entry
     * @param target         the routine it dispatches to
     * @param stackArguments the number of its arguments passed on the stack
     * @param owner          the listed module holding the routine, or null when none does
     * @param hooked         whether the routine lies outside ntoskrnl
     * @since 0.1
     */
    public record Service(int index, int entry, long target, int stackArguments, WinModule owner, boolean hooked) {
    }

    /**
     * Finds KeServiceDescriptorTable — by the profile's symbol when the profile is the kernel's own, else by
     * KiSystemServiceRepeat's code in the kernel image — and reads every service.
     *
     * @param discovery what kernel discovery established (kernel address space, base, size, profile)
     * @param modules   the walk of PsLoadedModuleList the routines are attributed with
     * @return the table, or why it could not be found or read
     */
    public static Readout<ServiceTable> read(KernelDiscovery discovery, ModuleList modules) {
        Objects.requireNonNull(modules);
        MemoryReader reader = new MemoryReader(discovery.kernel());
        Readout<Long> symbol = discovery.symbol("KeServiceDescriptorTable");
        if (symbol.isPresent()) {
            return read(reader, discovery, symbol.get(), "the profile's symbol KeServiceDescriptorTable", modules);
        }
        long[] found = findByCode(discovery);
        if (found == null) {
            return Readout.missing(symbol.reason() + ", and no lea r10/lea r11 pair of KiSystemServiceRepeat in the"
                    + " kernel image at " + hex(discovery.kernelBase()) + " leads to a plausible descriptor");
        }
        return read(reader, discovery, found[0], "KiSystemServiceRepeat's lea r10 at " + hex(found[1]) + " ("
                + symbol.reason() + ")", modules);
    }

    private static Readout<ServiceTable> read(MemoryReader reader, KernelDiscovery discovery, long descriptor,
            String foundBy, ModuleList modules) {
        return reader.bytes(descriptor, 0x20, "KeServiceDescriptorTable").flatMap(d -> {
            long base = Bytes.u64(d, 0);
            long limit = Bytes.u32(d, 0x10);
            String problem = implausible(discovery, base, limit);
            if (problem != null) {
                return Readout.missing("KeServiceDescriptorTable at " + hex(descriptor) + " (" + foundBy + "): "
                        + problem);
            }
            return reader.bytes(base, (int) limit * 4, "KiServiceTable").map(t -> decode(descriptor, foundBy, base, t,
                    discovery.kernelBase(), modules));
        });
    }

    private static ServiceTable decode(long descriptor, String foundBy, long base, byte[] t, long kernelBase,
            ModuleList modules) {
        WinModule kernel = modules.modules().stream().filter(m -> m.contains(kernelBase)).findFirst().orElse(null);
        List<Service> services = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int nowhere = 0;
        for (int i = 0; i < t.length / 4; i++) {
            int entry = (int) Bytes.u32(t, i * 4);
            long target = base + (entry >> 4);
            WinModule owner = modules.modules().stream().filter(m -> m.contains(target)).findFirst().orElse(null);
            if (owner == null && nowhere++ < MAX_NAMED) {
                warnings.add("KiServiceTable at " + hex(base) + " entry " + i + " (0x" + Integer.toHexString(entry)
                        + ") leads to " + hex(target) + ", in no module on PsLoadedModuleList");
            }
            services.add(new Service(i, entry, target, entry & 0xf, owner, owner == null || owner != kernel));
        }
        if (nowhere > MAX_NAMED) {
            warnings.add("KiServiceTable at " + hex(base) + ": " + (nowhere - MAX_NAMED)
                    + " further entries lead to no module on PsLoadedModuleList");
        }
        return new ServiceTable(descriptor, foundBy, base, services, warnings);
    }

    /** @return what makes a descriptor's base and limit implausible, or null */
    private static String implausible(KernelDiscovery discovery, long base, long limit) {
        if (Long.compareUnsigned(base - discovery.kernelBase(), discovery.kernelSize()) >= 0) {
            return "ServiceTableBase " + hex(base) + " lies outside the kernel image";
        }
        return limit == 0 || limit > MAX_SERVICES ? "NumberOfServices " + limit + " is outside 1.." + MAX_SERVICES
                : null;
    }

    /**
     * @return the descriptor's address and the address of the code that loads it, from the first lea r10/lea r11
     *         pair in the kernel image whose r10 target holds a plausible descriptor; null when none does
     */
    private static long[] findByCode(KernelDiscovery discovery) {
        X64Layer kernel = discovery.kernel();
        long start = discovery.kernelBase();
        long end = start + discovery.kernelSize();
        byte[] b = new byte[CHUNK + REPEAT.length];
        for (long at = start; at < end; at += CHUNK) {
            int n = (int) Math.min(b.length, end - at);
            java.util.Arrays.fill(b, (byte) 0);
            kernel.read(at, b, 0, n);
            for (int i = 0; i + REPEAT.length <= n && i < CHUNK; i++) {
                if (b[i] == REPEAT[0] && b[i + 1] == REPEAT[1] && b[i + 2] == REPEAT[2] && b[i + 7] == REPEAT[7]
                        && b[i + 8] == REPEAT[8] && b[i + 9] == REPEAT[9]) {
                    long descriptor = at + i + 7 + (int) Bytes.u32(b, i + 3);
                    byte[] d = new byte[0x18];
                    if (kernel.read(descriptor, d, 0, d.length) == d.length && implausible(discovery, Bytes.u64(d, 0),
                            Bytes.u32(d, 0x10)) == null) {
                        return new long[] {descriptor, at + i};
                    }
                }
            }
        }
        return null;
    }
}
