package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * The kernel's object manager as an image holds it: each object's {@code _OBJECT_HEADER} right before
 * its body, the type the header's TypeIndex names through {@code nt!ObTypeIndexTable}, the optional
 * headers its InfoMask announces, and the names objects are known by.
 *
 * <p>Facts, from Windows Internals 7th ed., part 1, ch. 8 ("Object headers and bodies", "Object types"):
 * <ul>
 * <li>From Windows 10 (build 10240) TypeIndex is the type's index XOR the second byte of the header's
 * address XOR the byte {@code nt!ObHeaderCookie}; before, it is the index itself.</li>
 * <li>The optional headers lie below the object header in the order of their InfoMask bits, the lowest
 * nearest: CreatorInfo 0x1, NameInfo 0x2, HandleInfo 0x4, QuotaInfo 0x8, ProcessInfo 0x10, AuditInfo
 * 0x20, ExtendedInfo 0x40, PaddingInfo 0x80. The kernel's {@code ObpInfoMaskToOffset[InfoMask & (bit |
 * (bit - 1))]} is a header's distance below the object header: the sum of the sizes of the present
 * headers whose bits are at or below its own. The sizes come from the profile, so the table is
 * computed rather than read (the profiles carry no symbol for it).</li>
 * <li>A named object's {@code _OBJECT_HEADER_NAME_INFO.Directory} is the directory object it is named
 * in; the root directory's own name is "\".</li>
 * </ul>
 * The type table and cookie are read once and kept; every walk over memory-controlled links is bounded
 * and cycle-checked.
 *
 * @since 0.1
 */
public final class ObjectManager {

    /** Optional headers by InfoMask bit, lowest first. */
    private static final String[] OPTIONAL = {"_OBJECT_HEADER_CREATOR_INFO", "_OBJECT_HEADER_NAME_INFO",
        "_OBJECT_HEADER_HANDLE_INFO", "_OBJECT_HEADER_QUOTA_INFO", "_OBJECT_HEADER_PROCESS_INFO",
        "_OBJECT_HEADER_AUDIT_INFO", "_OBJECT_HEADER_EXTENDED_INFO", "_OBJECT_HEADER_PADDING_INFO"};
    /** No namespace is deeper than this; a longer Directory chain is damage. */
    static final int MAX_DEPTH = 32;
    /** The longest name read (UNICODE_STRING lengths are 16-bit). */
    static final int MAX_NAME_BYTES = 0xFFFE;

    private final MemoryReader reader;
    private final Profile profile;
    private final KernelDiscovery discovery;
    private final int bodyOffset;
    private final int typeIndexOffset;
    private final int infoMaskOffset;
    private final long[] optionalSizes = new long[OPTIONAL.length];
    private volatile Readout<ObjectTypeTable> types;
    private final Map<Long, Readout<String>> paths = new ConcurrentHashMap<>();

