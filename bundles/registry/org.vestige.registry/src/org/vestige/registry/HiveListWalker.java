package org.vestige.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.registry.internal.LittleEndian;
import org.vestige.windows.ListWalk;

/**
 * Walks the configuration manager's list of loaded hives ({@code CmpHiveListHead} →
 * {@code _CMHIVE.HiveList}) in a kernel address space and reads each hive's names, base block and
 * storage lengths through the profile's field offsets, so no offset depends on a build number.
 *
 * <p>The list is walked by the Windows engine's {@link ListWalk}: bounded and cycle-safe, every
 * Flink's target checked against its Blink, and a broken link reported with the rest of the list
 * recovered by walking the Blink chain back from the head. Entries whose {@code _HHIVE.Signature} is not {@link #SIGNATURE} are reported as rejected.
 *
 * @since 0.1
 */
public final class HiveListWalker {

    /** {@code _HHIVE.Signature} of every hive the configuration manager holds. */
    public static final long SIGNATURE = 0xBEE0BEE0L;

    /** More hives than any system loads (every user's and every app's hives included). */
    public static final int MAX_HIVES = 10_000;

    /** Longest name read from a {@code _UNICODE_STRING}, in bytes (the structure's own limit). */
    private static final int MAX_NAME = 0xFFFE;

    private final Layer kernel;
    private final int pointerSize;
    private final HiveMapLayout layout;
    private final Fields f;

    /** Offsets from the start of the _CMHIVE, resolved once. */
    private record Fields(long list, long hive, long signature, long fullPath, long userName, long rootPath,
            long flags, long stableLength, long volatileLength, long span, long unicodeLength, long unicodeBuffer) {

        static Fields of(Profile p, HiveMapLayout layout) {
            long hive = p.offset("_CMHIVE", "Hive");
            long rootPath = p.has("_CMHIVE", "HiveRootPath") ? p.offset("_CMHIVE", "HiveRootPath") : -1;
            long flags = p.has("_HHIVE", "HiveFlags") ? hive + p.offset("_HHIVE", "HiveFlags") : -1;
            long stable = hive + layout.storageOffset() + layout.dualLengthOffset();
            long unicode = p.requireStruct("_UNICODE_STRING").size();
            long fullPath = p.offset("_CMHIVE", "FileFullPath");
            long userName = p.offset("_CMHIVE", "FileUserName");
            long list = p.offset("_CMHIVE", "HiveList");
            long span = Math.max(Math.max(fullPath, userName), Math.max(rootPath, list)) + Math.max(unicode, 16);
            span = Math.max(span, stable + layout.dualSize() + 4);
            return new Fields(list, hive, hive + p.offset("_HHIVE", "Signature"), fullPath, userName, rootPath,
                    flags, stable, stable + layout.dualSize(), span, p.offset("_UNICODE_STRING", "Length"),
                    p.offset("_UNICODE_STRING", "Buffer"));
        }
    }

    /**
     * @param kernel  the kernel address space (every _CMHIVE lives in kernel pool)
     * @param profile the kernel's profile
     * @throws java.util.NoSuchElementException naming the structure or field the profile lacks
     */
    public HiveListWalker(Layer kernel, Profile profile) {
        this.kernel = Objects.requireNonNull(kernel);
        this.pointerSize = profile.pointerSize();
        this.layout = HiveMapLayout.from(profile);
        this.f = Fields.of(profile, layout);
    }

    /** @return the cell map layout of the walker's kernel */
    public HiveMapLayout layout() {
        return layout;
    }

    /** @return the offset of {@code _CMHIVE.HiveList}: a list entry's address minus it is the _CMHIVE */
    public long listEntryOffset() {
        return f.list;
    }

    /** Walks the list whose head ({@code LIST_ENTRY}, usually {@code CmpHiveListHead}) is at {@code head}. */
    public HiveListing walk(long head) {
        ListWalk.Result walked = new ListWalk(kernel, true, MAX_HIVES).walk(head, "hive list", this::describe);
        List<String> warnings = new ArrayList<>(walked.warnings());
        List<LoadedHive> hives = new ArrayList<>();
        List<LoadedHive> rejected = new ArrayList<>();
        for (long entry : walked.entries()) {
            LoadedHive h = read(entry - f.list);
            if (h.signature() >= 0 && !h.signatureValid()) {
                warnings.add(describe(entry) + ": _HHIVE.Signature is " + Offsets.hex(h.signature()) + ", not "
                        + Offsets.hex(SIGNATURE) + "; not a hive");
                rejected.add(h);
            } else {
                hives.add(h);
            }
        }
        return new HiveListing(hives, rejected, warnings, walked.complete());
    }

