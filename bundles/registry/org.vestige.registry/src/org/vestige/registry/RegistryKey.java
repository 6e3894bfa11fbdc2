package org.vestige.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A key (an "nk" cell). The fixed fields and the name are read when the key is obtained; subkeys,
 * values, the class name and the security cell are read on demand. Every list method comes in two
 * forms: a strict one that throws {@link HiveException} at the first unreadable cell, and a lenient one
 * that skips unreadable entries, reports them to a consumer and returns what could be read.
 *
 * @since 0.1
 */
public final class RegistryKey {

    /** Key flag: the key is volatile (lives only in memory). */
    public static final int KEY_VOLATILE = 0x0001;
    /** Key flag: a mount point of another hive. */
    public static final int KEY_HIVE_EXIT = 0x0002;
    /** Key flag: the root key of the hive. */
    public static final int KEY_HIVE_ENTRY = 0x0004;
    /** Key flag: the key cannot be deleted. */
    public static final int KEY_NO_DELETE = 0x0008;
    /** Key flag: a symbolic link (its target is the value "SymbolicLinkValue"). */
    public static final int KEY_SYM_LINK = 0x0010;
    /** Key flag: the name is stored as 8-bit (Latin-1) characters. */
    public static final int KEY_COMP_NAME = 0x0020;
    /** Key flag: a predefined handle. */
    public static final int KEY_PREDEF_HANDLE = 0x0040;
    /** Key flag: virtualization mirrored / target / store. */
    public static final int KEY_VIRT_MIRRORED = 0x0080;
    public static final int KEY_VIRT_TARGET = 0x0100;
    public static final int KEY_VIRTUAL_STORE = 0x0200;

    private final Hive hive;
    private final long cellOffset;
    private final int flags;
    private final long lastWritten;
    private final long accessBits;
    private final long parentOffset;
    private final long subkeyCount;
    private final long volatileSubkeyCount;
    private final long subkeyListOffset;
    private final long volatileSubkeyListOffset;
    private final long valueCount;
    private final long valueListOffset;
    private final long securityOffset;
    private final long classNameOffset;
    private final int classNameLength;
    private final long maxSubkeyNameLength;
    private final String name;

    RegistryKey(Hive hive, long cellOffset, int flags, long lastWritten, long accessBits, long parentOffset,
            long subkeyCount, long volatileSubkeyCount, long subkeyListOffset, long volatileSubkeyListOffset,
            long valueCount, long valueListOffset, long securityOffset, long classNameOffset, int classNameLength,
            long maxSubkeyNameLength, String name) {
        this.hive = hive;
        this.cellOffset = cellOffset;
        this.flags = flags;
        this.lastWritten = lastWritten;
        this.accessBits = accessBits;
        this.parentOffset = parentOffset;
        this.subkeyCount = subkeyCount;
        this.volatileSubkeyCount = volatileSubkeyCount;
        this.subkeyListOffset = subkeyListOffset;
        this.volatileSubkeyListOffset = volatileSubkeyListOffset;
        this.valueCount = valueCount;
        this.valueListOffset = valueListOffset;
        this.securityOffset = securityOffset;
        this.classNameOffset = classNameOffset;
        this.classNameLength = classNameLength;
        this.maxSubkeyNameLength = maxSubkeyNameLength;
        this.name = name;
    }

    /** @return the hive this key belongs to */
    public Hive hive() {
        return hive;
    }

