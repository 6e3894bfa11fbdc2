package org.vestige.plugin.profiles.pdb;

import java.util.List;

/**
 * One record of the TPI stream, as far as a structure layout needs it. Leaf numbers and layouts are
 * CodeView facts from Microsoft's microsoft-pdb repository ({@code include/cvinfo.h}). Type indices
 * below 0x1000 are simple types ({@link SimpleType}) and have no record.
 *
 * @since 0.1
 */
public sealed interface TypeRecord {

    /** LF_STRUCTURE, LF_CLASS and LF_UNION. */
    int LF_CLASS = 0x1504;
    int LF_STRUCTURE = 0x1505;
    int LF_UNION = 0x1506;
    int LF_ENUM = 0x1507;
    int LF_MODIFIER = 0x1001;
    int LF_POINTER = 0x1002;
    int LF_PROCEDURE = 0x1008;
    int LF_MFUNCTION = 0x1009;
    int LF_FIELDLIST = 0x1203;
    int LF_BITFIELD = 0x1205;
    int LF_ARRAY = 0x1503;

    /**
     * A structure, class or union.
     *
     * @param leaf       {@link #LF_STRUCTURE}, {@link #LF_CLASS} or {@link #LF_UNION}
     * @param name       its name ({@code <unnamed-tag>} for anonymous ones)
     * @param uniqueName its decorated unique name, or null
     * @param forward    whether this is a forward reference (no layout; the definition is elsewhere)
     * @param size       its size in bytes
     * @param fieldList  the type index of its LF_FIELDLIST, 0 for none
     */
    record Aggregate(int leaf, String name, String uniqueName, boolean forward, long size, int fieldList)
            implements TypeRecord {

        /** @return "struct", "class" or "union" */
        public String kind() {
            return switch (leaf) {
                case LF_CLASS -> "class";
                case LF_UNION -> "union";
                default -> "struct";
            };
        }
    }

    /** An enumeration: its underlying type and LF_FIELDLIST of enumerators. */
    record Enum(String name, String uniqueName, boolean forward, int underlying, int fieldList) implements TypeRecord {
    }

    /** LF_MODIFIER: const/volatile/unaligned of another type. */
    record Modifier(int referent, int attributes) implements TypeRecord {
    }

    /** LF_POINTER: a pointer of {@code size} bytes (from its attributes) to {@code referent}. */
    record Pointer(int referent, int size) implements TypeRecord {
    }

    /** LF_ARRAY: {@code size} bytes of {@code element}. */
    record Array(int element, long size) implements TypeRecord {
    }

    /** LF_BITFIELD: {@code length} bits at {@code position} of {@code type}. */
    record Bitfield(int type, int length, int position) implements TypeRecord {
    }

    /** LF_PROCEDURE or LF_MFUNCTION. */
    record Procedure(int returnType) implements TypeRecord {
    }

    /**
     * LF_FIELDLIST: data members and enumerators (other members such as methods, base classes and nested
     * types are read past, not kept); {@code continuation} is the LF_INDEX that continues the list, 0 for none.
     */
    record FieldList(List<Member> members, List<Enumerator> enumerators, int continuation) implements TypeRecord {
    }

    /** Any other leaf (argument lists, method lists, vtable shapes, ...), kept by kind only. */
    record Other(int leaf) implements TypeRecord {
    }

    /** LF_MEMBER: a data member. */
    record Member(String name, int type, long offset) {
    }

    /** LF_ENUMERATE: an enumerator. */
    record Enumerator(String name, long value) {
    }
}
