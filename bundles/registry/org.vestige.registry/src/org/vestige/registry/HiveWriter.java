package org.vestige.registry;

import static org.vestige.registry.internal.LittleEndian.put16;
import static org.vestige.registry.internal.LittleEndian.put32;
import static org.vestige.registry.internal.LittleEndian.put64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a hive file from a {@link KeySpec} tree: a base block with its checksum, hive bins of 4 KiB
 * (larger for large cells) whose unused tails are free cells, and nk, vk, value list, subkey list
 * (lh, lf or li, under an ri index when a key has many subkeys), sk, class name and data cells, with
 * big-data ("db") cells for values longer than one segment when the format version has them.
 * Subkeys are sorted by upcased name, as Windows keeps them. The output is deterministic.
 *
 * <p>Meant for tests and for synthesizing evidence; {@link Hive} reads what it writes.
 *
 * @since 0.1
 */
public final class HiveWriter {

    /** The subkey list cell to write. */
    public enum ListKind {
        /** "lh": entries with a name hash (Windows XP and later). */
        LH,
        /** "lf": entries with the first four name characters (Windows NT 4). */
        LF,
        /** "li": bare entries. */
        LI
    }

    /**
     * Writer settings.
     *
     * @param minorVersion  format minor version, 3 to 6 (big data cells need 4 or more)
     * @param fileName      the name stored in the base block (its last 31 characters are kept, as Windows does)
     * @param sequence      both sequence numbers
     * @param timestamp     FILETIME written in the base block, the first bin and every key without its own
     * @param listKind      the subkey list cell type
     * @param leafCapacity  most entries in one subkey list; keys with more get an ri index of lists
     * @since 0.1
     */
    public record Options(int minorVersion, String fileName, long sequence, long timestamp, ListKind listKind,
            int leafCapacity) {

        public Options {
            if (minorVersion < 3 || minorVersion > 6) {
                throw new IllegalArgumentException("minor version must be 3..6: " + minorVersion);
            }
            if (leafCapacity < 1 || leafCapacity > 0xFFFF) {
                throw new IllegalArgumentException("leaf capacity must be 1..65535: " + leafCapacity);
            }
        }

        /** @return version 1.5, no file name, sequence 1, 2024-01-01T00:00:00Z, lh lists of up to 500 entries */
        public static Options defaults() {
            return new Options(5, "", 1, Filetime.of(Instant.parse("2024-01-01T00:00:00Z")), ListKind.LH, 500);
        }

        public Options withMinorVersion(int v) {
            return new Options(v, fileName, sequence, timestamp, listKind, leafCapacity);
        }

        public Options withFileName(String name) {
            return new Options(minorVersion, name, sequence, timestamp, listKind, leafCapacity);
        }

        public Options withSequence(long s) {
            return new Options(minorVersion, fileName, s, timestamp, listKind, leafCapacity);
        }

        public Options withTimestamp(long filetime) {
            return new Options(minorVersion, fileName, sequence, filetime, listKind, leafCapacity);
        }

        public Options withListKind(ListKind kind) {
            return new Options(minorVersion, fileName, sequence, timestamp, kind, leafCapacity);
        }

        public Options withLeafCapacity(int capacity) {
            return new Options(minorVersion, fileName, sequence, timestamp, listKind, capacity);
        }
    }

    private static final int BIN = HiveSource.BLOCK_SIZE;
    private static final long NONE = Hive.NO_OFFSET;

    private final Options options;
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, Cell> securityCells = new LinkedHashMap<>();
    private final Map<Cell, Integer> securityUse = new IdentityHashMap<>();

    private HiveWriter(Options options) {
        this.options = options;
    }

    /** Writes {@code root} with {@link Options#defaults()}. */
    public static byte[] write(KeySpec root) {
        return write(root, Options.defaults());
    }

