package org.vestige.core.types;

/**
 * A reference to a type as ISF writes it in a field or symbol: a base type, a pointer, an array,
 * a struct/union/class or enum by name, a bitfield, or a function.
 *
 * @since 0.1
 */
public sealed interface TypeRef {

    /** A base type (int, char, pointer…) by name. */
    record Base(String name) implements TypeRef {
    }

    /** A pointer to {@code subtype}. */
    record Pointer(TypeRef subtype) implements TypeRef {
    }

    /** An array of {@code count} elements. */
    record Array(int count, TypeRef subtype) implements TypeRef {
    }

    /** A struct, union or class by name (the table prefix {@code nt_symbols!} is stripped). */
    record Struct(String name) implements TypeRef {
    }

    /** An enumeration by name. */
    record Enum(String name) implements TypeRef {
    }

    /** {@code length} bits at {@code position} of a value of {@code type}. */
    record Bitfield(int position, int length, TypeRef type) implements TypeRef {
    }

    /** A function (only pointers to it have a size). */
    record Function() implements TypeRef {
    }
}
