package org.vestige.plugin.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vestige.plugin.profiles.pdb.PdbException;
import org.vestige.plugin.profiles.pdb.PdbFile;
import org.vestige.plugin.profiles.pdb.PublicSymbol;
import org.vestige.plugin.profiles.pdb.SimpleType;
import org.vestige.plugin.profiles.pdb.TypeRecord;
import org.vestige.plugin.profiles.pdb.TypeStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link PdbFile} as an ISF document (Volatility 3's intermediate symbol format, 6.x), the
 * same document {@link ProfileBundleWriter} takes from an ISF file:
 * <ul>
 * <li>{@code metadata.windows.pdb}: GUID (symbol-store form), age, database name and machine type;</li>
 * <li>{@code user_types}: every defined structure, class and union with its size and data members
 * (offset and type); forward references resolve by name to their definitions; anonymous ones
 * ({@code <unnamed-tag>}) are named {@code __unnamed_<type index in hex>};</li>
 * <li>{@code enums}: every defined enum with its size, base type and constants;</li>
 * <li>{@code base_types}: the simple types the others use, and {@code pointer} of the machine's size;</li>
 * <li>{@code symbols}: every public symbol whose section is known, at its RVA.</li>
 * </ul>
 * Type references become ISF type descriptors: modifiers are looked through, arrays count elements
 * of the element's size, bitfields keep position and length, procedures are functions. A chain of
 * references deeper than {@link TypeStream#MAX_DEPTH} (cyclic in a damaged file) is an error.
 *
 * @since 0.1
 */
public final class PdbIsf {

    /** The ISF format version written. */
    public static final String FORMAT = "6.2.0";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PdbFile pdb;
    private final TypeStream types;
    private final Map<String, SimpleType> baseTypes = new TreeMap<>();

    private PdbIsf(PdbFile pdb) {
        this.pdb = pdb;
        this.types = pdb.types();
    }

    /**
     * Converts a PDB.
     *
     * @param pdb      the PDB
     * @param database the PDB's file name as recorded in {@code metadata.windows.pdb.database}
     *                 (e.g. {@code ntkrnlmp.pdb})
     * @throws PdbException when a type refers to a type that is not in the stream, or the references
     *                      loop
     */
    public static ObjectNode convert(PdbFile pdb, String database) throws PdbException {
        return new PdbIsf(pdb).document(database);
    }

    /**
     * Reads a PDB file and writes it as an ISF document, ready for {@link ProfileBundleWriter#add(String,
     * String, byte[], ProfileBundleWriter.Notice)}.
     *
     * @param file  the PDB
     * @param build the Windows build to record in {@code metadata.windows.pe}, or 0 to leave the build to
     *              the bundle writer (which knows the kernels in {@link KernelVersions})
     * @return the document as JSON bytes
     * @throws IOException naming the file and what is wrong when it is not a readable PDB
     */
    public static byte[] isf(Path file, int build) throws IOException {
        ObjectNode isf = convert(PdbFile.read(file), file.getFileName().toString());
        if (build > 0) {
            KernelVersions.Version v = KernelVersions.forBuild(build);
            ((ObjectNode) isf.get("metadata").get("windows")).putObject("pe").put("major", v.major()).put("minor", v
                    .minor()).put("revision", v.revision()).put("build", v.build());
        }
        return MAPPER.writeValueAsBytes(isf);
    }

    private ObjectNode document(String database) throws PdbException {
        ObjectNode isf = JSON.objectNode();
        ObjectNode metadata = isf.putObject("metadata");
        metadata.put("format", FORMAT);
        metadata.putObject("producer").put("name", "vestige-pdb").put("version", "0.1.0");
        metadata.putObject("windows").putObject("pdb").put("GUID", pdb.info().guid()).put("age", pdb.info().age())
                .put("database", database).put("machine_type", pdb.machine());
        ObjectNode base = isf.putObject("base_types");
        ObjectNode user = isf.putObject("user_types");
        ObjectNode enums = isf.putObject("enums");
        for (int ti = types.first(); ti < types.end(); ti++) {
            TypeRecord t = types.get(ti);
            if (t instanceof TypeRecord.Aggregate a && !a.forward() && !user.has(name(ti, a.name()))) {
                user.set(name(ti, a.name()), aggregate(a));
            } else if (t instanceof TypeRecord.Enum e && !e.forward() && !enums.has(name(ti, e.name()))) {
                enums.set(name(ti, e.name()), enumeration(e, ti));
            }
        }
        ObjectNode symbols = isf.putObject("symbols");
        for (PublicSymbol p : pdb.publics()) {
            if (p.hasRva() && !symbols.has(p.name())) {
                symbols.putObject(p.name()).put("address", p.rva());
            }
        }
        baseTypes.put("pointer", new SimpleType("pointer", "int", pdb.pointerSize(), false));
        baseTypes.putIfAbsent("void", SimpleType.of(0x03));
        for (SimpleType s : baseTypes.values()) {
            base.putObject(s.name()).put("kind", s.kind()).put("size", s.size()).put("signed", s.signed()).put(
                    "endian", "little");
        }
        return isf;
    }

    /** @return the ISF name of a structure or enum: its own, or {@code __unnamed_<index>} for anonymous ones */
    private static String name(int ti, String name) {
        return TypeStream.anonymous(name) ? "__unnamed_" + Integer.toHexString(ti).toLowerCase(Locale.ROOT) : name;
    }

    private ObjectNode aggregate(TypeRecord.Aggregate a) throws PdbException {
        ObjectNode t = JSON.objectNode();
        t.put("kind", a.kind()).put("size", a.size());
        ObjectNode fields = t.putObject("fields");
        if (a.fieldList() != 0) {
            for (TypeRecord.Member m : types.members(a.fieldList())) {
                if (!m.name().isEmpty() && !fields.has(m.name())) {
                    ObjectNode f = fields.putObject(m.name());
                    f.put("offset", m.offset());
                    f.set("type", descriptor(m.type()));
                }
            }
        }
        return t;
    }

    private ObjectNode enumeration(TypeRecord.Enum e, int ti) throws PdbException {
        ObjectNode t = JSON.objectNode();
        int underlying = plain(e.underlying());
        if (underlying >= types.first()) {
            throw new PdbException(pdb.name() + ": TPI stream: enum " + e.name() + " (type 0x" + Integer.toHexString(ti)
                    + ") has " + types.describe(underlying) + " 0x" + Integer.toHexString(underlying)
                    + " as its underlying type, not an integer");
        }
        SimpleType base = simple(underlying);
        t.put("size", base.size()).put("base", base.name());
        ObjectNode constants = t.putObject("constants");
        if (e.fieldList() != 0) {
            for (TypeRecord.Enumerator c : types.enumerators(e.fieldList())) {
                if (!constants.has(c.name())) {
                    constants.put(c.name(), c.value());
                }
            }
        }
        return t;
    }

    /** @return the index with modifiers looked through */
    private int plain(int index) throws PdbException {
        int i = index;
        for (int depth = 0; depth < TypeStream.MAX_DEPTH; depth++) {
            if (!(types.get(i) instanceof TypeRecord.Modifier m)) {
                return i;
            }
            i = m.referent();
        }
        throw types.cyclic(index);
    }

    private SimpleType simple(int index) {
        SimpleType s = SimpleType.of(index);
        baseTypes.putIfAbsent(s.name(), s);
        return s;
    }

    private ObjectNode descriptor(int index) throws PdbException {
        return descriptor(index, index, 0);
    }

    private ObjectNode descriptor(int index, int from, int depth) throws PdbException {
        if (depth >= TypeStream.MAX_DEPTH) {
            throw types.cyclic(from);
        }
        ObjectNode d = JSON.objectNode();
        if (index < types.first()) {
            SimpleType s = simple(index);
            if (SimpleType.pointerSize(index) == 0) {
                return d.put("kind", "base").put("name", s.name());
            }
            d.put("kind", "pointer").putObject("subtype").put("kind", "base").put("name", s.name());
            return d;
        }
        int def = types.definition(index);
        return switch (types.get(def)) {
            case TypeRecord.Aggregate a -> d.put("kind", a.kind()).put("name", name(def, a.name()));
            case TypeRecord.Enum e -> d.put("kind", "enum").put("name", name(def, e.name()));
            case TypeRecord.Modifier m -> descriptor(m.referent(), from, depth + 1);
            case TypeRecord.Pointer p -> {
                d.put("kind", "pointer").set("subtype", descriptor(p.referent(), from, depth + 1));
                yield d;
            }
            case TypeRecord.Array a -> {
                long element = types.sizeOf(a.element());
                d.put("kind", "array").put("count", element > 0 ? a.size() / element : 0).set("subtype", descriptor(a
                        .element(), from, depth + 1));
                yield d;
            }
            case TypeRecord.Bitfield b -> {
                d.put("kind", "bitfield").put("bit_position", b.position()).put("bit_length", b.length()).set(
                        "type", descriptor(plain(b.type()), from, depth + 1));
                yield d;
            }
            case TypeRecord.Procedure p -> d.put("kind", "function");
            case null -> throw new PdbException(pdb.name() + ": TPI stream: type 0x" + Integer.toHexString(from)
                    + " refers to type 0x" + Integer.toHexString(index) + ", which is not in the stream");
            default -> d.put("kind", "base").put("name", simple(0x03).name());
        };
    }
}