    /** @return the hive offset of the key's cell */
    public long cellOffset() {
        return cellOffset;
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** @return the key flags ({@link #KEY_COMP_NAME}, {@link #KEY_HIVE_ENTRY}, ...) */
    public int flags() {
        return flags;
    }

    /** @return true when {@code flag} is set */
    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** @return the last-write time as a FILETIME */
    public long lastWrittenFiletime() {
        return lastWritten;
    }

    /** @return the last-write time */
    public Instant lastWritten() {
        return Filetime.toInstant(lastWritten);
    }

    /** @return the access bits (Windows 8+: bit 0 accessed before init, bit 1 after) */
    public long accessBits() {
        return accessBits;
    }

    /** @return the hive offset of the parent key's cell */
    public long parentOffset() {
        return parentOffset;
    }

    /** @return the number of stable subkeys the key says it has */
    public long subkeyCount() {
        return subkeyCount;
    }

    /** @return the number of volatile subkeys the key says it has (meaningful in memory only) */
    public long volatileSubkeyCount() {
        return volatileSubkeyCount;
    }

    /** @return the hive offset of the stable subkey list */
    public long subkeyListOffset() {
        return subkeyListOffset;
    }

    /** @return the hive offset of the volatile subkey list */
    public long volatileSubkeyListOffset() {
        return volatileSubkeyListOffset;
    }

    /** @return the number of values the key says it has */
    public long valueCount() {
        return valueCount;
    }

    /** @return the hive offset of the value list */
    public long valueListOffset() {
        return valueListOffset;
    }

    /** @return the hive offset of the security ("sk") cell */
    public long securityOffset() {
        return securityOffset;
    }

    /** @return the hive offset of the class name cell (0xFFFFFFFF when none) */
    public long classNameOffset() {
        return classNameOffset;
    }

    /** @return the length of the class name in bytes (0 when none) */
    public int classNameLength() {
        return classNameLength;
    }

    /** @return the largest subkey name length field (bits 0-15) */
    public long maxSubkeyNameLength() {
        return maxSubkeyNameLength & 0xFFFF;
    }

    /** @return true when this is the hive's root key (flag {@link #KEY_HIVE_ENTRY}) */
    public boolean isRoot() {
        return hasFlag(KEY_HIVE_ENTRY);
    }

    /**
     * Reads the class name (a UTF-16 string in its own cell, where the system keeps e.g. the scrambled
     * boot key under {@code Control\Lsa}).
     *
     * @return the class name, empty when the key has none
     * @throws HiveException when the class name cell is corrupt or unavailable
     */
    public Optional<String> className() {
        if (classNameLength == 0 || classNameOffset == Hive.NO_OFFSET) {
            return Optional.empty();
        }
        return Optional.of(hive.className(this));
    }

    /**
     * Lists the subkeys (stable ones; volatile ones too when the hive is read from memory).
     *
     * @throws HiveException at the first subkey list or key cell that cannot be read
     */
    public List<RegistryKey> subkeys() {
        return hive.subkeys(this, null, null);
    }

    /**
     * Lists the subkeys that can be read, reporting the others to {@code problems}.
     */
    public List<RegistryKey> subkeys(Consumer<HiveProblem> problems) {
        return hive.subkeys(this, problems, null);
    }

    /**
     * Finds a direct subkey by name, case-insensitively.
     *
     * @throws HiveException when the subkey list cannot be read
     */
    public Optional<RegistryKey> subkey(String subkeyName) {
        return hive.findSubkey(this, subkeyName, null);
    }

    /**
     * Lists the values.
     *
     * @throws HiveException at the first value list or value cell that cannot be read
     */
    public List<RegistryValue> values() {
        return hive.values(this, null, null);
    }

    /** Lists the values that can be read, reporting the others to {@code problems}. */
    public List<RegistryValue> values(Consumer<HiveProblem> problems) {
        return hive.values(this, problems, null);
    }

    /**
     * Finds a value by name, case-insensitively; the empty string (or {@code null}) names the default value.
     *
     * @throws HiveException when the value list cannot be read
     */
    public Optional<RegistryValue> value(String valueName) {
        String wanted = valueName == null ? "" : valueName;
        List<RegistryValue> found = new ArrayList<>(1);
        hive.values(this, null, v -> {
            if (found.isEmpty() && v.name().equalsIgnoreCase(wanted)) {
                found.add(v);
            }
        });
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Reads the security cell.
     *
     * @throws HiveException when it is corrupt or unavailable
     */
    public SecurityCell security() {
        return hive.security(securityOffset);
    }

    /**
     * Reads the parent key.
     *
     * @return the parent, empty for the root key
     * @throws HiveException when the parent cell cannot be read
     */
    public Optional<RegistryKey> parent() {
        if (isRoot()) {
            return Optional.empty();
        }
        return Optional.of(hive.key(parentOffset));
    }

    @Override
    public String toString() {
        return name + " @" + Offsets.hex(cellOffset);
    }
}
