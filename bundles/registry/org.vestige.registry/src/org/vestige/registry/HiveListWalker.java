package org.vestige.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.registry.internal.LittleEndian;

/**
 * Walks the configuration manager's list of loaded hives ({@code CmpHiveListHead} →
 * {@code _CMHIVE.HiveList}) in a kernel address space and reads each hive's names, base block and
 * storage lengths through the profile's field offsets, so no offset depends on a build number.
 *
 * <p>The walk is bounded and cycle-safe, checks every Flink's target against its Blink, and never
 * stops at the first broken link: a link that is unreadable, not a kernel address, or leads back into
 * the list is reported and the rest of the list is recovered by walking the Blink chain back from the
 * head. Entries whose {@code _HHIVE.Signature} is not {@link #SIGNATURE} are reported as rejected.
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
        List<String> warnings = new ArrayList<>();
        String[] why = new String[1];
        long[] headLinks = links(head, why);
        if (headLinks == null) {
            warnings.add("hive list head " + Offsets.hex(head) + " " + why[0]);
            return new HiveListing(List.of(), List.of(), warnings, false);
        }
        Set<Long> visited = new HashSet<>();
        visited.add(head);
        List<Long> forward = new ArrayList<>();
        boolean complete = false;
        long prev = head;
        String prevName = "hive list head " + Offsets.hex(head);
        long cur = headLinks[0];
        while (true) {
            if (cur == head) {
                complete = true;
                break;
            }
            if (forward.size() >= MAX_HIVES) {
                warnings.add("hive list: more than " + MAX_HIVES + " entries; stopped");
                break;
            }
            if (visited.contains(cur)) {
                warnings.add(prevName + ": Flink " + Offsets.hex(cur) + " points back into the list (cycle at "
                        + describe(cur) + "); recovering the rest from the head's Blink chain");
                break;
            }
            long[] l = links(cur, why);
            if (l == null) {
                warnings.add(prevName + ": Flink " + Offsets.hex(cur) + " " + why[0]
                        + "; recovering the rest from the head's Blink chain");
                break;
            }
            if (l[1] != prev) {
                warnings.add(prevName + ": Flink " + Offsets.hex(cur) + " leads to an entry whose Blink is "
                        + Offsets.hex(l[1]) + ", not " + Offsets.hex(prev) + " (the list changed while it was acquired)");
            }
            visited.add(cur);
            forward.add(cur);
            prevName = describe(cur);
            prev = cur;
            cur = l[0];
        }
        List<Long> backward = new ArrayList<>();
        if (!complete) {
            long next = head;
            long b = headLinks[1];
            while (b != head && !visited.contains(b) && forward.size() + backward.size() < MAX_HIVES) {
                long[] l = links(b, why);
                if (l == null) {
                    warnings.add("hive list: Blink " + Offsets.hex(b) + " " + why[0] + "; backward walk stopped");
                    break;
                }
                if (l[0] != next) {
                    warnings.add(describe(b) + ": Flink is " + Offsets.hex(l[0]) + ", not " + Offsets.hex(next)
                            + " (backward walk)");
                }
                visited.add(b);
                backward.add(b);
                next = b;
                b = l[1];
            }
        }
        List<Long> entries = new ArrayList<>(forward);
        for (int i = backward.size() - 1; i >= 0; i--) {
            entries.add(backward.get(i));
        }
        List<LoadedHive> hives = new ArrayList<>();
        List<LoadedHive> rejected = new ArrayList<>();
        for (long entry : entries) {
            LoadedHive h = read(entry - f.list);
            if (h.signature() >= 0 && !h.signatureValid()) {
                warnings.add(describe(entry) + ": _HHIVE.Signature is " + Offsets.hex(h.signature()) + ", not "
                        + Offsets.hex(SIGNATURE) + "; not a hive");
                rejected.add(h);
            } else {
                hives.add(h);
            }
        }
        return new HiveListing(hives, rejected, warnings, complete);
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

    /** @return {flink, blink}, or null with the reason in {@code why[0]} */
    private long[] links(long address, String[] why) {
        if (!plausible(address)) {
            why[0] = "is not a kernel address";
            return null;
        }
        Region r = new Region(address, 2 * pointerSize);
        List<String> notes = new ArrayList<>();
        long flink = r.pointer(0, "Flink", notes);
        long blink = r.pointer(pointerSize, "Blink", notes);
        if (!notes.isEmpty()) {
            why[0] = "is not readable (" + notes.get(0) + ")";
            return null;
        }
        return new long[] {flink, blink};
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
