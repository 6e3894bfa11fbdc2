package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;
import org.vestige.windows.internal.FieldPath.Accessor;

/**
 * Walks a loader list of image entries: the kernel's {@code PsLoadedModuleList}
 * ({@code _KLDR_DATA_TABLE_ENTRY}, or {@code _LDR_DATA_TABLE_ENTRY} where the profile has no kernel
 * variant) or one of a process's {@code PEB.Ldr} lists. Field offsets come from the profile. The
 * walk is bounded, detects cycles, checks Blinks, recovers the rest of a broken list from the
 * head's Blink chain, and skips entries whose fields are implausible; every problem is a warning.
 *
 * @since 0.1
 */
public final class ModuleWalker {

    /** No real loader list is longer than this. */
    public static final int MAX_MODULES = 16384;
    /** The longest module path accepted (UNICODE_STRING Length, bytes). */
    private static final int MAX_NAME_BYTES = 2 * 1024;

    /** The loader list an entry is linked on; each has its own LIST_ENTRY in the entry. */
    public enum Order {
        LOAD("InLoadOrderLinks", "InLoadOrderModuleList"),
        MEMORY("InMemoryOrderLinks", "InMemoryOrderModuleList"),
        INITIALIZATION("InInitializationOrderLinks", "InInitializationOrderModuleList");

        final String links;
        final String head;

        Order(String links, String head) {
            this.links = links;
            this.head = head;
        }
    }

    private final MemoryReader reader;
    private final Profile profile;
    private final boolean kernel;
    private final String entryType;
    private final int entrySize;
    private final int base;
    private final int sizeOfImage;
    private final int entryPoint;
    private final int fullName;
    private final int baseName;
    private final Accessor flags;
    private final Accessor loadCount;

    private ModuleWalker(Layer space, Profile profile, boolean kernel, String entryType) {
        this.reader = new MemoryReader(Objects.requireNonNull(space));
        this.profile = Objects.requireNonNull(profile);
        this.kernel = kernel;
        this.entryType = entryType;
        this.entrySize = (int) profile.requireStruct(entryType).size();
        this.base = (int) FieldPath.require(profile, entryType, "DllBase").offset();
        this.sizeOfImage = (int) FieldPath.require(profile, entryType, "SizeOfImage").offset();
        this.entryPoint = FieldPath.offsetOrMinus1(profile, entryType, "EntryPoint");
        this.fullName = (int) FieldPath.require(profile, entryType, "FullDllName").offset();
        this.baseName = (int) FieldPath.require(profile, entryType, "BaseDllName").offset();
        this.flags = FieldPath.accessor(profile, entryType, "Flags").orElse(null);
        this.loadCount = FieldPath.accessor(profile, entryType, "LoadCount").or(() -> FieldPath.accessor(profile,
                entryType, "ObsoleteLoadCount")).orElse(null);
    }

    /**
     * A walker of {@code PsLoadedModuleList}.
     *
     * @throws java.util.NoSuchElementException naming the entry field the profile lacks
     */
    public static ModuleWalker kernel(Layer kernel, Profile profile) {
        return new ModuleWalker(kernel, profile, true, profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent()
                && profile.requireStruct("_KLDR_DATA_TABLE_ENTRY").has("DllBase") ? "_KLDR_DATA_TABLE_ENTRY"
                        : "_LDR_DATA_TABLE_ENTRY");
    }

    /**
     * Walks the discovered kernel's {@code PsLoadedModuleList}.
     *
     * @return its modules, or no module and a warning saying why when the list head was not found
     * @throws java.util.NoSuchElementException naming the entry field the profile lacks
     */
    public static ModuleList loaded(KernelDiscovery discovery) {
        if (discovery.psLoadedModuleList() == 0) {
            return new ModuleList(List.of(), List.of("PsLoadedModuleList was not found (see windows.info)"), List.of());
        }
        return kernel(discovery.kernel(), discovery.profile()).walk(discovery.psLoadedModuleList());
    }

