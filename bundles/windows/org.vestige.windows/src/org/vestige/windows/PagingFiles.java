package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;
import org.vestige.windows.internal.FieldPath.Accessor;
import org.vestige.windows.internal.PeImage;

/**
 * Lists the kernel's paging files: the 16 {@code _MMPAGING_FILE} pointers of
 * {@code MiSystemPartition.Vp.PagingFile} (Windows 10 and later) or of the {@code MmPagingFile} array
 * (earlier kernels), each record's PageFileNumber, PageFileName, Size and the WsSwapPagefile /
 * VirtualStorePagefile flags where the profile has them. The page-file number is taken from the
 * record, not from the array index. Unreadable entries become warnings.
 *
 * @since 0.1
 */
public final class PagingFiles {

    /** The kernel keeps at most this many paging files (PageFileLow is four bits). */
    public static final int MAX_PAGING_FILES = 16;
    private static final int MAX_NAME_BYTES = 0xFFFE;

    private final MemoryReader reader;
    private final Profile profile;
    private final long kernelBase;
    private final int size;
    private final Accessor sizePages;
    private final int name;
    private final Accessor number;
    private final Accessor swap;
    private final Accessor virtualStore;

    /**
     * The result of a listing.
     *
     * @param files    the paging files, by page-file number
     * @param array    where the pointer array was read, or 0
     * @param warnings what could not be read
     * @since 0.1
     */
    public record Listing(List<PagingFile> files, long array, List<String> warnings) {
    }

    /**
     * @param kernel     the kernel address space
     * @param kernelBase the kernel image's base (symbols are RVAs from it)
     * @throws java.util.NoSuchElementException naming the _MMPAGING_FILE field the profile lacks
     */
    public PagingFiles(X64Layer kernel, Profile profile, long kernelBase) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        this.profile = Objects.requireNonNull(profile);
        this.kernelBase = kernelBase;
        String t = "_MMPAGING_FILE";
        size = (int) profile.requireStruct(t).size();
        sizePages = FieldPath.requireAccessor(profile, t, "Size");
        name = (int) FieldPath.require(profile, t, "PageFileName").offset();
        number = FieldPath.requireAccessor(profile, t, "PageFileNumber");
        swap = FieldPath.accessor(profile, t, "WsSwapPagefile").orElse(null);
        virtualStore = FieldPath.accessor(profile, t, "VirtualStorePagefile").orElse(null);
    }

    /**
     * Finds the paging-file pointer array without symbols: in the kernel image's writable data
     * sections, 16 qwords whose first points at a record numbered 0 named like a file
     * ({@code ...\pagefile.sys}) and whose others are null or point at records numbered by their
     * index.
     *
     * @return the array's address, or 0
     */
    private long scan() {
        PeImage pe;
        try {
            pe = PeImage.read(reader.layer(), kernelBase);
        } catch (PeImage.NotPeException e) {
            return 0;
        }
        for (var section : pe.sections()) {
            if (!List.of(".data", "PAGEDATA", "ALMOSTRO", "CACHEALI").contains(section.name())) {
                continue;
            }
            int length = Math.min(section.virtualSize(), 16 << 20);
            byte[] b = new byte[length];
            long start = kernelBase + section.rva();
            reader.layer().read(start, b, 0, length);
            for (int at = 0; at + MAX_PAGING_FILES * 8 <= length; at += 8) {
                long first = Bytes.u64(b, at);
                if (first >= 0 || !X64Translator.canonical(first) || (first & 0x7) != 0) {
                    continue;
                }
                if (recordNumbered(first, 0, true) && rest(b, at)) {
                    return start + at;
                }
            }
        }
        return 0;
    }

    private boolean rest(byte[] b, int at) {
        for (int i = 1; i < MAX_PAGING_FILES; i++) {
            long va = Bytes.u64(b, at + i * 8);
            if (va != 0 && (va >= 0 || !recordNumbered(va, i, false))) {
                return false;
            }
        }
        return true;
    }

    private boolean recordNumbered(long va, int slot, boolean named) {
        Readout<byte[]> r = reader.bytes(va, size, "_MMPAGING_FILE candidate");
        if (!r.isPresent() || number.get(r.get(), 0) != slot) {
            return false;
        }
        if (!named) {
            return true;
        }
        Readout<String> n = reader.unicodeString(r.get(), name, 520, "PageFileName candidate");
        return n.isPresent() && n.get().toLowerCase(Locale.ROOT).endsWith(".sys");
    }

    /** Reads the paging-file records. */
    public Listing list() {
        List<String> warnings = new ArrayList<>();
        long array;
        if (profile.symbol("MiSystemPartition").isPresent() && FieldPath.find(profile, "_MI_PARTITION",
                "Vp.PagingFile").isPresent()) {
            array = kernelBase + profile.symbol("MiSystemPartition").get() + FieldPath.require(profile,
                    "_MI_PARTITION", "Vp.PagingFile").offset();
        } else if (profile.symbol("MmPagingFile").isPresent()) {
            array = kernelBase + profile.symbol("MmPagingFile").get();
        } else {
            array = scan();
            if (array == 0) {
                warnings.add("profile " + profile.source() + " has neither MiSystemPartition (with _MI_PARTITION"
                        + ".Vp.PagingFile) nor MmPagingFile, and no array of paging-file records was found in the "
                        + "kernel's data sections");
                return new Listing(List.of(), 0, warnings);
            }
        }
        Readout<byte[]> pointers = reader.bytes(array, MAX_PAGING_FILES * 8, "paging-file array");
        if (!pointers.isPresent()) {
            warnings.add(pointers.reason());
            return new Listing(List.of(), array, warnings);
        }
        List<PagingFile> files = new ArrayList<>();
        for (int i = 0; i < MAX_PAGING_FILES; i++) {
            long va = Bytes.u64(pointers.get(), i * 8);
            if (va == 0) {
                continue;
            }
            if (va >= 0 || !X64Translator.canonical(va)) {
                warnings.add("paging-file entry " + i + " is " + hex(va) + ", not a kernel address");
                continue;
            }
            Readout<byte[]> r = reader.bytes(va, size, "_MMPAGING_FILE " + i);
            if (!r.isPresent()) {
                warnings.add(r.reason());
                continue;
            }
            byte[] b = r.get();
            int slot = (int) number.get(b, 0);
            if (slot != i) {
                warnings.add("_MMPAGING_FILE at " + hex(va) + " in entry " + i + " says PageFileNumber " + slot);
            }
            files.add(new PagingFile(slot, reader.unicodeString(b, name, MAX_NAME_BYTES, "_MMPAGING_FILE " + hex(va)
                    + " PageFileName"), sizePages.get(b, 0), swap != null && swap.get(b, 0) != 0,
                    virtualStore != null && virtualStore.get(b, 0) != 0, va));
        }
        files.sort((a, c) -> Integer.compare(a.slot(), c.slot()));
        return new Listing(List.copyOf(files), array, List.copyOf(warnings));
    }
}
