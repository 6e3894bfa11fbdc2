package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;

/**
 * Writes objects as the object manager lays them out in pool memory: a {@code _POOL_HEADER}, the optional
 * headers the {@code _OBJECT_HEADER.InfoMask} announces, the {@code _OBJECT_HEADER} and the body; the
 * object type table with an {@code _OBJECT_TYPE} per type; the namespace directories and devices objects
 * are named in; and the configuration manager's key control blocks that registry key objects refer to.
 *
 * <p>The optional headers lie below the object header in the order of their InfoMask bits, the lowest
 * bit nearest: CreatorInfo (0x1) right below the header, then NameInfo (0x2), HandleInfo (0x4),
 * QuotaInfo (0x8), ProcessInfo (0x10). A header's distance below the object header is the sum of the
 * sizes of the present headers whose bits are at or below its own — the value the kernel's
 * {@code ObpInfoMaskToOffset} table holds for {@code InfoMask & (bit | (bit - 1))} (Windows Internals
 * 7th ed., part 1, ch. 8, "Object headers and bodies").
 */
final class ObjectWriter {

    static final long TAG_TYPE = 0x546a624fL; // 'ObjT'
    static final long TAG_DIRECTORY = 0x65726944L; // 'Dire'
    static final long TAG_DEVICE = 0x69766544L; // 'Devi'
    static final long TAG_THREAD = 0x65726854L; // 'Thre'
    static final long TAG_KEY = 0x2079654bL; // 'Key '
    static final long TAG_KCB = 0x62634b43L; // 'CKcb'
    static final long TAG_EVENT = 0x6e657645L; // 'Even'
    static final long TAG_MUTANT = 0x6174754dL; // 'Muta'
    static final long TAG_SEMAPHORE = 0x616d6553L; // 'Sema'
    static final long TAG_SECTION = 0x74636553L; // 'Sect'
    static final long TAG_LINK = 0x626d7953L; // 'Symb'
    static final long TAG_TOKEN = 0x656b6f54L; // 'Toke'
    static final long TAG_FILE = 0x656c6946L; // 'File'

    /** CM_KEY_BODY.Type of a key object ('ky02'). */
    static final long KEY_BODY_TYPE = 0x6b793032L;

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final ObjectTypes types;
    private final long bodyOffset;
    private final Map<String, Long> directories = new HashMap<>();
    private final Map<String, Long> devices = new HashMap<>();
    private final Map<String, Long> kcbs = new HashMap<>();

