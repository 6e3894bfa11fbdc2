package org.vestige.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vestige.registry.internal.LittleEndian;

/**
 * A value of a key (a "vk" cell). The header is read when the value is listed; the data is read on
 * demand by {@link #data()}, which may fail on its own (the data cell may be corrupt or unavailable
 * while the value cell is fine).
 *
 * @since 0.1
 */
public final class RegistryValue {

    /** Value flag: the name is stored as 8-bit (Latin-1) characters. */
    public static final int VALUE_COMP_NAME = 0x0001;
    /** Value flag (Windows 10+): a tombstone value of a layered key. */
    public static final int IS_TOMBSTONE = 0x0002;

    private final Hive hive;
    private final long cellOffset;
    private final String name;
    private final int type;
    private final long rawDataSize;
    private final long dataOffset;
    private final int flags;

    RegistryValue(Hive hive, long cellOffset, String name, int type, long rawDataSize, long dataOffset, int flags) {
        this.hive = hive;
        this.cellOffset = cellOffset;
        this.name = name;
        this.type = type;
        this.rawDataSize = rawDataSize;
        this.dataOffset = dataOffset;
        this.flags = flags;
    }

    /** @return the hive offset of the value cell */
    public long cellOffset() {
        return cellOffset;
    }

    /** @return the value name; the empty string for the key's default value */
    public String name() {
        return name;
    }

    /** @return true for the key's default (unnamed) value */
    public boolean isDefault() {
        return name.isEmpty();
    }

    /** @return the numeric type as stored */
    public int typeCode() {
        return type;
    }

    /** @return the type, if it is one of the documented types */
    public Optional<ValueType> type() {
        return ValueType.fromCode(type);
    }

    /** @return the type's name ("REG_SZ") or its code in hex */
    public String typeName() {
        return ValueType.nameOf(type);
    }

    /** @return the value flags ({@link #VALUE_COMP_NAME}, {@link #IS_TOMBSTONE}) */
    public int flags() {
        return flags;
    }

    /** @return the length of the data in bytes */
    public int dataLength() {
        return (int) (rawDataSize & 0x7FFF_FFFFL);
    }

    /** @return true when the data (at most 4 bytes) is stored in the value cell itself */
    public boolean isDataInline() {
        return (rawDataSize & 0x8000_0000L) != 0;
    }

    /** @return the data size field as stored (bit 31 marks inline data) */
    public long rawDataSize() {
        return rawDataSize;
    }

    /** @return the data cell offset field as stored (the data itself when inline) */
    public long dataOffset() {
        return dataOffset;
    }

    /**
     * Reads the data: inline bytes, one data cell, or the segments of a big-data ("db") cell.
     *
     * @throws HiveException when the data cell is corrupt or unavailable
     */
    public byte[] data() {
        return hive.valueData(this);
    }

    /**
     * Reads and interprets the data according to the type.
     *
     * @throws HiveException when the data cannot be read
     */
    public DecodedValue decode() {
        return decode(type, data());
    }

    /**
     * Interprets {@code data} as a value of type {@code type}.
     */
    public static DecodedValue decode(int type, byte[] data) {
        return switch (type) {
            case 0 -> data.length == 0 ? new DecodedValue.None() : new DecodedValue.Binary(data, null);
            case 1, 2, 6 -> (data.length & 1) == 0 ? new DecodedValue.Text(utf16z(data, 0, data.length))
                    : new DecodedValue.Binary(data, "odd length " + data.length + " for a UTF-16 string");
            case 7 -> (data.length & 1) == 0 ? new DecodedValue.MultiText(multiString(data))
                    : new DecodedValue.Binary(data, "odd length " + data.length + " for a UTF-16 string list");
            case 4 -> data.length == 4 ? new DecodedValue.Number(LittleEndian.u32(data, 0), 4)
                    : new DecodedValue.Binary(data, data.length + " bytes for a REG_DWORD");
            case 5 -> data.length == 4
                    ? new DecodedValue.Number(Integer.reverseBytes(LittleEndian.i32(data, 0)) & 0xFFFF_FFFFL, 4)
                    : new DecodedValue.Binary(data, data.length + " bytes for a REG_DWORD_BIG_ENDIAN");
            case 11 -> data.length == 8 ? new DecodedValue.Number(LittleEndian.i64(data, 0), 8)
                    : new DecodedValue.Binary(data, data.length + " bytes for a REG_QWORD");
            default -> new DecodedValue.Binary(data, null);
        };
    }

    /**
     * @return the data as a string (REG_SZ, REG_EXPAND_SZ, REG_LINK; also accepted for any type whose data
     *         is UTF-16), cut at the first NUL
     */
    public String asString() {
        byte[] d = data();
        return utf16z(d, 0, d.length & ~1);
    }

    /** @return the data as REG_MULTI_SZ strings */
    public List<String> asMultiString() {
        byte[] d = data();
        return multiString(d.length % 2 == 0 ? d : java.util.Arrays.copyOf(d, d.length - 1));
    }

    /**
     * @return the data as a 32-bit unsigned number (little-endian, or big-endian for REG_DWORD_BIG_ENDIAN)
     * @throws HiveCorruptException when the data is not 4 bytes long
     */
    public long asDword() {
        byte[] d = data();
        if (d.length != 4) {
            throw new HiveCorruptException(cellOffset, "value \"" + name + "\" has " + d.length + " bytes, not a DWORD");
        }
        int v = LittleEndian.i32(d, 0);
        return (type == 5 ? Integer.reverseBytes(v) : v) & 0xFFFF_FFFFL;
    }

    /**
     * @return the data as a 64-bit number
     * @throws HiveCorruptException when the data is not 8 bytes long
     */
    public long asQword() {
        byte[] d = data();
        if (d.length != 8) {
            throw new HiveCorruptException(cellOffset, "value \"" + name + "\" has " + d.length + " bytes, not a QWORD");
        }
        return LittleEndian.i64(d, 0);
    }

    static String utf16z(byte[] d, int from, int to) {
        int end = from;
        while (end + 1 < to && (d[end] != 0 || d[end + 1] != 0)) {
            end += 2;
        }
        return new String(d, from, end - from, StandardCharsets.UTF_16LE);
    }

    private static List<String> multiString(byte[] d) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (at + 1 < d.length) {
            int end = at;
            while (end + 1 < d.length && (d[end] != 0 || d[end + 1] != 0)) {
                end += 2;
            }
            if (end == at) {
                break; // the empty string that ends the list
            }
            out.add(new String(d, at, end - at, StandardCharsets.UTF_16LE));
            at = end + 2;
        }
        return out;
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "(default)" : name) + " " + typeName() + " [" + dataLength() + " bytes] @"
                + Offsets.hex(cellOffset);
    }
}
