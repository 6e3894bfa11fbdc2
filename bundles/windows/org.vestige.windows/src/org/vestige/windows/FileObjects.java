package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Reads {@code _FILE_OBJECT}s: the device object's namespace path, the file name, the access flags and
 * the {@code _SECTION_OBJECT_POINTERS}, each through the kernel address space (so a name on a paged-out
 * page says where it went), and says which of a file object's pointers are wild — not a kernel address,
 * or pointing at memory no page table maps — as opposed to merely paged out.
 *
 * <p>Facts (Windows Internals 7th ed., part 2, ch. 11 "Cache manager", "File system interfaces"): a file
 * object's {@code Type} is IO_TYPE_FILE (5) and its {@code Size} the size of the structure; its
 * {@code SectionObjectPointer} leads to the DataSectionObject and ImageSectionObject control areas and
 * the SharedCacheMap shared by every file object of the same stream.
 *
 * @since 0.1
 */
public final class FileObjects {

    /** _FILE_OBJECT.Type of a file object: IO_TYPE_FILE. */
    static final int IO_TYPE_FILE = 5;
    private static final String[] ACCESS = {"ReadAccess", "WriteAccess", "DeleteAccess", "SharedRead",
        "SharedWrite", "SharedDelete"};
    private static final String LETTERS = "RWDrwd";

    private final ObjectManager objects;
    private final MemoryReader reader;
    private final int size;
    private final int type;
    private final int sizeField;
    private final int device;
    private final int name;
    private final int sectionPointers;
    private final int[] access = new int[ACCESS.length];
    private final int dataSection;
    private final int sharedCacheMap;
    private final int imageSection;
    private final int[] emptyLists;

    /**
     * @param objects the object manager (device objects are named through it)
     * @throws java.util.NoSuchElementException naming the field the profile lacks
     */
    public FileObjects(ObjectManager objects) {
        this.objects = Objects.requireNonNull(objects);
        this.reader = objects.reader();
        Profile profile = objects.profile();
        this.size = (int) profile.requireStruct("_FILE_OBJECT").size();
        this.type = (int) FieldPath.require(profile, "_FILE_OBJECT", "Type").offset();
        this.sizeField = (int) FieldPath.require(profile, "_FILE_OBJECT", "Size").offset();
        this.device = (int) FieldPath.require(profile, "_FILE_OBJECT", "DeviceObject").offset();
        this.name = (int) FieldPath.require(profile, "_FILE_OBJECT", "FileName").offset();
        this.sectionPointers = (int) FieldPath.require(profile, "_FILE_OBJECT", "SectionObjectPointer").offset();
        for (int i = 0; i < ACCESS.length; i++) {
            access[i] = FieldPath.offsetOrMinus1(profile, "_FILE_OBJECT", ACCESS[i]);
        }
        this.dataSection = (int) FieldPath.require(profile, "_SECTION_OBJECT_POINTERS", "DataSectionObject").offset();
        this.sharedCacheMap = (int) FieldPath.require(profile, "_SECTION_OBJECT_POINTERS", "SharedCacheMap").offset();
        this.imageSection = (int) FieldPath.require(profile, "_SECTION_OBJECT_POINTERS", "ImageSectionObject")
                .offset();
        // the I/O manager initialises IrpList empty, and the Event's wait list is empty while nobody waits
        this.emptyLists = new int[] {FieldPath.offsetOrMinus1(profile, "_FILE_OBJECT", "IrpList"), FieldPath
                .offsetOrMinus1(profile, "_FILE_OBJECT", "Event.Header.WaitListHead")};
    }

    /** @return the size of {@code _FILE_OBJECT} */
    public int size() {
        return size;
    }

    /** @return the object manager file objects are read with */
    public ObjectManager objects() {
        return objects;
    }

    /**
     * @return why {@code b} (a _FILE_OBJECT's bytes from {@code at}) is not a file object — its Type is not
     *         IO_TYPE_FILE or its Size not the structure's — or null when it is one
     */
    String implausible(byte[] b, int at) {
        int t = Bytes.u16(b, at + type);
        int s = Bytes.u16(b, at + sizeField);
        if (t != IO_TYPE_FILE) {
            return "Type is 0x" + Integer.toHexString(t) + ", not IO_TYPE_FILE (5)";
        }
        return s == size ? null : "Size is 0x" + Integer.toHexString(s) + ", not 0x" + Integer.toHexString(size);
    }

