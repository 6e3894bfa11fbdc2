package org.vestige.core.types;

import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The types and (optional) symbols of one kernel, read from an ISF file. Analyses ask for fields
 * by name ({@code offset("_EPROCESS", "ActiveProcessLinks")}) and test for a field's presence
 * instead of branching on build numbers.
 *
 * @since 0.1
 */
public final class Profile {

    private final String source;
    private final ProfileIdentity identity;
    private final boolean typesOnly;
    private final Map<String, BaseType> baseTypes;
    private final Map<String, StructType> structs;
    private final Map<String, EnumType> enums;
    private final Map<String, Long> symbols;

    Profile(String source, ProfileIdentity identity, boolean typesOnly, Map<String, BaseType> baseTypes,
            Map<String, StructType> structs, Map<String, EnumType> enums, Map<String, Long> symbols) {
        this.source = source;
        this.identity = identity;
        this.typesOnly = typesOnly;
        this.baseTypes = Collections.unmodifiableMap(baseTypes);
        this.structs = Collections.unmodifiableMap(structs);
        this.enums = Collections.unmodifiableMap(enums);
        this.symbols = Collections.unmodifiableMap(symbols);
    }

    /** @return where the profile was read from (file, bundle entry) */
    public String source() {
        return source;
    }

    public ProfileIdentity identity() {
        return identity;
    }

    /** @return true when the profile has layouts but no symbol addresses */
    public boolean typesOnly() {
        return typesOnly || symbols.isEmpty();
    }

    /** @return whether the ISF itself declared the profile types only (what {@link ProfileCodec} keeps) */
    boolean typesOnlyFlag() {
        return typesOnly;
    }

    /** @return the size of a pointer (8 on x64, 4 on x86) */
    public int pointerSize() {
        BaseType p = baseTypes.get("pointer");
        return p != null ? p.size() : identity.machineType() == 0x14c ? 4 : 8;
    }

    public Map<String, BaseType> baseTypes() {
        return baseTypes;
    }

    public Map<String, StructType> structs() {
        return structs;
    }

    public Map<String, EnumType> enums() {
        return enums;
    }

    /** @return symbol names to their RVAs (relative to the kernel base) */
    public Map<String, Long> symbols() {
        return symbols;
    }

    public Optional<StructType> struct(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /**
     * @return the struct
     * @throws NoSuchElementException naming the struct and the profile
     */
    public StructType requireStruct(String name) {
        StructType s = structs.get(name);
        if (s == null) {
            throw new NoSuchElementException("profile " + source + " has no type " + name);
        }
        return s;
    }

    /** @return the RVA of a symbol */
    public Optional<Long> symbol(String name) {
        return Optional.ofNullable(symbols.get(name));
    }

    /**
     * Resolves a dotted field path inside a struct, e.g. {@code ("_EPROCESS", "Pcb.DirectoryTableBase")},
     * following embedded structs (not pointers).
     *
     * @return the field's offset from the start of the outer struct
     * @throws NoSuchElementException naming the struct and field that does not exist
     */
    public long offset(String struct, String path) {
        return resolve(struct, path).offset();
    }

    /** @return true when every step of the dotted path exists */
    public boolean has(String struct, String path) {
        try {
            resolve(struct, path);
            return true;
        } catch (NoSuchElementException e) {
            return false;
        }
    }

    /** Resolves a dotted path to the innermost field, with its offset from the outer struct's start. */
    public Field resolve(String struct, String path) {
        StructType current = requireStruct(struct);
        long base = 0;
        Field field = null;
        for (String part : path.split("\\.")) {
            if (current == null) {
                throw new NoSuchElementException(
                        "profile " + source + ": " + struct + "." + path + " goes through a non-struct field");
            }
            final StructType in = current;
            field = current.field(part).orElseThrow(() -> new NoSuchElementException(
                    "profile " + source + ": " + in.name() + " has no field " + part));
            base += field.offset();
            current = field.type() instanceof TypeRef.Struct s ? structs.get(s.name()) : null;
        }
        return new Field(field.name(), base, field.type(), field.anonymous());
    }

    /** @return the size in bytes of a type reference (pointers by the profile's pointer size) */
    public long sizeOf(TypeRef type) {
        return switch (type) {
            case TypeRef.Base b -> {
                BaseType bt = baseTypes.get(b.name());
                if (bt == null) {
                    throw new NoSuchElementException("profile " + source + " has no base type " + b.name());
                }
                yield bt.size();
            }
            case TypeRef.Pointer p -> pointerSize();
            case TypeRef.Array a -> a.count() * sizeOf(a.subtype());
            case TypeRef.Struct s -> requireStruct(s.name()).size();
            case TypeRef.Enum e -> Optional.ofNullable(enums.get(e.name())).map(EnumType::size).orElseThrow(
                    () -> new NoSuchElementException("profile " + source + " has no enum " + e.name()));
            case TypeRef.Bitfield bf -> sizeOf(bf.type());
            case TypeRef.Function f -> 0;
        };
    }

    @Override
    public String toString() {
        return "profile " + source + " (" + identity.architecture() + ", build " + identity.build() + ", "
                + structs.size() + " types, " + symbols.size() + " symbols)";
    }
}