    /**
     * A walker of a process's loader lists, reading through the process's address space.
     *
     * @throws java.util.NoSuchElementException naming the entry field the profile lacks
     */
    public static ModuleWalker user(Layer process, Profile profile) {
        return new ModuleWalker(process, profile, false, "_LDR_DATA_TABLE_ENTRY");
    }

    /** Walks the list headed at {@code head} in load order ({@code PsLoadedModuleList} itself for the kernel). */
    public ModuleList walk(long head) {
        return walk(head, Order.LOAD);
    }

    /**
     * Walks the list headed at {@code head} whose entries are linked through {@code order}'s links.
     *
     * @throws java.util.NoSuchElementException when the profile's entry type has no such links
     */
    public ModuleList walk(long head, Order order) {
        int links = (int) FieldPath.require(profile, entryType, order.links).offset();
        ListWalk.Result r = new ListWalk(reader, kernel, MAX_MODULES).walk(head, (kernel ? "PsLoadedModuleList"
                : order.head), e -> entryType + " at " + hex(e - links));
        List<String> warnings = new ArrayList<>(r.warnings());
        List<WinModule> modules = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        for (long link : r.entries()) {
            long entry = link - links;
            Readout<byte[]> bytes = reader.bytes(entry, entrySize, entryType);
            if (!bytes.isPresent()) {
                warnings.add(bytes.reason() + "; skipped");
                rejected.add(entry);
                continue;
            }
            WinModule m = decode(entry, bytes.get());
            if (m == null) {
                warnings.add(entryType + " at " + hex(entry) + " has implausible fields (" + problem(bytes.get())
                        + "); skipped");
                rejected.add(entry);
                continue;
            }
            modules.add(m);
        }
        return new ModuleList(modules, warnings, rejected);
    }

    /** @return the entry type walked: {@code _KLDR_DATA_TABLE_ENTRY} or {@code _LDR_DATA_TABLE_ENTRY} */
    String entryType() {
        return entryType;
    }

    /** @return the size of the entry type */
    int entrySize() {
        return entrySize;
    }

    /** @return the offset of the entry's InLoadOrderLinks */
    int loadOrderLinks() {
        return (int) FieldPath.require(profile, entryType, Order.LOAD.links).offset();
    }

    /**
     * Decodes an entry's fields from its bytes, reading its names through the walker's address space.
     *
     * @param entry the entry's virtual address, or 0 when it is not known
     * @param b     its bytes
     * @return the module, or null when DllBase or SizeOfImage is implausible (see {@link #problem(byte[])})
     */
    WinModule decode(long entry, byte[] b) {
        if (problem(b) != null) {
            return null;
        }
        String where = entryType + " at " + (entry != 0 ? hex(entry) : "unknown address");
        return new WinModule(entry, Bytes.u64(b, base), Bytes.u32(b, sizeOfImage), entryPoint >= 0 ? Bytes.u64(b,
                entryPoint) : 0, reader.unicodeString(b, fullName, MAX_NAME_BYTES, where + " FullDllName"), reader
                        .unicodeString(b, baseName, MAX_NAME_BYTES, where + " BaseDllName"), flags != null ? flags.get(
                                b, 0) : -1, loadCount != null ? (int) loadCount.get(b, 0) : -1);
    }

    /** @return what is implausible in an entry's DllBase and SizeOfImage, or null when both are plausible */
    String problem(byte[] b) {
        long dllBase = Bytes.u64(b, base);
        long size = Bytes.u32(b, sizeOfImage);
        List<String> p = new ArrayList<>();
        if (dllBase == 0 || (dllBase & 0xfff) != 0 || !X64Translator.canonical(dllBase) || (kernel && dllBase > 0)) {
            p.add("DllBase " + hex(dllBase));
        }
        if (size == 0 || size > (1L << 30)) {
            p.add("SizeOfImage " + hex(size));
        }
        return p.isEmpty() ? null : String.join(", ", p);
    }
}