    /** @return the file object's virtual address from its empty list heads, or 0 */
    long virtualAddress(X64Layer kernel, long body, byte[] b) {
        return EmptyListHeads.virtualAddress(kernel, body, b, b.length, emptyLists);
    }

    /**
     * Reads the file object at virtual {@code address}.
     *
     * @param warnings where its wild pointers are described
     * @return the file object, or why it cannot be read or is not a file object
     */
    public Readout<WinFile> read(long address, List<String> warnings) {
        return reader.bytes(address, size, "_FILE_OBJECT").flatMap(b -> {
            String problem = implausible(b, 0);
            return problem != null ? Readout.missing("_FILE_OBJECT " + hex(address) + ": " + problem) : Readout.of(
                    decode(-1, -1, address, b, warnings));
        });
    }

    /**
     * Decodes a file object's fields from its bytes.
     *
     * @param physical   its body's physical address, or -1
     * @param poolHeader the physical address of its pool header, or -1
     * @param address    its virtual address, or 0 when not known
     * @param b          its {@code _FILE_OBJECT} bytes
     * @param warnings   where its wild pointers are described, naming the file object
     */
    public WinFile decode(long physical, long poolHeader, long address, byte[] b, List<String> warnings) {
        String what = "_FILE_OBJECT " + (address != 0 ? hex(address) + (physical >= 0 ? " (physical " + hex(physical)
                + ")" : "") : "at physical " + hex(physical));
        List<String> wild = new ArrayList<>();
        Readout<String> dev = deviceName(Bytes.u64(b, device));
        Readout<String> file = reader.unicodeString(b, name, ObjectManager.MAX_NAME_BYTES, "FileName");
        Readout<WinFile.SectionPointers> sections = sections(Bytes.u64(b, sectionPointers));
        note(wild, "DeviceObject", dev);
        note(wild, "FileName", file);
        note(wild, "SectionObjectPointer", sections);
        if (!wild.isEmpty()) {
            warnings.add(what + " has wild pointers: " + String.join("; ", wild));
        }
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < ACCESS.length; i++) {
            flags.append(access[i] >= 0 && b[access[i]] != 0 ? LETTERS.charAt(i) : '-');
        }
        return new WinFile(physical, poolHeader, address, dev, file, flags.toString(), sections);
    }

    private Readout<String> deviceName(long dev) {
        if (dev == 0) {
            return Readout.of("");
        }
        if (dev > 0 || !X64Translator.canonical(dev)) {
            return Readout.missing("DeviceObject " + hex(dev) + " is not a kernel address");
        }
        return objects.header(dev - objects.bodyOffset()).flatMap(objects::path);
    }

    private Readout<WinFile.SectionPointers> sections(long at) {
        if (at == 0) {
            return Readout.of(WinFile.SectionPointers.NONE);
        }
        if (at > 0 || !X64Translator.canonical(at)) {
            return Readout.missing("SectionObjectPointer " + hex(at) + " is not a kernel address");
        }
        int span = Math.max(dataSection, Math.max(sharedCacheMap, imageSection)) + 8;
        return reader.bytes(at, span, "_SECTION_OBJECT_POINTERS").map(s -> new WinFile.SectionPointers(at, Bytes
                .u64(s, dataSection), Bytes.u64(s, sharedCacheMap), Bytes.u64(s, imageSection)));
    }

    /** Adds the reason of a value that is missing because a pointer is wild, not because its page is elsewhere. */
    private static void note(List<String> wild, String field, Readout<?> r) {
        if (wild(r)) {
            wild.add(r.reason().startsWith(field) ? r.reason() : field + ": " + r.reason());
        }
    }

    /**
     * @return true when {@code r} is missing because of damage (a wild or implausible pointer or length,
     *         memory no page table maps) rather than because its page is paged out, compressed, in a file or
     *         not captured
     */
    public static boolean wild(Readout<?> r) {
        MissingCause c = r.cause();
        return !r.isPresent() && (c == null || c instanceof MissingCause.NotMapped
                || c instanceof MissingCause.OutsideImage);
    }
}