    /**
     * @param kernel    the kernel's address space
     * @param discovery what kernel discovery found (its PDB says whether the profile's symbols apply)
     * @throws java.util.NoSuchElementException when the profile has no _OBJECT_HEADER
     */
    public ObjectManager(X64Layer kernel, KernelDiscovery discovery) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        this.discovery = discovery;
        this.profile = discovery.profile();
        this.bodyOffset = (int) FieldPath.require(profile, "_OBJECT_HEADER", "Body").offset();
        this.typeIndexOffset = (int) FieldPath.require(profile, "_OBJECT_HEADER", "TypeIndex").offset();
        this.infoMaskOffset = (int) FieldPath.require(profile, "_OBJECT_HEADER", "InfoMask").offset();
        for (int i = 0; i < OPTIONAL.length; i++) {
            int bit = i;
            optionalSizes[i] = profile.struct(OPTIONAL[i]).map(s -> s.size()).orElse(bit == 7 ? 4L : -1L);
        }
    }

    /** @return the offset of the body in an object: the size of {@code _OBJECT_HEADER} up to {@code Body} */
    public int bodyOffset() {
        return bodyOffset;
    }

    Profile profile() {
        return profile;
    }

    MemoryReader reader() {
        return reader;
    }

    /** @return the address of a kernel symbol, or why it is not known */
    private Readout<Long> symbol(String name) {
        return discovery.symbol(name);
    }

    /**
     * @return the object types by index with the header cookie, read on first use and kept; or why they
     *         cannot be read (no symbol, the table's page missing)
     */
    public Readout<ObjectTypeTable> types() {
        Readout<ObjectTypeTable> t = types;
        if (t == null) {
            synchronized (this) {
                if (types == null) {
                    types = readTypes();
                }
                t = types;
            }
        }
        return t;
    }

    private Readout<ObjectTypeTable> readTypes() {
        if (profile.struct("_OBJECT_TYPE").isEmpty()) {
            return Readout.missing("profile " + profile.source() + " has no _OBJECT_TYPE");
        }
        Readout<Long> table = symbol("ObTypeIndexTable");
        if (!table.isPresent()) {
            // no usable symbol: find the table by its shape in the kernel image
            long found = findTypeTable();
            if (found == 0) {
                return Readout.missing(table.reason() + ", and no ObTypeIndexTable was found in the kernel image "
                        + "(null, 0xbad0b0b0, then a type named Type)");
            }
            table = Readout.of(found);
        }
        Readout<byte[]> slots = reader.bytes(table.get(), 256 * 8, "ObTypeIndexTable");
        if (!slots.isPresent()) {
            return slots.map(x -> null);
        }
        int cookie = -1;
        if (discovery.build() >= 10240) {
            Readout<Long> at = symbol("ObHeaderCookie");
            if (at.isPresent()) {
                Readout<byte[]> b = reader.bytes(at.get(), 1, "ObHeaderCookie");
                if (!b.isPresent()) {
                    return b.map(x -> null);
                }
                cookie = b.get()[0] & 0xff;
            } else {
                Readout<Integer> derived = deriveCookie(slots.get());
                if (!derived.isPresent()) {
                    return Readout.missing(derived.cause(), at.reason() + "; " + derived.reason());
                }
                cookie = derived.get();
            }
        }
        int nameOffset = (int) profile.offset("_OBJECT_TYPE", "Name");
        Map<Integer, String> names = new LinkedHashMap<>();
        for (int i = 2; i < 256; i++) {
            long type = Bytes.u64(slots.get(), i * 8);
            if (type == 0) {
                break;
            }
            Readout<String> name = type < 0 ? reader.unicodeString(type + nameOffset, 256, "_OBJECT_TYPE " + hex(type)
                    + " Name") : Readout.missing("ObTypeIndexTable[" + i + "] " + hex(type)
                            + " is not a kernel address");
            // a type whose name cannot be read keeps its slot, so it is not taken for the next one
            names.put(i, name.isPresent() ? name.get() : "?" + name.reason());
        }
        return Readout.of(new ObjectTypeTable(table.get(), cookie, Map.copyOf(names)));
    }

    /** The marker ObTypeIndexTable[1] holds. */
    private static final long BAD_SLOT = 0xbad0b0b0L;

    /**
     * @return the address of ObTypeIndexTable found in the kernel image by its shape — a null slot, the
     *         marker 0xbad0b0b0, then the _OBJECT_TYPE named "Type" — or 0
     */
    private long findTypeTable() {
        long base = discovery.kernelBase();
        long size = discovery.kernelSize();
        if (base == 0 || size <= 0) {
            return 0;
        }
        int nameOffset = (int) profile.offset("_OBJECT_TYPE", "Name");
        byte[] chunk = new byte[1 << 20];
        for (long at = 0; at < size; at += chunk.length) {
            int n = (int) Math.min(chunk.length, size - at);
            if (reader.layer().read(base + at, chunk, 0, n) <= 0) {
                continue; // the read fills what it can; unreadable pages read as zero
            }
            for (int i = 8; i + 16 <= n; i += 8) {
                if (Bytes.u64(chunk, i) != BAD_SLOT || Bytes.u64(chunk, i - 8) != 0) {
                    continue;
                }
                long type = Bytes.u64(chunk, i + 8);
                if (type < 0 && "Type".equals(reader.unicodeString(type + nameOffset, 64, "_OBJECT_TYPE").orElse(
                        null))) {
                    return base + at + i - 8;
                }
            }
        }
        return 0;
    }

    /**
     * Derives the header cookie from the type objects themselves: each _OBJECT_TYPE is an object of type
     * Type (index 2), so its header's TypeIndex XOR 2 XOR its address' second byte is the cookie. Two
     * type objects must agree.
     */
    private Readout<Integer> deriveCookie(byte[] slots) {
        int cookie = -1;
        for (int i = 2; i < 4; i++) {
            long type = Bytes.u64(slots, i * 8);
            long header = type - bodyOffset;
            Readout<byte[]> b = reader.bytes(header, bodyOffset, "_OBJECT_HEADER of the type object");
            if (type >= 0 || !b.isPresent()) {
                return Readout.missing(b.cause(), "the cookie cannot be derived: ObTypeIndexTable[" + i + "] "
                        + hex(type) + " " + (type >= 0 ? "is not a kernel address" : b.reason()));
            }
            int c = ((b.get()[typeIndexOffset] & 0xff) ^ 2 ^ (int) ((header >>> 8) & 0xff)) & 0xff;
            if (cookie >= 0 && c != cookie) {
                return Readout.missing("the cookie cannot be derived: the type objects' headers disagree (0x"
                        + Integer.toHexString(cookie) + ", 0x" + Integer.toHexString(c) + ")");
            }
            cookie = c;
        }
        return Readout.of(cookie);
    }

    /**
     * An object's header, read.
     *
     * @param header    its address
     * @param typeIndex the decoded type index
     * @param infoMask  the InfoMask byte
     * @param type      its type's name, or why it cannot be told
     * @since 0.1
     */
    public record Header(long header, int typeIndex, int infoMask, Readout<String> type) {
    }

    /** @return the object header at {@code header}, or why it cannot be read */
    public Readout<Header> header(long header) {
        if (header >= 0 || (header & 0xf) != 0) {
            return Readout.missing("_OBJECT_HEADER " + hex(header) + " is not a 16-byte aligned kernel address");
        }
        return reader.bytes(header, bodyOffset, "_OBJECT_HEADER").map(b -> {
            int raw = b[typeIndexOffset] & 0xff;
            int mask = b[infoMaskOffset] & 0xff;
            Readout<ObjectTypeTable> table = types();
            if (!table.isPresent()) {
                return new Header(header, raw, mask, Readout.missing(table.cause(), "type unknown: " + table
                        .reason()));
            }
            int index = table.get().decode(raw, header);
            Readout<String> type = table.get().name(index).map(n -> n.startsWith("?") ? Readout.<String>missing(n
                    .substring(1)) : Readout.of(n)).orElseGet(() -> Readout.missing("_OBJECT_HEADER " + hex(header)
                            + ": TypeIndex 0x" + Integer.toHexString(raw) + " decodes to index " + index
                            + ", which ObTypeIndexTable does not hold (" + (table.get().cookie() >= 0
                                    ? "wrong header cookie or damaged header" : "damaged header") + ")"));
            return new Header(header, index, mask, type);
        });
    }

    /**
     * @return the address of the optional header of InfoMask bit {@code bit} (0x1 … 0x80) of the object
     *         whose header is at {@code header}, or 0 when the object has none or its size is not known
     */
    public long optionalHeader(long header, int infoMask, int bit) {
        if ((infoMask & bit) == 0) {
            return 0;
        }
        long offset = 0;
        for (int i = 0; i < OPTIONAL.length && (1 << i) <= bit; i++) {
            if ((infoMask & (1 << i)) != 0) {
                if (optionalSizes[i] < 0) {
                    return 0;
                }
                offset += optionalSizes[i];
            }
        }
        return header - offset;
    }

    /**
     * @return the object's namespace path ("\BaseNamedObjects\Foo") from its name header and its
     *         directories' up to the root; "" for an unnamed object; or why it cannot be read
     */
    public Readout<String> path(Header h) {
        return path(h, 0, new HashSet<>());
    }

    private Readout<String> path(Header h, int depth, Set<Long> seen) {
        long nameInfo = optionalHeader(h.header(), h.infoMask(), 0x2);
        if (nameInfo == 0) {
            return Readout.of("");
        }
        if (!seen.add(h.header()) || depth > MAX_DEPTH) {
            return Readout.missing("_OBJECT_HEADER_NAME_INFO " + hex(nameInfo) + ": the Directory chain loops or is"
                    + " deeper than " + MAX_DEPTH);
        }
        Readout<String> known = depth > 0 ? paths.get(h.header()) : null;
        if (known != null) {
            return known;
        }
        Readout<byte[]> b = reader.bytes(nameInfo, 24, "_OBJECT_HEADER_NAME_INFO");
        if (!b.isPresent()) {
            return b.map(x -> null);
        }
        long directory = Bytes.u64(b.get(), (int) profile.offset("_OBJECT_HEADER_NAME_INFO", "Directory"));
        Readout<String> name = reader.unicodeString(b.get(), (int) profile.offset("_OBJECT_HEADER_NAME_INFO", "Name"),
                MAX_NAME_BYTES, "_OBJECT_HEADER_NAME_INFO " + hex(nameInfo) + " Name");
        if (!name.isPresent() || directory == 0) {
            return name;
        }
        Readout<String> parent = header(directory - bodyOffset).flatMap(d -> path(d, depth + 1, seen));
        Readout<String> full = parent.map(p -> p.isEmpty() ? name.get() : p.endsWith("\\") ? p + name.get()
                : p + "\\" + name.get());
        if (depth > 0) {
            paths.put(h.header(), full);
        }
        return full;
    }

    /**
     * Names an object the way an analyst knows it: a file by its device's path and its file name, a
     * registry key by its full path from its key control block chain, a process by its image name and
     * pid ("notepad.exe pid 1234"), a thread by its ids ("tid 5678 pid 1234"), anything else by its
     * namespace path ("" when it has none).
     */
    public Readout<String> describe(Header h) {
        long body = h.header() + bodyOffset;
        String type = h.type().orElse("");
        return switch (type) {
            case "File" -> fileName(body);
            case "Key" -> keyName(body);
            case "Process" -> processName(body);
            case "Thread" -> threadName(body);
            default -> path(h);
        };
    }

    /** The marker each body of these types starts its kind with: the field, its value, and its name. */
    private record Marker(String struct, String field, long mask, long value, String meaning) {
    }

    private static final Map<String, Marker> MARKERS = Map.of(
            "File", new Marker("_FILE_OBJECT", "Type", 0xffff, 5, "IO_TYPE_FILE"),
            "Device", new Marker("_DEVICE_OBJECT", "Type", 0xffff, 3, "IO_TYPE_DEVICE"),
            "Process", new Marker("_EPROCESS", "Pcb.Header.Type", 0x7f, 3, "ProcessObject"),
            "Thread", new Marker("_ETHREAD", "Tcb.Header.Type", 0x7f, 6, "ThreadObject"),
            "Key", new Marker("_CM_KEY_BODY", "Type", 0xffffffffL, 0x6b793032L, "'ky02'"));

    /**
     * Checks that an object's body fits the type its header names: a file object's, a device's, a
     * process's, a thread's and a key body's first field says what it is (the I/O manager's IO_TYPE_*,
     * the dispatcher header's type, the configuration manager's key body type). A header whose TypeIndex
     * was damaged — or decoded with a wrong cookie — into another valid type fails here.
     *
     * @return what does not fit, naming the object, or empty when it fits or cannot be checked
     */
    public java.util.Optional<String> inconsistency(Header h) {
        Marker m = MARKERS.get(h.type().orElse(""));
        if (m == null || !profile.has(m.struct(), m.field())) {
            return java.util.Optional.empty();
        }
        var field = profile.resolve(m.struct(), m.field());
        int size = (int) Math.min(8, Math.max(1, profile.sizeOf(field.type())));
        long body = h.header() + bodyOffset;
        Readout<byte[]> b = reader.bytes(body + field.offset(), size, m.struct() + " " + m.field());
        if (!b.isPresent()) {
            return java.util.Optional.empty();
        }
        long value = Bytes.uint(b.get(), 0, size) & m.mask();
        return value == m.value() ? java.util.Optional.empty() : java.util.Optional.of(h.type().get() + " object "
                + hex(body) + " (header " + hex(h.header()) + "): " + m.struct() + "." + m.field() + " is 0x"
                + Long.toHexString(value) + ", not " + m.meaning() + " (0x" + Long.toHexString(m.value())
                + "): the header's type does not fit the body");
    }

    private Readout<String> fileName(long file) {
        if (!profile.has("_FILE_OBJECT", "FileName")) {
            return Readout.missing("profile " + profile.source() + " has no _FILE_OBJECT.FileName");
        }
        int deviceAt = (int) profile.offset("_FILE_OBJECT", "DeviceObject");
        int nameAt = (int) profile.offset("_FILE_OBJECT", "FileName");
        return reader.bytes(file, nameAt + 16, "_FILE_OBJECT").flatMap(b -> {
            Readout<String> name = reader.unicodeString(b, nameAt, MAX_NAME_BYTES, "_FILE_OBJECT " + hex(file)
                    + " FileName");
            long device = Bytes.u64(b, deviceAt);
            if (!name.isPresent() || device >= 0) {
                return name;
            }
            String dev = header(device - bodyOffset).flatMap(this::path).orElse("");
            return Readout.of(dev + name.get());
        });
    }

    private Readout<String> keyName(long body) {
        if (profile.struct("_CM_KEY_BODY").isEmpty() || profile.struct("_CM_NAME_CONTROL_BLOCK").isEmpty()) {
            return Readout.missing("profile " + profile.source() + " has no _CM_KEY_BODY / _CM_NAME_CONTROL_BLOCK");
        }
        Readout<Long> kcb = reader.qword(body + profile.offset("_CM_KEY_BODY", "KeyControlBlock"),
                "_CM_KEY_BODY KeyControlBlock");
        if (!kcb.isPresent()) {
            return kcb.map(x -> null);
        }
        int parentAt = (int) profile.offset("_CM_KEY_CONTROL_BLOCK", "ParentKcb");
        int blockAt = (int) profile.offset("_CM_KEY_CONTROL_BLOCK", "NameBlock");
        int lengthAt = (int) profile.offset("_CM_NAME_CONTROL_BLOCK", "NameLength");
        int nameAt = (int) profile.offset("_CM_NAME_CONTROL_BLOCK", "Name");
        var compressed = profile.resolve("_CM_NAME_CONTROL_BLOCK", "Compressed");
        int compressedAt = (int) compressed.offset();
        int compressedBit = compressed.type() instanceof TypeRef.Bitfield bf ? bf.position() : 0;
        List<String> names = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long k = kcb.get();
        while (k != 0) {
            if (k > 0 || !seen.add(k) || names.size() > MAX_DEPTH * 4) {
                return Readout.missing("_CM_KEY_CONTROL_BLOCK " + hex(k) + ": the ParentKcb chain "
                        + (k > 0 ? "leaves kernel space" : "loops or is too deep"));
            }
            Readout<byte[]> b = reader.bytes(k, Math.max(parentAt, blockAt) + 8, "_CM_KEY_CONTROL_BLOCK");
            if (!b.isPresent()) {
                return b.map(x -> null);
            }
            long block = Bytes.u64(b.get(), blockAt);
            Readout<byte[]> nb = reader.bytes(block, nameAt, "_CM_NAME_CONTROL_BLOCK");
            if (!nb.isPresent()) {
                return nb.map(x -> null);
            }
            int length = Bytes.u16(nb.get(), lengthAt);
            boolean ascii = ((Bytes.u32(nb.get(), compressedAt) >>> compressedBit) & 1) != 0;
            Readout<byte[]> text = reader.bytes(block + nameAt, length, "_CM_NAME_CONTROL_BLOCK " + hex(block)
                    + " Name");
            if (!text.isPresent()) {
                return text.map(x -> null);
            }
            names.add(0, new String(text.get(), ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE));
            k = Bytes.u64(b.get(), parentAt);
        }
        return Readout.of("\\" + String.join("\\", names));
    }

    private Readout<String> processName(long eprocess) {
        int nameAt = (int) profile.offset("_EPROCESS", "ImageFileName");
        int pidAt = (int) profile.offset("_EPROCESS", "UniqueProcessId");
        return reader.bytes(eprocess, Math.max(nameAt + 15, pidAt + 8), "_EPROCESS").map(b -> {
            int len = 0;
            while (len < 15 && b[nameAt + len] != 0) {
                len++;
            }
            return new String(b, nameAt, len, StandardCharsets.ISO_8859_1) + " pid " + Bytes.u64(b, pidAt);
        });
    }

    private Readout<String> threadName(long ethread) {
        if (!profile.has("_ETHREAD", "Cid")) {
            return Readout.missing("profile " + profile.source() + " has no _ETHREAD.Cid");
        }
        long cid = profile.offset("_ETHREAD", "Cid");
        return reader.bytes(ethread + cid, 16, "_ETHREAD " + hex(ethread) + " Cid").map(b -> "tid " + Bytes.u64(b, 8)
                + " pid " + Bytes.u64(b, 0));
    }
}
