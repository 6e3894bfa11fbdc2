package org.vestige.registry;

import static org.vestige.registry.internal.LittleEndian.i32;
import static org.vestige.registry.internal.LittleEndian.i64;
import static org.vestige.registry.internal.LittleEndian.u16;
import static org.vestige.registry.internal.LittleEndian.u32;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A registry hive read from a {@link HiveSource}: a hive file or a hive in memory. Keys are found by
 * path ({@link #findKey(String)}, case-insensitive, components separated by a backslash, relative to
 * the root key) or walked ({@link #walk(HiveVisitor)}).
 *
 * <p>Reading never trusts the hive: every cell is checked (alignment, allocation, size, signature,
 * counts against the cell's length) and a bad cell raises a {@link HiveException} naming its offset.
 * Lenient listings and walks turn those into {@link HiveProblem}s and go on with the rest. Loops in
 * subkey lists and between keys are detected, nesting is bounded, and no allocation exceeds the hive.
 * A hive is safe for concurrent use when its source is.
 *
 * @since 0.1
 */
public final class Hive implements Closeable {

    /** Offset value meaning "no cell". */
    public static final long NO_OFFSET = 0xFFFF_FFFFL;

    /** Deepest key nesting a walk follows (the Windows limit is 512 levels). */
    public static final int MAX_DEPTH = 512;

    /** Problems a walk keeps in its summary (all are passed to the visitor). */
    public static final int MAX_KEPT_PROBLEMS = 10_000;

    /** Bytes of value data held by one big-data segment. */
    public static final int BIG_DATA_SEGMENT = 16_344;

    /** Root cell offset assumed when the base block cannot be read (where Windows puts it). */
    public static final long DEFAULT_ROOT_CELL = 0x20;

    /** Largest cell this reader accepts, a bound on allocation for corrupt size fields. */
    static final int MAX_CELL = 128 << 20;

    private static final int MAX_LIST_NESTING = 8;
    private static final int NK_HEADER = 0x4C;
    private static final int VK_HEADER = 0x14;
    private static final int SK_HEADER = 0x14;

    private final HiveSource source;
    private final BaseBlock baseBlock;
    private final long rootCellOffset;
    private final long stableLimit;
    private final List<HiveProblem> openProblems;

    private Hive(HiveSource source, BaseBlock baseBlock, long rootCellOffset, long stableLimit,
            List<HiveProblem> openProblems) {
        this.source = source;
        this.baseBlock = baseBlock;
        this.rootCellOffset = rootCellOffset;
        this.stableLimit = stableLimit;
        this.openProblems = List.copyOf(openProblems);
    }

    /**
     * Opens a hive file read-only.
     *
     * @throws IOException          when the file cannot be opened
     * @throws HiveCorruptException when it is not a hive (no "regf" signature)
     */
    public static Hive open(Path file) throws IOException {
        FileHiveSource source = new FileHiveSource(file);
        try {
            return open(source);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Opens a hive file held in memory. */
    public static Hive of(String name, byte[] hiveFile) {
        return open(new ByteArrayHiveSource(name, hiveFile));
    }

    /**
     * Opens a hive over {@code source}. When the base block cannot be read (a page missing from memory)
     * the hive is still opened with the root cell at {@link #DEFAULT_ROOT_CELL} and the problem is kept
     * in {@link #openProblems()}.
     *
     * @throws HiveCorruptException when the base block is readable but is not a hive's
     */
    public static Hive open(HiveSource source) {
        Objects.requireNonNull(source);
        List<HiveProblem> problems = new ArrayList<>();
        byte[] block = new byte[HiveSource.BLOCK_SIZE];
        BaseBlock base = null;
        try {
            source.readBaseBlock(block);
            base = BaseBlock.parse(block);
        } catch (HiveDataMissingException e) {
            problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.MISSING, null,
                    "base block of " + source.name() + " is unavailable (" + e.reason() + "); assuming root cell at "
                            + Offsets.hex(DEFAULT_ROOT_CELL)));
        }
        long root = DEFAULT_ROOT_CELL;
        long limit = source.stableLength();
        if (base != null) {
            if (!base.signatureValid()) {
                throw new HiveCorruptException(HiveException.NO_CELL, source.name()
                        + " is not a registry hive: base block signature is "
                        + signature(block, 0, 4) + ", not \"regf\"");
            }
            root = base.rootCellOffset();
            if (!base.checksumValid()) {
                problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.INCONSISTENT, null,
                        "base block checksum " + Offsets.hex(base.storedChecksum()) + " differs from the computed "
                                + Offsets.hex(base.computedChecksum())));
            }
            if (!base.sequencesMatch()) {
                problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.INCONSISTENT, null,
                        "sequence numbers differ (" + base.primarySequence() + " / " + base.secondarySequence()
                                + "): the last write did not complete and transaction logs were not applied"));
            }
            if (base.majorVersion() != 1) {
                problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.INCONSISTENT, null,
                        "unexpected format version " + base.majorVersion() + "." + base.minorVersion()));
            }
            long declared = base.hiveBinsDataSize();
            if (declared > 0 && (declared & 0xFFF) == 0) {
                if (limit >= 0 && declared > limit) {
                    problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.MISSING, null,
                            "hive bins are declared as " + Offsets.hex(declared) + " bytes but only "
                                    + Offsets.hex(limit) + " are present (truncated hive)"));
                } else {
                    limit = declared;
                }
            } else {
                problems.add(new HiveProblem(HiveException.NO_CELL, HiveProblem.Kind.CORRUPT, null,
                        "hive bins data size " + Offsets.hex(declared) + " is not a positive multiple of 4096"));
            }
        }
        return new Hive(source, base, root, limit, problems);
    }

    /** @return the source the hive is read from */
    public HiveSource source() {
        return source;
    }

    /** @return the parsed base block, empty when it could not be read */
    public Optional<BaseBlock> baseBlock() {
        return Optional.ofNullable(baseBlock);
    }

    /** @return problems found when opening: checksum, sequence numbers, truncation, an unreadable base block */
    public List<HiveProblem> openProblems() {
        return openProblems;
    }

    /** @return the hive offset of the root key's cell */
    public long rootCellOffset() {
        return rootCellOffset;
    }

    /** @return the number of bytes of stable storage cells may occupy, or -1 when unknown */
    public long stableLength() {
        return stableLimit;
    }

    /**
     * Reads the root key.
     *
     * @throws HiveException when the root cell cannot be read
     */
    public RegistryKey root() {
        return key(rootCellOffset);
    }

    /**
     * Finds a key by path relative to the root, case-insensitively ({@code ControlSet001\Control\Lsa});
     * the empty path names the root.
     *
     * @return the key, or empty when some component does not exist
     * @throws HiveException when a cell on the way cannot be read
     */
    public Optional<RegistryKey> findKey(String path) {
        RegistryKey at = root();
        for (String part : components(path)) {
            Optional<RegistryKey> next = findSubkey(at, part, null);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at);
    }

    /**
     * Like {@link #findKey(String)} but a missing key is an error.
     *
     * @throws KeyNotFoundException when some component does not exist
     */
    public RegistryKey requireKey(String path) {
        RegistryKey at = root();
        for (String part : components(path)) {
            Optional<RegistryKey> next = findSubkey(at, part, null);
            if (next.isEmpty()) {
                throw new KeyNotFoundException(at.cellOffset(), path, part);
            }
            at = next.get();
        }
        return at;
    }

    /**
     * Finds a value by key path and value name (the empty name for the default value).
     *
     * @throws HiveException when a cell on the way cannot be read
     */
    public Optional<RegistryValue> findValue(String keyPath, String valueName) {
        return findKey(keyPath).flatMap(k -> k.value(valueName));
    }

    /** Walks the whole hive from the root; see {@link #walk(RegistryKey, HiveVisitor)}. */
    public WalkSummary walk(HiveVisitor visitor) {
        RegistryKey root;
        try {
            root = root();
        } catch (HiveException e) {
            HiveProblem p = HiveProblem.of(e, "");
            visitor.problem(p);
            return new WalkSummary(0, 0, 1, List.of(p), false);
        }
        return walk(root, visitor);
    }

    /**
     * Walks the keys under {@code start} (included) depth-first, passing every key, value and problem to
     * {@code visitor}. Unreadable lists, keys and values are reported and skipped; a key reached a second
     * time (a loop, or a cell shared by two lists) is reported and not entered again; nesting deeper than
     * {@link #MAX_DEPTH} is reported and cut. The walk uses no recursion.
     */
    public WalkSummary walk(RegistryKey start, HiveVisitor visitor) {
        record Frame(RegistryKey key, String path, int depth) {
        }
        long[] counts = new long[3];
        List<HiveProblem> kept = new ArrayList<>();
        Consumer<HiveProblem> problems = p -> {
            counts[2]++;
            if (kept.size() < MAX_KEPT_PROBLEMS) {
                kept.add(p);
            }
            visitor.problem(p);
        };
        Set<Long> visited = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(start, "", 0));
        visited.add(start.cellOffset());
        boolean stopped = false;
        while (!stack.isEmpty()) {
            if (visitor.stopRequested()) {
                stopped = true;
                break;
            }
            Frame f = stack.pop();
            counts[0]++;
            if (!visitor.key(f.path(), f.key(), f.depth())) {
                continue;
            }
            values(f.key(), problems, f.path(), v -> {
                counts[1]++;
                visitor.value(f.path(), f.key(), v);
            });
            if (f.key().subkeyCount() == 0 && f.key().volatileSubkeyCount() == 0) {
                continue;
            }
            if (f.depth() + 1 > MAX_DEPTH) {
                problems.accept(new HiveProblem(f.key().cellOffset(), HiveProblem.Kind.LIMIT, f.path(),
                        "subkeys not followed: nesting deeper than " + MAX_DEPTH + " levels"));
                continue;
            }
            List<RegistryKey> children = subkeys(f.key(), problems, f.path());
            for (int i = children.size() - 1; i >= 0; i--) {
                RegistryKey child = children.get(i);
                String childPath = f.path().isEmpty() ? child.name() : f.path() + "\\" + child.name();
                if (!visited.add(child.cellOffset())) {
                    problems.accept(new HiveProblem(child.cellOffset(), HiveProblem.Kind.CYCLE, childPath,
                            "key cell " + Offsets.hex(child.cellOffset()) + " was already visited (a loop or a"
                                    + " cell listed twice); not entered again"));
                    continue;
                }
                stack.push(new Frame(child, childPath, f.depth() + 1));
            }
        }
        return new WalkSummary(counts[0], counts[1], counts[2], kept, stopped);
    }

    /**
     * Lists the hive bins of stable storage, resynchronising on the next block after a damaged or
     * missing header (reported to {@code problems}).
     */
    public List<HiveBin> bins(Consumer<HiveProblem> problems) {
        List<HiveBin> bins = new ArrayList<>();
        long limit = stableLimit >= 0 ? stableLimit : source.stableLength();
        byte[] h = new byte[HiveBin.HEADER_SIZE];
        long badFrom = -1;
        String badWhy = null;
        for (long at = 0; at < limit;) {
            String why = null;
            long size = 0;
            try {
                source.read(at, h, 0, h.length);
                size = u32(h, 8);
                if (h[0] != 'h' || h[1] != 'b' || h[2] != 'i' || h[3] != 'n') {
                    why = "signature " + signature(h, 0, 4);
                } else if (u32(h, 4) != at) {
                    why = "header names offset " + Offsets.hex(u32(h, 4));
                } else if (size == 0 || (size & 0xFFF) != 0 || at + size > limit) {
                    why = "bad size " + Offsets.hex(size);
                }
            } catch (HiveDataMissingException e) {
                why = "unavailable: " + e.reason();
            }
            if (why == null) {
                if (badFrom >= 0) {
                    problems.accept(badBins(badFrom, at, badWhy));
                    badFrom = -1;
                }
                bins.add(new HiveBin(at, size, i64(h, 0x14)));
                at += size;
            } else {
                if (badFrom < 0) {
                    badFrom = at;
                    badWhy = why;
                }
                at += HiveSource.BLOCK_SIZE;
            }
        }
        if (badFrom >= 0) {
            problems.accept(badBins(badFrom, limit, badWhy));
        }
        return bins;
    }

    private static HiveProblem badBins(long from, long to, String why) {
        return new HiveProblem(from, HiveProblem.Kind.CORRUPT, null, "no hive bin header in blocks "
                + Offsets.hex(from) + ".." + Offsets.hex(to - 1) + " (first: " + why + ")");
    }

    /**
     * Reads the key whose cell is at {@code cellOffset}.
     *
     * @throws HiveException when the cell is not a readable key cell
     */
    public RegistryKey key(long cellOffset) {
        byte[] c = cell(cellOffset);
        expect(c, cellOffset, 'n', 'k', "key (nk)", NK_HEADER);
        int flags = u16(c, 2);
        int nameLength = u16(c, 0x48);
        if (NK_HEADER + nameLength > c.length) {
            throw new HiveCorruptException(cellOffset, "key name of " + nameLength + " bytes runs past the cell ("
                    + c.length + " bytes)");
        }
        String name = name(c, NK_HEADER, nameLength, (flags & RegistryKey.KEY_COMP_NAME) != 0);
        return new RegistryKey(this, cellOffset, flags, i64(c, 4), u32(c, 0x0C), u32(c, 0x10), u32(c, 0x14),
                u32(c, 0x18), u32(c, 0x1C), u32(c, 0x20), u32(c, 0x24), u32(c, 0x28), u32(c, 0x2C), u32(c, 0x30),
                u16(c, 0x4A), u32(c, 0x34), name);
    }

    /**
     * Reads the value whose cell is at {@code cellOffset}.
     *
     * @throws HiveException when the cell is not a readable value cell
     */
    public RegistryValue value(long cellOffset) {
        byte[] c = cell(cellOffset);
        expect(c, cellOffset, 'v', 'k', "value (vk)", VK_HEADER);
        int nameLength = u16(c, 2);
        int flags = u16(c, 0x10);
        if (VK_HEADER + nameLength > c.length) {
            throw new HiveCorruptException(cellOffset, "value name of " + nameLength + " bytes runs past the cell ("
                    + c.length + " bytes)");
        }
        String name = name(c, VK_HEADER, nameLength, (flags & RegistryValue.VALUE_COMP_NAME) != 0);
        return new RegistryValue(this, cellOffset, name, i32(c, 0x0C), u32(c, 4), u32(c, 8), flags);
    }

    /**
     * Reads the security cell at {@code cellOffset}.
     *
     * @throws HiveException when the cell is not a readable sk cell
     */
    public SecurityCell security(long cellOffset) {
        byte[] c = cell(cellOffset);
        expect(c, cellOffset, 's', 'k', "security (sk)", SK_HEADER);
        long size = u32(c, 0x10);
        if (SK_HEADER + size > c.length) {
            throw new HiveCorruptException(cellOffset, "security descriptor of " + size + " bytes runs past the cell");
        }
        return new SecurityCell(cellOffset, u32(c, 4), u32(c, 8), u32(c, 0x0C),
                Arrays.copyOfRange(c, SK_HEADER, SK_HEADER + (int) size));
    }

    /**
     * Reads the payload of the allocated cell at {@code cellOffset} (without its size field), after
     * checking alignment, bounds, allocation and size.
     *
     * @throws HiveCorruptException     when the cell is misplaced, free or of impossible size
     * @throws HiveDataMissingException when its bytes are unavailable
     */
    public byte[] cell(long cellOffset) {
        if (cellOffset < 0 || cellOffset > NO_OFFSET) {
            throw new HiveCorruptException(cellOffset, "not a hive offset");
        }
        if (cellOffset == NO_OFFSET) {
            throw new HiveCorruptException(cellOffset, "reference to no cell (0xffffffff)");
        }
        if ((cellOffset & 7) != 0) {
            throw new HiveCorruptException(cellOffset, "offset is not 8-byte aligned");
        }
        boolean volatileCell = (cellOffset & HiveSource.VOLATILE_BIT) != 0;
        if (volatileCell && !source.hasVolatileStorage()) {
            throw new HiveDataMissingException(cellOffset, cellOffset,
                    "volatile storage exists only in memory, not in " + source.name());
        }
        long within = cellOffset & ~HiveSource.VOLATILE_BIT;
        long limit = volatileCell ? source.volatileLength() : stableLimit;
        if (limit >= 0 && within + 4 > limit) {
            throw new HiveCorruptException(cellOffset, "offset lies beyond the end of the "
                    + (volatileCell ? "volatile" : "stable") + " storage (" + Offsets.hex(limit) + ")");
        }
        byte[] head = new byte[4];
        read(cellOffset, cellOffset, head, 4);
        int size = i32(head, 0);
        if (size == 0) {
            throw new HiveCorruptException(cellOffset, "cell size is 0 (zero-filled or overwritten space)");
        }
        if (size > 0) {
            throw new HiveCorruptException(cellOffset, "cell is free (size " + size + "), not an allocated cell");
        }
        long length = -(long) size;
        if (length < 8 || (length & 7) != 0) {
            throw new HiveCorruptException(cellOffset, "impossible cell size " + length);
        }
        if ((limit >= 0 && within + length > limit) || length > MAX_CELL) {
            throw new HiveCorruptException(cellOffset, "cell of " + length + " bytes runs past the end of the storage ("
                    + Offsets.hex(limit) + ")");
        }
        byte[] payload = new byte[(int) length - 4];
        read(cellOffset, cellOffset + 4, payload, payload.length);
        return payload;
    }

    private void read(long cellOffset, long at, byte[] buffer, int length) {
        try {
            source.read(at, buffer, 0, length);
        } catch (HiveDataMissingException e) {
            throw e.forCell(cellOffset);
        }
    }

    // ---- subkeys ----

    /** One entry of a subkey list: the key cell and, for "lh" lists, the name hash. */
    private record ListEntry(long offset, boolean hashed, long hash) {
    }

    List<RegistryKey> subkeys(RegistryKey key, Consumer<HiveProblem> problems, String path) {
        List<ListEntry> entries = subkeyEntries(key, problems, path);
        List<RegistryKey> out = new ArrayList<>(entries.size());
        for (ListEntry e : entries) {
            try {
                RegistryKey child = key(e.offset());
                if (problems != null && child.parentOffset() != key.cellOffset() && !child.isRoot()) {
                    problems.accept(new HiveProblem(child.cellOffset(), HiveProblem.Kind.INCONSISTENT, path,
                            "subkey \"" + child.name() + "\" names parent " + Offsets.hex(child.parentOffset())
                                    + " but is listed under " + Offsets.hex(key.cellOffset())));
                }
                out.add(child);
            } catch (HiveException ex) {
                report(problems, ex, path);
            }
        }
        return out;
    }

    Optional<RegistryKey> findSubkey(RegistryKey key, String name, Consumer<HiveProblem> problems) {
        List<ListEntry> entries = subkeyEntries(key, problems, null);
        long hash = nameHash(name);
        // Windows finds keys in "lh" lists by hash; a name outside ASCII is also compared without it in
        // case this upcasing differs from the system's table for that character.
        boolean trustHash = name.chars().allMatch(ch -> ch < 0x80);
        HiveException unreadable = null;
        for (ListEntry e : entries) {
            if (e.hashed() && e.hash() != hash && trustHash) {
                continue;
            }
            try {
                RegistryKey child = key(e.offset());
                if (child.name().equalsIgnoreCase(name)) {
                    return Optional.of(child);
                }
            } catch (HiveException ex) {
                // an unreadable sibling matters only if the key is not found elsewhere: it may be the one
                if (unreadable == null) {
                    unreadable = ex;
                }
            }
        }
        if (unreadable != null) {
            report(problems, unreadable, null);
        }
        return Optional.empty();
    }

    private List<ListEntry> subkeyEntries(RegistryKey key, Consumer<HiveProblem> problems, String path) {
        List<ListEntry> entries = new ArrayList<>();
        Set<Long> lists = new HashSet<>();
        if (key.subkeyCount() > 0) {
            readList(key.subkeyListOffset(), 0, lists, entries, problems, path);
            if (problems != null && entries.size() != key.subkeyCount()) {
                problems.accept(new HiveProblem(key.cellOffset(), HiveProblem.Kind.INCONSISTENT, path,
                        "key " + Offsets.hex(key.cellOffset()) + " says it has " + key.subkeyCount() + " subkeys, its list at "
                                + Offsets.hex(key.subkeyListOffset()) + " yields " + entries.size()));
            }
        }
        if (source.hasVolatileStorage() && key.volatileSubkeyCount() > 0) {
            readList(key.volatileSubkeyListOffset(), 0, lists, entries, problems, path);
        }
        return entries;
    }

    private void readList(long listOffset, int depth, Set<Long> seen, List<ListEntry> out,
            Consumer<HiveProblem> problems, String path) {
        if (!seen.add(listOffset)) {
            report(problems, new HiveException(listOffset, HiveProblem.Kind.CYCLE, "subkey list " + Offsets.hex(listOffset)
                    + " is reached a second time (a loop in index lists); not read again"), path);
            return;
        }
        if (depth > MAX_LIST_NESTING) {
            report(problems, new HiveException(listOffset, HiveProblem.Kind.LIMIT, "subkey index lists nest deeper than "
                    + MAX_LIST_NESTING + " at " + Offsets.hex(listOffset)), path);
            return;
        }
        byte[] c;
        try {
            c = cell(listOffset);
            if (c.length < 4) {
                throw new HiveCorruptException(listOffset, "too small for a subkey list");
            }
        } catch (HiveException e) {
            report(problems, e, path);
            return;
        }
        char a = (char) (c[0] & 0xFF);
        char b = (char) (c[1] & 0xFF);
        int count = u16(c, 2);
        int width = (a == 'l' && (b == 'f' || b == 'h')) ? 8 : ((a == 'l' || a == 'r') && b == 'i') ? 4 : 0;
        if (width == 0) {
            report(problems, new HiveCorruptException(listOffset, "expected a subkey list (lf, lh, li or ri), found "
                    + signature(c, 0, 2)), path);
            return;
        }
        int fits = (c.length - 4) / width;
        if (count > fits) {
            report(problems, new HiveCorruptException(listOffset, "list of " + count + " entries does not fit its cell ("
                    + fits + " fit); reading those"), path);
            count = fits;
        }
        for (int i = 0; i < count; i++) {
            int at = 4 + i * width;
            long offset = u32(c, at);
            if (a == 'r') {
                readList(offset, depth + 1, seen, out, problems, path);
            } else {
                out.add(new ListEntry(offset, b == 'h', b == 'h' ? u32(c, at + 4) : 0));
            }
        }
    }

    /**
     * Computes the name hash kept in "lh" subkey lists: for each character of the upcased name,
     * {@code hash = hash * 37 + c}, modulo 2^32.
     */
    public static long nameHash(String name) {
        int h = 0;
        for (int i = 0; i < name.length(); i++) {
            h = h * 37 + Character.toUpperCase(name.charAt(i));
        }
        return h & 0xFFFF_FFFFL;
    }

    // ---- values ----

    List<RegistryValue> values(RegistryKey key, Consumer<HiveProblem> problems, Consumer<RegistryValue> each) {
        List<RegistryValue> out = each == null ? new ArrayList<>() : null;
        values(key, problems, null, each != null ? each : out::add);
        return out;
    }

    private void values(RegistryKey key, Consumer<HiveProblem> problems, String path, Consumer<RegistryValue> each) {
        long count = key.valueCount();
        if (count == 0) {
            return;
        }
        byte[] list;
        try {
            list = cell(key.valueListOffset());
        } catch (HiveException e) {
            report(problems, e, path);
            return;
        }
        if (count * 4 > list.length) {
            report(problems, new HiveCorruptException(key.valueListOffset(), "value list of " + count
                    + " entries does not fit its cell (" + list.length / 4 + " fit); reading those"), path);
            count = list.length / 4;
        }
        for (int i = 0; i < count; i++) {
            RegistryValue v;
            try {
                v = value(u32(list, i * 4));
            } catch (HiveException e) {
                report(problems, e, path);
                continue;
            }
            each.accept(v);
        }
    }

    byte[] valueData(RegistryValue v) {
        int length = v.dataLength();
        if (v.isDataInline()) {
            if (length > 4) {
                throw new HiveCorruptException(v.cellOffset(), "value \"" + v.name() + "\" says " + length
                        + " bytes of data are stored inline, where at most 4 fit");
            }
            byte[] d = new byte[length];
            for (int i = 0; i < length; i++) {
                d[i] = (byte) (v.dataOffset() >>> (8 * i));
            }
            return d;
        }
        if (length == 0) {
            return new byte[0];
        }
        byte[] c = cell(v.dataOffset());
        if (length > BIG_DATA_SEGMENT && bigDataPossible() && c.length >= 8 && c[0] == 'd' && c[1] == 'b') {
            return bigData(v, c, length);
        }
        if (length > c.length) {
            throw new HiveCorruptException(v.dataOffset(), "value \"" + v.name() + "\" has " + length
                    + " bytes of data but its data cell holds " + c.length);
        }
        return length == c.length ? c : Arrays.copyOf(c, length);
    }

    private boolean bigDataPossible() {
        return baseBlock == null || baseBlock.minorVersion() >= 4;
    }

    private byte[] bigData(RegistryValue v, byte[] db, int length) {
        int segments = u16(db, 2);
        long listOffset = u32(db, 4);
        if ((long) segments * BIG_DATA_SEGMENT < length) {
            throw new HiveCorruptException(v.dataOffset(), "big data of " + segments + " segments cannot hold the "
                    + length + " bytes of value \"" + v.name() + "\"");
        }
        byte[] list = cell(listOffset);
        if (segments * 4L > list.length) {
            throw new HiveCorruptException(listOffset, "big data segment list of " + segments
                    + " entries does not fit its cell");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, 1 << 20));
        int remaining = length;
        for (int i = 0; i < segments && remaining > 0; i++) {
            long segOffset = u32(list, i * 4);
            byte[] seg = cell(segOffset);
            int take = Math.min(remaining, BIG_DATA_SEGMENT);
            if (seg.length < take) {
                throw new HiveCorruptException(segOffset, "big data segment " + i + " holds " + seg.length
                        + " bytes, " + take + " needed");
            }
            out.write(seg, 0, take);
            remaining -= take;
        }
        return out.toByteArray();
    }

    String className(RegistryKey key) {
        byte[] c = cell(key.classNameOffset());
        int length = key.classNameLength();
        if (length > c.length) {
            throw new HiveCorruptException(key.classNameOffset(), "class name of " + length
                    + " bytes does not fit its cell (" + c.length + " bytes)");
        }
        return new String(c, 0, length & ~1, StandardCharsets.UTF_16LE);
    }

    // ---- helpers ----

    private static void report(Consumer<HiveProblem> problems, HiveException e, String path) {
        if (problems == null) {
            throw e;
        }
        problems.accept(HiveProblem.of(e, path));
    }

    private static void expect(byte[] c, long offset, char a, char b, String what, int header) {
        if (c.length < 2 || c[0] != a || c[1] != b) {
            throw new HiveCorruptException(offset, "expected a " + what + " cell, found "
                    + (c.length < 2 ? "nothing" : signature(c, 0, 2)));
        }
        if (c.length < header) {
            throw new HiveCorruptException(offset, what + " cell of " + c.length + " bytes is shorter than its "
                    + header + "-byte header");
        }
    }

    private static String name(byte[] c, int at, int length, boolean compressed) {
        return compressed ? new String(c, at, length, StandardCharsets.ISO_8859_1)
                : new String(c, at, length & ~1, StandardCharsets.UTF_16LE);
    }

    static String signature(byte[] b, int at, int length) {
        StringBuilder s = new StringBuilder();
        boolean printable = true;
        for (int i = 0; i < length; i++) {
            int ch = b[at + i] & 0xFF;
            printable &= ch >= 0x20 && ch < 0x7F;
        }
        if (printable) {
            s.append('"').append(new String(b, at, length, StandardCharsets.ISO_8859_1)).append('"');
        } else {
            s.append("0x");
            for (int i = 0; i < length; i++) {
                s.append(String.format("%02x", b[at + i] & 0xFF));
            }
        }
        return s.toString();
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("\\\\")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** Closes the source. */
    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "hive " + source.name();
    }
}
