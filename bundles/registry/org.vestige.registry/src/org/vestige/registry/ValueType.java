package org.vestige.registry;

import java.util.Optional;

/**
 * Registry value types (the {@code Type} field of a value cell). Hives may hold any 32-bit type;
 * {@link #fromCode(int)} is empty for codes outside this list and callers keep the raw code.
 *
 * @since 0.1
 */
public enum ValueType {
    /** No type; data is raw bytes. */
    REG_NONE(0),
    /** A UTF-16LE string, normally NUL-terminated. */
    REG_SZ(1),
    /** A UTF-16LE string with unexpanded %VARIABLE% references. */
    REG_EXPAND_SZ(2),
    /** Raw bytes. */
    REG_BINARY(3),
    /** A 32-bit little-endian number. */
    REG_DWORD(4),
    /** A 32-bit big-endian number. */
    REG_DWORD_BIG_ENDIAN(5),
    /** A symbolic link target, a UTF-16LE path (not terminated), used by keys with the SYM_LINK flag. */
    REG_LINK(6),
    /** A list of UTF-16LE strings, each NUL-terminated, the list ended by an empty string. */
    REG_MULTI_SZ(7),
    /** A device driver's resource list (CM_RESOURCE_LIST). */
    REG_RESOURCE_LIST(8),
    /** A hardware resource description (CM_FULL_RESOURCE_DESCRIPTOR). */
    REG_FULL_RESOURCE_DESCRIPTOR(9),
    /** A device driver's resource requirements (IO_RESOURCE_REQUIREMENTS_LIST). */
    REG_RESOURCE_REQUIREMENTS_LIST(10),
    /** A 64-bit little-endian number. */
    REG_QWORD(11);

    private static final ValueType[] BY_CODE = values();

    private final int code;

    ValueType(int code) {
        this.code = code;
    }

    /** @return the numeric type as stored in a value cell */
    public int code() {
        return code;
    }

    /** @return the type with numeric code {@code code}, if it is one of the documented types */
    public static Optional<ValueType> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** @return the type's name for code {@code code}, or {@code "0x<hex>"} for other codes */
    public static String nameOf(int code) {
        return fromCode(code).map(Enum::name).orElse("0x" + Integer.toHexString(code));
    }
}