    private String describe(long listEntry) {
        return "_CMHIVE " + Offsets.hex(listEntry - f.list);
    }

    /** Reads one {@code _CMHIVE} at {@code address}; fields that cannot be read are named in its notes. */
    public LoadedHive read(long address) {
        List<String> notes = new ArrayList<>();
        Region r = new Region(address, (int) f.span);
        long signature = r.u32(f.signature, "_HHIVE.Signature", notes);
        long baseBlock = r.pointer(f.hive + layout.baseBlockOffset(), "_HHIVE.BaseBlock", notes);
        long stable = r.u32(f.stableLength, "_HHIVE.Storage[Stable].Length", notes);
        long volatileLength = r.u32(f.volatileLength, "_HHIVE.Storage[Volatile].Length", notes);
        long flags = f.flags >= 0 ? r.u32(f.flags, "_HHIVE.HiveFlags", notes) : -1;
        String fullPath = unicode(r, f.fullPath, "FileFullPath", notes);
        String userName = unicode(r, f.userName, "FileUserName", notes);
        String rootPath = f.rootPath >= 0 ? unicode(r, f.rootPath, "HiveRootPath", notes) : "";
        return new LoadedHive(address, address + f.hive, signature, baseBlock, fullPath, userName,
                rootPath, stable, volatileLength, flags, layout, notes);
    }

    private String unicode(Region r, long at, String field, List<String> notes) {
        long length = r.u16(at + f.unicodeLength, "_CMHIVE." + field + ".Length", notes);
        long buffer = r.pointer(at + f.unicodeBuffer, "_CMHIVE." + field + ".Buffer", notes);
        if (length <= 0 || buffer == 0) {
            return "";
        }
        if (!plausible(buffer & ~7L)) {
            notes.add("_CMHIVE." + field + ".Buffer " + Offsets.hex(buffer) + " is not a kernel address");
            return "";
        }
        int n = (int) Math.min(length & ~1L, MAX_NAME);
        byte[] b = new byte[n];
        String[] missing = new String[1];
        kernel.read(buffer, b, 0, n, (a, l, p) -> {
            if (missing[0] == null && p instanceof PageProvenance.Missing m) {
                missing[0] = "virtual " + Offsets.hex(a) + ": " + m.reason();
            }
        });
        if (missing[0] != null) {
            notes.add("_CMHIVE." + field + " (" + n + " bytes at " + Offsets.hex(buffer) + ") is unreadable: "
                    + missing[0]);
            return "";
        }
        return new String(b, StandardCharsets.UTF_16LE);
    }

    /** @return true for an aligned kernel-mode address */
    private boolean plausible(long address) {
        if (pointerSize == 8) {
            return (address >> 47) == -1 && (address & 7) == 0;
        }
        return address >= 0x8000_0000L && address <= 0xFFFF_FFFFL && (address & 3) == 0;
    }

    /** Bytes of one structure read at once, with the runs that were not available. */
    private final class Region {
        private final long address;
        private final byte[] bytes;
        private final List<long[]> missing = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();

        Region(long address, int length) {
            this.address = address;
            this.bytes = new byte[length];
            kernel.read(address, bytes, 0, length, (a, l, p) -> {
                if (p instanceof PageProvenance.Missing m) {
                    missing.add(new long[] {a - address, l});
                    reasons.add("virtual " + Offsets.hex(a) + ": " + m.reason());
                }
            });
        }

        /** @return null when {@code [at, at+n)} was read, else why not */
        private String gap(long at, int n) {
            for (int i = 0; i < missing.size(); i++) {
                long[] m = missing.get(i);
                if (at < m[0] + m[1] && m[0] < at + n) {
                    return reasons.get(i);
                }
            }
            return null;
        }

        private boolean check(long at, int n, String field, List<String> notes) {
            String gap = gap(at, n);
            if (gap != null) {
                notes.add(field + " at " + Offsets.hex(address + at) + " is unreadable: " + gap);
                return false;
            }
            return true;
        }

        long u16(long at, String field, List<String> notes) {
            return check(at, 2, field, notes) ? LittleEndian.u16(bytes, (int) at) : -1;
        }

        long u32(long at, String field, List<String> notes) {
            return check(at, 4, field, notes) ? LittleEndian.u32(bytes, (int) at) : -1;
        }

        /** @return the pointer (sign-extended kernel addresses are negative), or 0 when unreadable */
        long pointer(long at, String field, List<String> notes) {
            if (!check(at, pointerSize, field, notes)) {
                return 0;
            }
            return pointerSize == 8 ? LittleEndian.i64(bytes, (int) at) : LittleEndian.u32(bytes, (int) at);
        }
    }
}
