package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Finds {@code _DRIVER_OBJECT}s anywhere in physical memory (driverscan): every pool block tagged 'Driv' whose
 * body — behind the _POOL_HEADER, the optional object headers and the _OBJECT_HEADER — is a driver object by its
 * Type and Size, each with the listed module its DriverStart lies in. The object's virtual address is its driver
 * extension's DriverObject, confirmed by translation; its name and service key are read through the kernel
 * address space, and a wild pointer among them is a warning naming the object.
 *
 * <p>Facts (Windows Driver Kit, {@code wdm.h}): a driver object's {@code Type} is IO_TYPE_DRIVER (4) and its
 * {@code Size} the size of the structure; its {@code DriverExtension} points at a {@code _DRIVER_EXTENSION}
 * whose {@code DriverObject} points back at it and whose {@code ServiceKeyName} names the driver's key under
 * {@code HKLM\SYSTEM\CurrentControlSet\Services}. Driver objects are allocated from pool with tag 'Driv', behind
 * their object header (M. H. Ligh, A. Case, J. Levy, A. Walters, "The Art of Memory Forensics", 2014, ch. 13
 * "Kernel Forensics and Rootkits", "Driver Objects and IRPs").
 *
 * @since 0.1
 */
public final class DriverScanner {

    private static final int DRIV = 0x76697244; // 'Driv'
    /** _DRIVER_OBJECT.Type of a driver object: IO_TYPE_DRIVER. */
    static final int IO_TYPE_DRIVER = 4;
    private static final int MAX_NAME_BYTES = 0xFFFE;

    private final PoolScanner pool;
    private final X64Layer kernel;
    private final MemoryReader reader;
    private final int bodyOffset;
    private final int size;
    private final int type;
    private final int sizeField;
    private final int start;
    private final int driverSize;
    private final int extension;
    private final int name;
    private final String noExtension;
    private final int extensionObject;
    private final int serviceKey;

    /**
     * @param physical the physical address space
     * @param kernel   the kernel address space (to recover and confirm virtual addresses, and read names)
     * @param objects  the object manager (for the object header's size)
     * @throws java.util.NoSuchElementException naming the {@code _DRIVER_OBJECT} field the profile lacks
     */
    public DriverScanner(Layer physical, X64Layer kernel, ObjectManager objects) {
        this.pool = new PoolScanner(physical, DRIV, "driver objects");
        this.kernel = Objects.requireNonNull(kernel);
        this.reader = new MemoryReader(kernel);
        this.bodyOffset = objects.bodyOffset();
        Profile profile = objects.profile();
        this.size = (int) profile.requireStruct("_DRIVER_OBJECT").size();
        this.type = field(profile, "_DRIVER_OBJECT", "Type");
        this.sizeField = field(profile, "_DRIVER_OBJECT", "Size");
        this.start = field(profile, "_DRIVER_OBJECT", "DriverStart");
        this.driverSize = field(profile, "_DRIVER_OBJECT", "DriverSize");
        this.extension = field(profile, "_DRIVER_OBJECT", "DriverExtension");
        this.name = field(profile, "_DRIVER_OBJECT", "DriverName");
        boolean known = profile.has("_DRIVER_EXTENSION", "DriverObject") && profile.has("_DRIVER_EXTENSION",
                "ServiceKeyName");
        this.noExtension = known ? null : "profile " + profile.source() + " has no _DRIVER_EXTENSION with"
                + " DriverObject and ServiceKeyName";
        this.extensionObject = known ? field(profile, "_DRIVER_EXTENSION", "DriverObject") : -1;
        this.serviceKey = known ? field(profile, "_DRIVER_EXTENSION", "ServiceKeyName") : -1;
    }

    private static int field(Profile profile, String struct, String field) {
        return (int) FieldPath.require(profile, struct, field).offset();
    }

    /**
     * Scans all of physical memory with {@code threads} workers, reporting the bytes scanned.
     *
     * @param listed the walk of PsLoadedModuleList DriverStart is checked against
     * @return the driver objects in physical address order, the blocks tagged 'Driv' that hold none, and the
     *         driver objects with wild pointers
     * @throws CancellationException when {@code progress} is cancelled
     */
    public PoolScanner.Result<ScannedDriver> scan(int threads, ScanProgress progress, ModuleList listed) {
        return pool.scan(0, pool.physical().size(), threads, progress, (header, found, warnings) -> candidate(header,
                found, warnings, listed.modules()));
    }

    private void candidate(long header, List<ScannedDriver> found, List<String> warnings, List<WinModule> listed) {
        byte[] b = new byte[size];
        ObjectBodies.Found f = ObjectBodies.find(pool.physical(), header, bodyOffset, b, this::implausible);
        if (f.problem() != null) {
            warnings.add("pool block at physical " + hex(header) + " tagged 'Driv' holds no plausible _DRIVER_OBJECT"
                    + " (at " + hex(header + 0x10 + bodyOffset) + ": " + f.problem() + ")");
            return;
        }
        long ext = Bytes.u64(b, extension);
        Readout<byte[]> x = noExtension != null ? Readout.missing(noExtension) : ext == 0 ? Readout.missing(
                "DriverExtension is null") : reader.bytes(ext, serviceKey + 16, "_DRIVER_EXTENSION");
        long va = x.isPresent() ? EmptyListHeads.confirm(kernel, Bytes.u64(x.get(), extensionObject), f.body()) : 0;
        String what = "_DRIVER_OBJECT at physical " + hex(f.body()) + (va != 0 ? " (" + hex(va) + ")" : "");
        Readout<String> driverName = reader.unicodeString(b, name, MAX_NAME_BYTES, "DriverName");
        Readout<String> key = x.flatMap(e -> reader.unicodeString(e, serviceKey, MAX_NAME_BYTES, "ServiceKeyName"));
        List<String> wild = new ArrayList<>();
        note(wild, "DriverName", driverName, true);
        note(wild, "DriverExtension", x, noExtension == null && ext != 0);
        note(wild, "ServiceKeyName", key, x.isPresent());
        if (!wild.isEmpty()) {
            warnings.add(what + " has wild pointers: " + String.join("; ", wild));
        }
        long driverStart = Bytes.u64(b, start);
        WinModule owner = listed.stream().filter(m -> m.contains(driverStart)).findFirst().orElse(null);
        found.add(new ScannedDriver(f.body(), header, va, driverName, driverStart, Bytes.u32(b, driverSize), key,
                owner));
    }

    /** @return why {@code b} is not a driver object, or null when its Type and Size say it is one */
    private String implausible(byte[] b) {
        int t = Bytes.u16(b, type);
        int s = Bytes.u16(b, sizeField);
        if (t != IO_TYPE_DRIVER) {
            return "Type is 0x" + Integer.toHexString(t) + ", not IO_TYPE_DRIVER (4)";
        }
        return s == size ? null : "Size is 0x" + Integer.toHexString(s) + ", not 0x" + Integer.toHexString(size);
    }

    /** Adds the reason of a value read through a pointer ({@code read}) that is missing because it is wild. */
    private static void note(List<String> wild, String field, Readout<?> r, boolean read) {
        if (read && FileObjects.wild(r)) {
            wild.add(r.reason().startsWith(field) ? r.reason() : field + ": " + r.reason());
        }
    }
}
