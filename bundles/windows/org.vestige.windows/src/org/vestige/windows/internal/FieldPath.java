package org.vestige.windows.internal;

import java.util.NoSuchElementException;
import java.util.Optional;

import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;
import org.vestige.core.types.TypeRef;

/**
 * Resolves dotted field paths in a profile and reads the values they name from a structure's bytes.
 * Profiles converted from partial sources name the members of anonymous unions with literal dots
 * ({@code _MMVAD_SHORT} has a field called {@code "u.VadFlags"} beside an empty {@code u}), so each
 * step of a path first tries the longest run of parts that is a field name of its own.
 */
public final class FieldPath {

    private FieldPath() {
    }

    /** @return the field with its offset from the outer struct's start, or empty when the profile lacks it */
    public static Optional<Field> find(Profile profile, String struct, String path) {
        StructType s = profile.structs().get(struct);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(find(profile, s, path.split("\\."), 0, 0));
    }

    private static Field find(Profile profile, StructType s, String[] parts, int from, long base) {
        for (int to = parts.length; to > from; to--) {
            String name = String.join(".", java.util.Arrays.copyOfRange(parts, from, to));
            Field f = s.fields().get(name);
            if (f == null) {
                continue;
            }
            if (to == parts.length) {
                return new Field(f.name(), base + f.offset(), f.type(), f.anonymous());
            }
            if (f.type() instanceof TypeRef.Struct inner && profile.structs().containsKey(inner.name())) {
                Field deeper = find(profile, profile.structs().get(inner.name()), parts, to, base + f.offset());
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    /**
     * @throws NoSuchElementException naming the struct, the path and the profile
     */
    public static Field require(Profile profile, String struct, String path) {
        return find(profile, struct, path).orElseThrow(() -> new NoSuchElementException("profile "
                + profile.source() + " has no " + struct + "." + path));
    }

    /** @return the offset of the field, or -1 when the profile lacks it */
    public static int offsetOrMinus1(Profile profile, String struct, String path) {
        return find(profile, struct, path).map(f -> (int) f.offset()).orElse(-1);
    }

    /**
     * A field ready to be read from a structure's bytes: its offset, width in bytes and, for a bit
     * field, its bit position and length.
     *
     * @param offset   byte offset from the start of the outer struct
     * @param size     width of the storage unit in bytes (1–8)
     * @param bit      first bit, or -1 for a whole value
     * @param bits     number of bits (bit fields)
     * @param name     the path, for messages
     */
    public record Accessor(int offset, int size, int bit, int bits, String name) {

        /** @return the unsigned value in {@code b} of the structure that starts at {@code base} */
        public long get(byte[] b, int base) {
            long v = Bytes.uint(b, base + offset, size);
            if (bit < 0) {
                return v;
            }
            return bits == 64 ? v : (v >>> bit) & ((1L << bits) - 1);
        }

        /** @return the byte just past the field */
        public int end() {
            return offset + size;
        }
    }

    /** @return an accessor for the field, or empty when the profile lacks it */
    public static Optional<Accessor> accessor(Profile profile, String struct, String path) {
        return find(profile, struct, path).map(f -> accessor(profile, f, path));
    }

    /**
     * @throws NoSuchElementException naming the struct, the path and the profile
     */
    public static Accessor requireAccessor(Profile profile, String struct, String path) {
        return accessor(profile, require(profile, struct, path), path);
    }

    private static Accessor accessor(Profile profile, Field f, String path) {
        if (f.type() instanceof TypeRef.Bitfield bf) {
            return new Accessor((int) f.offset(), width(profile, bf.type()), bf.position(), bf.length(), path);
        }
        return new Accessor((int) f.offset(), width(profile, f.type()), -1, 0, path);
    }

    /** Opaque types of partial profiles (size 0) and wide unions are read as one qword. */
    private static int width(Profile profile, TypeRef t) {
        long size;
        try {
            size = profile.sizeOf(t);
        } catch (NoSuchElementException e) {
            size = 0;
        }
        return size <= 0 || size > 8 ? 8 : (int) size;
    }
}