    /** Writes {@code root} and its subtree as a hive file. */
    public static byte[] write(KeySpec root, Options options) {
        return new HiveWriter(options).build(root);
    }

    /** Writes {@code root} to {@code file}. */
    public static void write(KeySpec root, Options options, Path file) throws IOException {
        Files.write(file, write(root, options));
    }

    /** The self-relative descriptor used for keys without one: owner Administrators, full control to them and SYSTEM. */
    public static byte[] defaultSecurityDescriptor() {
        byte[] admins = sid(5, 32, 544);
        byte[] system = sid(5, 18);
        int ace1 = 8 + admins.length;
        int ace2 = 8 + system.length;
        int aclSize = 8 + ace1 + ace2;
        byte[] sd = new byte[20 + admins.length + system.length + aclSize];
        sd[0] = 1;
        put16(sd, 2, 0x8004); // SE_SELF_RELATIVE | SE_DACL_PRESENT
        int owner = 20;
        int group = owner + admins.length;
        int dacl = group + system.length;
        put32(sd, 4, owner);
        put32(sd, 8, group);
        put32(sd, 16, dacl);
        System.arraycopy(admins, 0, sd, owner, admins.length);
        System.arraycopy(system, 0, sd, group, system.length);
        sd[dacl] = 2;
        put16(sd, dacl + 2, aclSize);
        put16(sd, dacl + 4, 2);
        int at = dacl + 8;
        for (byte[] who : List.of(admins, system)) {
            sd[at] = 0; // ACCESS_ALLOWED_ACE_TYPE
            sd[at + 1] = 3; // OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
            put16(sd, at + 2, 8 + who.length);
            put32(sd, at + 4, 0xF003F); // KEY_ALL_ACCESS
            System.arraycopy(who, 0, sd, at + 8, who.length);
            at += 8 + who.length;
        }
        return sd;
    }

    private static byte[] sid(int authority, int... subs) {
        byte[] s = new byte[8 + 4 * subs.length];
        s[0] = 1;
        s[1] = (byte) subs.length;
        s[7] = (byte) authority;
        for (int i = 0; i < subs.length; i++) {
            put32(s, 8 + 4 * i, subs[i]);
        }
        return s;
    }

    // ---- layout ----

    /** A cell to be placed: its payload size is known before offsets are; its bytes are filled after. */
    private static final class Cell {
        final int payload;
        Consumer<byte[]> fill;
        long offset = -1;

        Cell(int payload) {
            this.payload = payload;
        }
    }

    private Cell cell(int payload) {
        Cell c = new Cell(payload);
        cells.add(c);
        return c;
    }

