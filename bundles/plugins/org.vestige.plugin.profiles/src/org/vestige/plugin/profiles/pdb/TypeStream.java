package org.vestige.plugin.profiles.pdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TPI stream (stream 2): its header and every type record, by type index, with forward
 * references resolved to their definitions by unique name, else by name. Header and record layouts
 * are facts from Microsoft's microsoft-pdb repository ({@code PDB/include/tpi.h},
 * {@code include/cvinfo.h}) and LLVM's "The PDB TPI and IPI Streams" documentation.
 *
 * <p>Chains of references (modifiers, arrays, field-list continuations) are followed at most
 * {@link #MAX_DEPTH} deep, so a cyclic chain in a damaged file is an error naming the type, not a hang.
 *
 * @since 0.1
 */
public final class TypeStream {

    /** How deep a chain of type references is followed before it is taken as cyclic. */
    public static final int MAX_DEPTH = 64;

    private static final int HEADER_SIZE = 56;
    private static final int PROPERTY_FORWARD = 0x80;
    private static final int PROPERTY_UNIQUE_NAME = 0x200;

    private final String where;
    private final int first;
    private final TypeRecord[] records;
    private final Map<String, Integer> definitions = new HashMap<>();

    private TypeStream(String where, int first, TypeRecord[] records) {
        this.where = where;
        this.first = first;
        this.records = records;
        for (int i = 0; i < records.length; i++) {
            // anonymous types share one name (and unique name): a forward reference cannot name its definition
            if (records[i] instanceof TypeRecord.Aggregate a && !a.forward() && !anonymous(a.name())) {
                definitions.putIfAbsent(key(a.leaf(), a.uniqueName(), a.name()), first + i);
            } else if (records[i] instanceof TypeRecord.Enum e && !e.forward() && !anonymous(e.name())) {
                definitions.putIfAbsent(key(TypeRecord.LF_ENUM, e.uniqueName(), e.name()), first + i);
            }
        }
    }

    /**
     * @return whether a structure or enum name is the compiler's placeholder for an anonymous type
     *         ({@code <unnamed-tag>}, {@code <anonymous-tag>}, {@code __unnamed...}) rather than a name
     */
    public static boolean anonymous(String name) {
        return name.isEmpty() || name.startsWith("<unnamed-") || name.startsWith("<anonymous-") || name.startsWith(
                "__unnamed");
    }

    private static String key(int leaf, String uniqueName, String name) {
        // a forward LF_CLASS may be defined by an LF_STRUCTURE of the same name and the other way round
        int family = leaf == TypeRecord.LF_ENUM ? 2 : leaf == TypeRecord.LF_UNION ? 1 : 0;
        return family + (uniqueName != null ? "u" + uniqueName : "n" + name);
    }

    /** Parses the TPI stream. */
    static TypeStream read(byte[] stream, String where) throws PdbException {
        Cursor c = new Cursor(stream, where);
        c.u32("the TPI version");
        int headerSize = c.count("the TPI header size", stream.length);
        int begin = c.count("the first type index", Integer.MAX_VALUE);
        int end = c.count("the end type index", Integer.MAX_VALUE);
        int recordBytes = c.count("the type record bytes", stream.length);
        if (headerSize < HEADER_SIZE) {
            throw c.error("TPI header size " + headerSize + " is less than " + HEADER_SIZE);
        }
        if (begin < SimpleType.FIRST_RECORD || end < begin || (end - begin) > recordBytes / 4) {
            throw c.error("type indices 0x" + Integer.toHexString(begin) + "–0x" + Integer.toHexString(end)
                    + " do not fit " + recordBytes + " bytes of records");
        }
        c.seek(headerSize);
        Cursor body = c.slice(recordBytes, "the type records");
        TypeRecord[] records = new TypeRecord[end - begin];
        for (int i = 0; i < records.length; i++) {
            int ti = begin + i;
            int length = body.u16("the length of type 0x" + Integer.toHexString(ti));
            Cursor r = body.slice(length, "type 0x" + Integer.toHexString(ti) + " (" + length + " bytes)",
                    where + ", type 0x" + Integer.toHexString(ti) + " at offset 0x" + Integer.toHexString(body
                            .position() - length));
            records[i] = record(r);
        }
        return new TypeStream(where, begin, records);
    }

    private static TypeRecord record(Cursor r) throws PdbException {
        int leaf = r.u16("the record kind");
        return switch (leaf) {
            case TypeRecord.LF_CLASS, TypeRecord.LF_STRUCTURE, TypeRecord.LF_UNION -> aggregate(r, leaf);
            case TypeRecord.LF_ENUM -> {
                r.u16("count");
                int property = r.u16("property");
                int underlying = r.i32("underlying type");
                int fields = r.i32("field list");
                String name = r.cstring("name");
                String unique = (property & PROPERTY_UNIQUE_NAME) != 0 && r.remaining() > 0 ? r.cstring(
                        "unique name") : null;
                yield new TypeRecord.Enum(name, unique, (property & PROPERTY_FORWARD) != 0, underlying, fields);
            }
            case TypeRecord.LF_MODIFIER -> new TypeRecord.Modifier(r.i32("referent"), r.u16("attributes"));
            case TypeRecord.LF_POINTER -> {
                int referent = r.i32("referent");
                yield new TypeRecord.Pointer(referent, (int) (r.u32("attributes") >> 13) & 0x3f);
            }
            case TypeRecord.LF_ARRAY -> {
                int element = r.i32("element type");
                r.i32("index type");
                yield new TypeRecord.Array(element, r.numeric("size"));
            }
            case TypeRecord.LF_BITFIELD -> {
                int type = r.i32("type");
                int length = r.u8("bit length");
                yield new TypeRecord.Bitfield(type, length, r.u8("bit position"));
            }
            case TypeRecord.LF_PROCEDURE, TypeRecord.LF_MFUNCTION -> new TypeRecord.Procedure(r.i32(
                    "return type"));
            case TypeRecord.LF_FIELDLIST -> FieldListReader.read(r);
            default -> new TypeRecord.Other(leaf);
        };
    }

    private static TypeRecord aggregate(Cursor r, int leaf) throws PdbException {
        r.u16("member count");
        int property = r.u16("property");
        int fields = r.i32("field list");
        if (leaf != TypeRecord.LF_UNION) {
            r.i32("derivation list");
            r.i32("vtable shape");
        }
        long size = r.numeric("size");
        String name = r.cstring("name");
        String unique = (property & PROPERTY_UNIQUE_NAME) != 0 && r.remaining() > 0 ? r.cstring("unique name")
                : null;
        return new TypeRecord.Aggregate(leaf, name, unique, (property & PROPERTY_FORWARD) != 0, size, fields);
    }

    /** @return the first type index with a record (0x1000 in every PDB written by Microsoft's tools) */
    public int first() {
        return first;
    }

    /** @return one past the last type index */
    public int end() {
        return first + records.length;
    }

    /** @return the record of a type index, or null for simple types and indices outside the stream */
    public TypeRecord get(int index) {
        int i = index - first;
        return i >= 0 && i < records.length ? records[i] : null;
    }

    /**
     * @return the index of the definition of a forward-referenced structure, union, class or enum
     *         (matched by unique name, else by name), the index itself when it is a definition, or the
     *         index itself when no definition exists
     */
    public int definition(int index) {
        TypeRecord t = get(index);
        Integer d = switch (t) {
            case TypeRecord.Aggregate a when a.forward() -> definitions.get(key(a.leaf(), a.uniqueName(), a.name()));
            case TypeRecord.Enum e when e.forward() -> definitions.get(key(TypeRecord.LF_ENUM, e.uniqueName(),
                    e.name()));
            case null, default -> null;
        };
        return d != null ? d : index;
    }

    /**
     * The members of an aggregate's field list, following LF_INDEX continuations.
     *
     * @throws PdbException when the field list index is not a field list or the continuations loop
     */
    public List<TypeRecord.Member> members(int fieldList) throws PdbException {
        List<TypeRecord.Member> out = new ArrayList<>();
        for (TypeRecord.FieldList l : fieldLists(fieldList)) {
            out.addAll(l.members());
        }
        return out;
    }

    /** The enumerators of an enum's field list, following LF_INDEX continuations. */
    public List<TypeRecord.Enumerator> enumerators(int fieldList) throws PdbException {
        List<TypeRecord.Enumerator> out = new ArrayList<>();
        for (TypeRecord.FieldList l : fieldLists(fieldList)) {
            out.addAll(l.enumerators());
        }
        return out;
    }

    private List<TypeRecord.FieldList> fieldLists(int index) throws PdbException {
        List<TypeRecord.FieldList> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = index; i != 0; ) {
            if (!seen.add(i)) {
                throw new PdbException(where + ": field list 0x" + Integer.toHexString(index)
                        + " continues into itself at 0x" + Integer.toHexString(i));
            }
            if (!(get(i) instanceof TypeRecord.FieldList l)) {
                throw new PdbException(where + ": type 0x" + Integer.toHexString(i) + " should be a field list but is "
                        + describe(i));
            }
            out.add(l);
            i = l.continuation();
        }
        return out;
    }

    /**
     * The size in bytes of a type: simple types by kind, pointers by their attributes, modifiers by
     * what they modify, aggregates and arrays as recorded, enums by their underlying type, forward
     * references by their definition.
     *
     * @throws PdbException when the chain of references is cyclic or deeper than {@link #MAX_DEPTH}
     */
    public long sizeOf(int index) throws PdbException {
        int i = index;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (i < first) {
                int p = SimpleType.pointerSize(i);
                return p != 0 ? p : SimpleType.of(i).size();
            }
            TypeRecord t = get(definition(i));
            switch (t) {
                case TypeRecord.Aggregate a -> {
                    return a.size();
                }
                case TypeRecord.Array a -> {
                    return a.size();
                }
                case TypeRecord.Pointer p -> {
                    return p.size();
                }
                case TypeRecord.Modifier m -> i = m.referent();
                case TypeRecord.Enum e -> i = e.underlying();
                case TypeRecord.Bitfield b -> i = b.type();
                case null -> throw new PdbException(where + ": type 0x" + Integer.toHexString(i)
                        + " is referred to but not in the stream (0x" + Integer.toHexString(first) + "–0x"
                        + Integer.toHexString(end()) + ")");
                default -> {
                    return 0;
                }
            }
        }
        throw cyclic(index);
    }

    /** @return an error saying the chain of references from this type loops or is too deep */
    public PdbException cyclic(int index) {
        return new PdbException(where + ": the references from type 0x" + Integer.toHexString(index)
                + " loop or are more than " + MAX_DEPTH + " deep");
    }

    /** @return a short description of a type index, for messages */
    public String describe(int index) {
        if (index < first) {
            return "simple type 0x" + Integer.toHexString(index);
        }
        TypeRecord t = get(index);
        return t == null ? "missing" : t.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return every record, by type index from {@link #first()} */
    public List<TypeRecord> records() {
        return java.util.Arrays.asList(records.clone());
    }
}