    ObjectWriter(Machine machine, ObjectTypes types) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
        this.types = types;
        this.bodyOffset = profile.offset("_OBJECT_HEADER", "Body");
    }

    long bodyOffset() {
        return bodyOffset;
    }

    /**
     * Allocates an object with its headers and a zeroed body.
     *
     * @param name      its name in the namespace, or null for an unnamed object
     * @param directory the directory object it is named in (0 for none)
     * @param creator   whether it carries a CreatorInfo header (so NameInfo lies further down)
     * @param quota     whether it carries a QuotaInfo header (below NameInfo, not in its way)
     * @return the body's address
     */
    long object(String type, long size, long tag, String name, long directory, boolean creator, boolean quota) {
        return object(types.index(type), size, tag, name, directory, creator, quota);
    }

    long object(int typeIndex, long size, long tag, String name, long directory, boolean creator, boolean quota) {
        long creatorSize = creator ? profile.requireStruct("_OBJECT_HEADER_CREATOR_INFO").size() : 0;
        long nameSize = name != null ? profile.requireStruct("_OBJECT_HEADER_NAME_INFO").size() : 0;
        long quotaSize = quota ? profile.requireStruct("_OBJECT_HEADER_QUOTA_INFO").size() : 0;
        long optional = creatorSize + nameSize + quotaSize;
        // the name's characters go in a block of their own, before this one is laid out
        long nameBuffer = name != null ? machine.poolString(name) : 0;
        long pool = poolHeader(optional + bodyOffset, size, tag);
        long header = pool + 0x10 + optional;
        int mask = (creator ? 0x1 : 0) | (name != null ? 0x2 : 0) | (quota ? 0x8 : 0);
        if (name != null) {
            long nameInfo = header - creatorSize - nameSize;
            StructBuffer n = new StructBuffer(profile, "_OBJECT_HEADER_NAME_INFO");
            n.put("Directory", directory);
            n.putUnicode("Name", name.length() * 2, name.length() * 2 + 2, nameBuffer);
            n.putIfPresent("ReferenceCount", 1);
            kernel.write(nameInfo, n.bytes());
        }
        if (creator) {
            StructBuffer c = new StructBuffer(profile, "_OBJECT_HEADER_CREATOR_INFO");
            long list = header - creatorSize + c.offset("TypeList");
            c.putList("TypeList", list, list);
            kernel.write(header - creatorSize, c.bytes());
        }
        StructBuffer o = new StructBuffer(profile, "_OBJECT_HEADER");
        o.putIfPresent("PointerCount", 2 + machine.random.nextInt(30)).putIfPresent("HandleCount", 1 + machine.random
                .nextInt(6));
        o.put("TypeIndex", types.encodeIndex(typeIndex, header));
        o.put("InfoMask", mask);
        kernel.write(header, o.bytes());
        long body = header + bodyOffset;
        kernel.write(body, new byte[(int) size]);
        machine.poolCursor = body + size;
        return body;
    }

    /** A _POOL_HEADER for {@code extra + size} body bytes at the next free 16-byte slot, never straddling a page. */
    private long poolHeader(long extra, long size, long tag) {
        long cursor = (machine.poolCursor + 0x10L * machine.random.nextInt(4) + 0xf) & ~0xfL;
        long total = 0x10 + extra + size;
        if (total <= 0x1000 && (cursor & 0xfff) + total > 0x1000) {
            cursor = (cursor + 0xfff) & ~0xfffL;
        }
        StructBuffer h = new StructBuffer(profile, "_POOL_HEADER");
        h.putIfPresent("BlockSize", Math.min((total + 0xf) / 0x10, 0xff)).putIfPresent("PoolType", 2).put("PoolTag",
                tag);
        kernel.write(cursor, h.bytes());
        machine.poolCursor = cursor + 0x10;
        return cursor;
    }

    /** Writes ObTypeIndexTable and an _OBJECT_TYPE (itself an object of type Type) for each type. */
    void writeTypeTable(long table) {
        kernel.writeLong(table, 0);
        kernel.writeLong(table + 8, ObjectTypes.BAD_SLOT);
        long size = profile.requireStruct("_OBJECT_TYPE").size();
        long objectTypes = directory("ObjectTypes");
        for (int i = 0; i < types.names.size(); i++) {
            String name = types.names.get(i);
            long t = object("Type", size, TAG_TYPE, name, objectTypes, true, false);
            StructBuffer b = new StructBuffer(profile, "_OBJECT_TYPE");
            long list = t + b.offset("TypeList");
            b.putList("TypeList", list, list);
            b.putUnicode("Name", name.length() * 2, name.length() * 2 + 2, machine.poolString(name));
            b.put("Index", ObjectTypes.FIRST + i);
            b.putIfPresent("Key", tagOf(name));
            kernel.write(t, b.bytes());
            kernel.writeLong(table + 8L * (ObjectTypes.FIRST + i), t);
        }
        kernel.writeLong(table + 8L * (ObjectTypes.FIRST + types.names.size()), 0);
    }

    private static long tagOf(String name) {
        byte[] b = (name + "    ").substring(0, 4).getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (long) (b[3] & 0xff) << 24;
    }

    /**
     * @param path a directory path below the root without its leading backslash ("Sessions\1\BaseNamedObjects"),
     *             or "" for the root directory
     * @return the directory object's body, made (with its parents) on first use
     */
    long directory(String path) {
        Long known = directories.get(path);
        if (known != null) {
            return known;
        }
        long size = profile.requireStruct("_OBJECT_DIRECTORY").size();
        long dir;
        if (path.isEmpty()) {
            dir = object("Directory", size, TAG_DIRECTORY, "\\", 0, false, false);
        } else {
            int cut = path.lastIndexOf('\\');
            long parent = directory(cut < 0 ? "" : path.substring(0, cut));
            dir = object("Directory", size, TAG_DIRECTORY, path.substring(cut + 1), parent, false, false);
        }
        directories.put(path, dir);
        return dir;
    }

    /** @return the _DEVICE_OBJECT named {@code \Device\name}, made on first use */
    long device(String name) {
        return devices.computeIfAbsent(name, n -> {
            long size = profile.requireStruct("_DEVICE_OBJECT").size();
            long d = object("Device", size, TAG_DEVICE, n, directory("Device"), false, false);
            StructBuffer b = new StructBuffer(profile, "_DEVICE_OBJECT");
            b.put("Type", 3).put("Size", size);
            kernel.write(d, b.bytes());
            return d;
        });
    }

    /**
     * @param path a key path from the root, e.g. "REGISTRY\MACHINE\SOFTWARE\Microsoft"
     * @return the key control block of the path, made (with its parents' blocks) on first use
     */
    long kcb(String path) {
        Long known = kcbs.get(path);
        if (known != null) {
            return known;
        }
        int cut = path.lastIndexOf('\\');
        long parent = cut < 0 ? 0 : kcb(path.substring(0, cut));
        String name = path.substring(cut + 1);
        long nameOffset = profile.offset("_CM_NAME_CONTROL_BLOCK", "Name");
        long ncb = machine.poolAlloc(nameOffset + name.length(), TAG_KCB);
        StructBuffer n = new StructBuffer(profile, "_CM_NAME_CONTROL_BLOCK");
        n.put("Compressed", 1).put("NameLength", name.length());
        kernel.write(ncb, n.bytes());
        // a compressed name: one byte a character
        kernel.write(ncb + nameOffset, name.getBytes(StandardCharsets.ISO_8859_1));
        long kcb = machine.poolAlloc(profile.requireStruct("_CM_KEY_CONTROL_BLOCK").size(), TAG_KCB);
        StructBuffer k = new StructBuffer(profile, "_CM_KEY_CONTROL_BLOCK");
        k.putIfPresent("RefCount", 1 + machine.random.nextInt(40));
        k.put("ParentKcb", parent).put("NameBlock", ncb);
        kernel.write(kcb, k.bytes());
        kcbs.put(path, kcb);
        return kcb;
    }

    /** A registry key object for {@code path} (its key control block chain shared with other keys). */
    long key(String path, long pid) {
        long kcb = kcb(path);
        long k = object("Key", profile.requireStruct("_CM_KEY_BODY").size(), TAG_KEY, null, 0, false, true);
        StructBuffer b = new StructBuffer(profile, "_CM_KEY_BODY");
        b.put("Type", KEY_BODY_TYPE).put("KeyControlBlock", kcb);
        b.putIfPresent("ProcessID", pid);
        kernel.write(k, b.bytes());
        return k;
    }

    /** A file object opened on {@code \Device\device} with the file name {@code fileName}. */
    long file(String device, String fileName) {
        long size = profile.requireStruct("_FILE_OBJECT").size();
        long dev = device(device);
        long f = object("File", size, TAG_FILE, null, 0, machine.random.nextBoolean(), false);
        StructBuffer b = new StructBuffer(profile, "_FILE_OBJECT");
        b.put("Type", 5).put("Size", size).put("DeviceObject", dev);
        b.putUnicode("FileName", fileName.length() * 2, fileName.length() * 2 + 2, machine.poolString(fileName));
        FileObjectWriter.emptyLists(b, f);
        kernel.write(f, b.bytes());
        FileObjectWriter.placed(machine, f, "\\Device\\" + device, fileName, false);
        return f;
    }

    /** A thread of process {@code pid} with thread id {@code tid}. */
    long thread(long pid, long tid) {
        long size = profile.requireStruct("_ETHREAD").size();
        long t = object("Thread", size, TAG_THREAD, null, 0, true, false);
        StructBuffer b = new StructBuffer(profile, "_ETHREAD");
        b.putIfPresent("Tcb.Header.Type", 6); // ThreadObject
        b.put("Cid.UniqueProcess", pid).put("Cid.UniqueThread", tid);
        kernel.write(t, b.bytes());
        return t;
    }

    /** A dispatcher object (event, mutant, semaphore) or another simple object, named in {@code directory}. */
    long named(String type, String struct, long fallbackSize, long tag, String name, String directory) {
        long size = profile.struct(struct).map(s -> s.size()).orElse(fallbackSize);
        long dir = name == null ? 0 : directory(directory);
        long o = object(type, size, tag, name, dir, machine.random.nextInt(3) == 0, machine.random.nextBoolean());
        if (struct.startsWith("_K") && profile.has(struct, "Header.Type")) {
            // the dispatcher header's type: NotificationEvent 0 / SynchronizationEvent 1, MutantObject 2,
            // SemaphoreObject 5 (KOBJECTS, Windows Internals 7th ed., part 2, ch. 8)
            int header = switch (type) {
                case "Event" -> machine.random.nextInt(2);
                case "Mutant" -> 2;
                default -> 5;
            };
            StructBuffer b = new StructBuffer(profile, struct);
            b.put("Header.Type", header);
            kernel.write(o, b.bytes());
        }
        return o;
    }

    /** The namespace path of a name in a directory, as a reader composes it. */
    static String path(String directory, String name) {
        return name == null ? "" : "\\" + (directory.isEmpty() ? "" : directory + "\\") + name;
    }

    List<String> typeNames() {
        return types.names;
    }
}
