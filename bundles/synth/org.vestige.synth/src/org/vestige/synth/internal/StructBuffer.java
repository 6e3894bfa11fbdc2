package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;

import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;

/**
 * The bytes of one kernel or user structure, filled field by field through a profile
 * ({@code put("Pcb.DirectoryTableBase", dtb)}), so every layout difference between builds comes
 * from the profile and none from this code.
 *
 * @since 0.1
 */
public final class StructBuffer {

    private final Profile profile;
    private final String struct;
    private final byte[] bytes;

    public StructBuffer(Profile profile, String struct) {
        this.profile = profile;
        this.struct = struct;
        this.bytes = new byte[(int) profile.requireStruct(struct).size()];
    }

    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    /** @return true when the struct has the dotted field path */
    public boolean has(String path) {
        return find(path) != null;
    }

    public long offset(String path) {
        return resolve(path).offset();
    }

    /**
     * Resolves a dotted path; partial profiles name members of anonymous unions with literal dots
     * (a field called {@code "u.VadFlags"}), so each step tries the longest run of parts first.
     */
    private Field resolve(String path) {
        Field f = find(path);
        if (f == null) {
            throw new java.util.NoSuchElementException("profile " + profile.source() + ": " + struct + " has no "
                    + path);
        }
        return f;
    }

    private Field find(String path) {
        return find(profile.structs().get(struct), path.split("\\."), 0, 0);
    }

    private Field find(org.vestige.core.types.StructType s, String[] parts, int from, long base) {
        if (s == null) {
            return null;
        }
        for (int to = parts.length; to > from; to--) {
            Field f = s.fields().get(String.join(".", java.util.Arrays.copyOfRange(parts, from, to)));
            if (f == null) {
                continue;
            }
            if (to == parts.length) {
                return new Field(f.name(), base + f.offset(), f.type(), f.anonymous());
            }
            if (f.type() instanceof TypeRef.Struct inner) {
                Field deeper = find(profile.structs().get(inner.name()), parts, to, base + f.offset());
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    /** Stores a value when the profile has the field (partial profiles leave some out). */
    public StructBuffer putIfPresent(String path, long value) {
        return has(path) ? put(path, value) : this;
    }

    /** Stores an integer, pointer, enum or bit field at a dotted path, sized by the field's type. */
    public StructBuffer put(String path, long value) {
        Field f = resolve(path);
        int at = (int) f.offset();
        if (f.type() instanceof TypeRef.Bitfield bf) {
            int size = (int) profile.sizeOf(bf.type());
            long old = Le.get(bytes, at, size);
            long mask = (bf.length() == 64 ? -1L : (1L << bf.length()) - 1) << bf.position();
            Le.put(bytes, at, (old & ~mask) | ((value << bf.position()) & mask), size);
            return this;
        }
        int size = (int) profile.sizeOf(f.type());
        if (size == 0 && f.type() instanceof TypeRef.Struct) {
            size = opaqueSize(f);
        }
        if (size < 1 || size > 8) {
            throw new IllegalArgumentException(struct + "." + path + " is " + size + " bytes, not a scalar");
        }
        Le.put(bytes, at, value, size);
        return this;
    }

    /**
     * Partial profiles declare some types (e.g. {@code _LARGE_INTEGER}) without a body; such a field
     * spans up to the next field of the outer struct, at most a qword.
     */
    private int opaqueSize(Field f) {
        long next = Long.MAX_VALUE;
        for (Field other : profile.requireStruct(struct).fields().values()) {
            if (other.offset() > f.offset()) {
                next = Math.min(next, other.offset());
            }
        }
        return (int) Math.min(8, next == Long.MAX_VALUE ? bytes.length - f.offset() : next - f.offset());
    }

    /** Stores raw bytes at a dotted path (e.g. a char array), truncated to the field's size. */
    public StructBuffer putBytes(String path, byte[] value) {
        Field f = resolve(path);
        int size = (int) profile.sizeOf(f.type());
        System.arraycopy(value, 0, bytes, (int) f.offset(), Math.min(size, value.length));
        return this;
    }

    /** Stores an ASCII string in a char array field, NUL-terminated within the field. */
    public StructBuffer putAscii(String path, String value) {
        Field f = resolve(path);
        int size = (int) profile.sizeOf(f.type());
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        byte[] field = new byte[size];
        System.arraycopy(b, 0, field, 0, Math.min(b.length, size - 1));
        return putBytes(path, field);
    }

    /** Fills a {@code _UNICODE_STRING} at {@code path}. */
    public StructBuffer putUnicode(String path, int lengthBytes, int maximumBytes, long buffer) {
        put(path + ".Length", lengthBytes);
        put(path + ".MaximumLength", maximumBytes);
        put(path + ".Buffer", buffer);
        return this;
    }

    /** Fills a {@code _LIST_ENTRY} at {@code path}. */
    public StructBuffer putList(String path, long flink, long blink) {
        put(path + ".Flink", flink);
        put(path + ".Blink", blink);
        return this;
    }
}