    private byte[] build(KeySpec root) {
        byte[] defaultSd = defaultSecurityDescriptor();
        Cell rootCell = addKey(root, null, true, defaultSd);
        linkSecurityCells();
        // Lay the cells into bins.
        List<long[]> bins = new ArrayList<>(); // {offset, size}
        long binStart = 0;
        long binSize = 0;
        long used = 0;
        for (Cell c : cells) {
            long size = align(4L + c.payload, 8);
            if (binSize == 0 || used + size > binSize) {
                if (binSize != 0) {
                    bins.add(new long[] {binStart, binSize});
                    binStart += binSize;
                }
                binSize = Math.max(BIN, align(HiveBin.HEADER_SIZE + size, BIN));
                used = HiveBin.HEADER_SIZE;
            }
            c.offset = binStart + used;
            used += size;
        }
        bins.add(new long[] {binStart, binSize});
        long total = binStart + binSize;
        if (total > 0x7FFF_F000L) {
            throw new IllegalArgumentException("hive of " + total + " bytes exceeds the 2 GiB a hive can address");
        }
        byte[] file = new byte[(int) (HiveSource.BLOCK_SIZE + total)];
        // Bin headers and free cells covering each bin's unused tail.
        for (long[] bin : bins) {
            int at = (int) (HiveSource.BLOCK_SIZE + bin[0]);
            file[at] = 'h';
            file[at + 1] = 'b';
            file[at + 2] = 'i';
            file[at + 3] = 'n';
            put32(file, at + 4, bin[0]);
            put32(file, at + 8, bin[1]);
            put64(file, at + 0x14, bin[0] == 0 ? options.timestamp() : 0);
        }
        long[] binEnds = bins.stream().mapToLong(b -> b[0] + b[1]).toArray();
        int bi = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            int at = (int) (HiveSource.BLOCK_SIZE + c.offset);
            long size = align(4L + c.payload, 8);
            put32(file, at, -size);
            byte[] payload = new byte[c.payload];
            c.fill.accept(payload);
            System.arraycopy(payload, 0, file, at + 4, payload.length);
            long end = c.offset + size;
            while (binEnds[bi] < end) {
                bi++;
            }
            boolean lastInBin = i + 1 == cells.size() || cells.get(i + 1).offset >= binEnds[bi];
            if (lastInBin && end < binEnds[bi]) {
                put32(file, (int) (HiveSource.BLOCK_SIZE + end), binEnds[bi] - end);
            }
        }
        writeBaseBlock(file, rootCell.offset, total);
        return file;
    }

    private void writeBaseBlock(byte[] file, long rootOffset, long binsSize) {
        file[0] = 'r';
        file[1] = 'e';
        file[2] = 'g';
        file[3] = 'f';
        put32(file, 4, options.sequence());
        put32(file, 8, options.sequence());
        put64(file, 0x0C, options.timestamp());
        put32(file, 0x14, 1);
        put32(file, 0x18, options.minorVersion());
        put32(file, 0x1C, 0);
        put32(file, 0x20, 1);
        put32(file, 0x24, rootOffset);
        put32(file, 0x28, binsSize);
        put32(file, 0x2C, 1);
        String name = options.fileName();
        if (name.length() > 31) {
            name = name.substring(name.length() - 31);
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(n, 0, file, BaseBlock.FILE_NAME_OFFSET, n.length);
        put32(file, BaseBlock.CHECKSUM_OFFSET, BaseBlock.checksum(file));
    }

    private static long align(long v, int to) {
        return (v + to - 1) / to * to;
    }

    // ---- cells of one key ----

    private Cell addKey(KeySpec key, Cell parent, boolean isRoot, byte[] defaultSd) {
        byte[] name = storedName(key.name());
        boolean compressed = compressible(key.name());
        Cell nk = cell(0x4C + name.length);
        byte[] sd = key.securityDescriptor().orElse(defaultSd);
        Cell sk = securityCells.computeIfAbsent(Arrays.toString(sd), k -> cell(0x14 + sd.length));
        if (sk.fill == null) {
            sk.fill = b -> {
                b[0] = 's';
                b[1] = 'k';
                put32(b, 0x10, sd.length);
                System.arraycopy(sd, 0, b, 0x14, sd.length);
            };
        }
        securityUse.merge(sk, 1, Integer::sum);

        Cell classCell = null;
        byte[] classBytes = key.className().map(s -> s.getBytes(StandardCharsets.UTF_16LE)).orElse(null);
        if (classBytes != null && classBytes.length > 0) {
            classCell = cell(classBytes.length);
            byte[] cb = classBytes;
            classCell.fill = b -> System.arraycopy(cb, 0, b, 0, cb.length);
        }

        List<KeySpec.ValueSpec> values = key.values();
        Cell valueList = values.isEmpty() ? null : cell(4 * values.size());
        List<Cell> vks = new ArrayList<>();
        int maxValueName = 0;
        int maxValueData = 0;
        for (KeySpec.ValueSpec v : values) {
            vks.add(addValue(v));
            maxValueName = Math.max(maxValueName, v.name().length() * 2);
            maxValueData = Math.max(maxValueData, v.data().length);
        }
        if (valueList != null) {
            valueList.fill = b -> {
                for (int i = 0; i < vks.size(); i++) {
                    put32(b, 4 * i, vks.get(i).offset);
                }
            };
        }

        List<KeySpec> children = new ArrayList<>(key.subkeys());
        children.sort(Comparator.comparing(k -> k.name().toUpperCase(Locale.ROOT)));
        List<Cell> childCells = new ArrayList<>();
        Cell list = children.isEmpty() ? null : subkeyList(children, childCells);
        int maxSubkeyName = 0;
        int maxSubkeyClass = 0;
        for (KeySpec child : children) {
            maxSubkeyName = Math.max(maxSubkeyName, child.name().length() * 2);
            maxSubkeyClass = Math.max(maxSubkeyClass, child.className().map(s -> s.length() * 2).orElse(0));
        }
        for (KeySpec child : children) {
            childCells.add(addKey(child, nk, false, defaultSd));
        }

        int flags = key.flags() | (compressed ? RegistryKey.KEY_COMP_NAME : 0)
                | (isRoot ? RegistryKey.KEY_HIVE_ENTRY | RegistryKey.KEY_NO_DELETE : 0);
        long lastWritten = key.lastWritten().orElse(options.timestamp());
        Cell classRef = classCell;
        int subMaxName = maxSubkeyName;
        int subMaxClass = maxSubkeyClass;
        int valMaxName = maxValueName;
        int valMaxData = maxValueData;
        nk.fill = b -> {
            b[0] = 'n';
            b[1] = 'k';
            put16(b, 2, flags);
            put64(b, 4, lastWritten);
            put32(b, 0x10, parent == null ? 0 : parent.offset);
            put32(b, 0x14, children.size());
            put32(b, 0x1C, list == null ? NONE : list.offset);
            put32(b, 0x20, NONE);
            put32(b, 0x24, vks.size());
            put32(b, 0x28, valueList == null ? NONE : valueList.offset);
            put32(b, 0x2C, sk.offset);
            put32(b, 0x30, classRef == null ? NONE : classRef.offset);
            put32(b, 0x34, subMaxName);
            put32(b, 0x38, subMaxClass);
            put32(b, 0x3C, valMaxName);
            put32(b, 0x40, valMaxData);
            put16(b, 0x48, name.length);
            put16(b, 0x4A, classBytes == null ? 0 : classBytes.length);
            System.arraycopy(name, 0, b, 0x4C, name.length);
        };
        return nk;
    }

    private Cell subkeyList(List<KeySpec> children, List<Cell> childCells) {
        int capacity = options.leafCapacity();
        if (children.size() <= capacity) {
            return leaf(children, childCells, 0, children.size());
        }
        int leaves = (children.size() + capacity - 1) / capacity;
        Cell ri = cell(4 + 4 * leaves);
        List<Cell> leafCells = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            int from = i * capacity;
            leafCells.add(leaf(children, childCells, from, Math.min(children.size(), from + capacity)));
        }
        ri.fill = b -> {
            b[0] = 'r';
            b[1] = 'i';
            put16(b, 2, leafCells.size());
            for (int i = 0; i < leafCells.size(); i++) {
                put32(b, 4 + 4 * i, leafCells.get(i).offset);
            }
        };
        return ri;
    }

    private Cell leaf(List<KeySpec> children, List<Cell> childCells, int from, int to) {
        ListKind kind = options.listKind();
        int width = kind == ListKind.LI ? 4 : 8;
        Cell leaf = cell(4 + width * (to - from));
        leaf.fill = b -> {
            b[0] = 'l';
            b[1] = switch (kind) {
                case LH -> 'h';
                case LF -> 'f';
                case LI -> 'i';
            };
            put16(b, 2, to - from);
            for (int i = from; i < to; i++) {
                int at = 4 + width * (i - from);
                // childCells is filled after this list is created, in the same (sorted) order
                put32(b, at, childCells.get(i).offset);
                String n = children.get(i).name();
                if (kind == ListKind.LH) {
                    put32(b, at + 4, Hive.nameHash(n));
                } else if (kind == ListKind.LF) {
                    for (int j = 0; j < Math.min(4, n.length()); j++) {
                        b[at + 4 + j] = (byte) n.charAt(j);
                    }
                }
            }
        };
        return leaf;
    }

    private Cell addValue(KeySpec.ValueSpec v) {
        byte[] name = storedName(v.name());
        byte[] data = v.data();
        Cell vk = cell(0x14 + name.length);
        long sizeField;
        long dataField;
        Cell dataCell = null;
        if (data.length <= 4) {
            sizeField = 0x8000_0000L | data.length;
            long inline = 0;
            for (int i = data.length - 1; i >= 0; i--) {
                inline = inline << 8 | (data[i] & 0xFF);
            }
            dataField = inline;
        } else {
            sizeField = data.length;
            dataField = -1;
            dataCell = data.length > Hive.BIG_DATA_SEGMENT && options.minorVersion() >= 4 ? bigData(data)
                    : plainData(data);
        }
        Cell dc = dataCell;
        int flags = compressible(v.name()) && !v.name().isEmpty() ? RegistryValue.VALUE_COMP_NAME : 0;
        vk.fill = b -> {
            b[0] = 'v';
            b[1] = 'k';
            put16(b, 2, name.length);
            put32(b, 4, sizeField);
            put32(b, 8, dc == null ? dataField : dc.offset);
            put32(b, 0x0C, v.type());
            put16(b, 0x10, flags);
            System.arraycopy(name, 0, b, 0x14, name.length);
        };
        return vk;
    }

    private Cell plainData(byte[] data) {
        Cell c = cell(data.length);
        c.fill = b -> System.arraycopy(data, 0, b, 0, data.length);
        return c;
    }

    private Cell bigData(byte[] data) {
        int segments = (data.length + Hive.BIG_DATA_SEGMENT - 1) / Hive.BIG_DATA_SEGMENT;
        if (segments > 0xFFFF) {
            throw new IllegalArgumentException("value of " + data.length + " bytes needs more than 65535 segments");
        }
        Cell db = cell(8);
        Cell list = cell(4 * segments);
        List<Cell> segs = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            int from = i * Hive.BIG_DATA_SEGMENT;
            int len = Math.min(Hive.BIG_DATA_SEGMENT, data.length - from);
            // Windows allocates every segment whole, the last one too (libregf relies on it)
            Cell s = cell(Hive.BIG_DATA_SEGMENT);
            s.fill = b -> System.arraycopy(data, from, b, 0, len);
            segs.add(s);
        }
        db.fill = b -> {
            b[0] = 'd';
            b[1] = 'b';
            put16(b, 2, segments);
            put32(b, 4, list.offset);
        };
        list.fill = b -> {
            for (int i = 0; i < segs.size(); i++) {
                put32(b, 4 * i, segs.get(i).offset);
            }
        };
        return db;
    }

    private void linkSecurityCells() {
        List<Cell> sks = new ArrayList<>(securityCells.values());
        for (int i = 0; i < sks.size(); i++) {
            Cell sk = sks.get(i);
            Cell next = sks.get((i + 1) % sks.size());
            Cell prev = sks.get((i + sks.size() - 1) % sks.size());
            Consumer<byte[]> body = sk.fill;
            int refs = securityUse.get(sk);
            sk.fill = b -> {
                body.accept(b);
                put32(b, 4, next.offset);
                put32(b, 8, prev.offset);
                put32(b, 0x0C, refs);
            };
        }
    }

    private static boolean compressible(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static byte[] storedName(String name) {
        return compressible(name) ? name.getBytes(StandardCharsets.ISO_8859_1)
                : name.getBytes(StandardCharsets.UTF_16LE);
    }
}
