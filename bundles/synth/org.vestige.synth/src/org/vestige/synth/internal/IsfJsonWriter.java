package org.vestige.synth.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import org.vestige.core.types.BaseType;
import org.vestige.core.types.EnumType;
import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;
import org.vestige.core.types.TypeRef;

/**
 * Writes a Volatility 3 ISF file (xz-compressed JSON) for a synthesized image: the layouts of the
 * profile it was built from plus the symbols actually placed, under the PDB identity written into
 * the kernel's RSDS record.
 *
 * @since 0.1
 */
public final class IsfJsonWriter {

    private IsfJsonWriter() {
    }

    public static void write(Path file, Profile profile, Map<String, Long> symbolRvas, String pdbName, String guid,
            int age, int build) throws IOException {
        Json j = new Json().begin('{');
        j.key("metadata").open('{').key("format").value("6.2.0").key("producer").open('{').key("name")
                .value("vestige-synth").key("version").value("0.1").key("architecture").value("x64").end('}');
        j.key("windows").open('{').key("pdb").open('{').key("GUID").value(guid).key("age").value(age)
                .key("database").value(pdbName).key("machine_type").value(0x8664).end('}');
        j.key("pe").open('{').key("major").value(build >= 10240 ? 10 : 6).key("minor")
                .value(build >= 10240 ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : 1).key("revision").value(0)
                .key("build").value(build).end('}').end('}').end('}');
        j.key("base_types").open('{');
        for (BaseType b : new TreeMap<>(profile.baseTypes()).values()) {
            j.key(b.name()).open('{').key("kind").value(b.kind()).key("size").value(b.size()).key("signed")
                    .value(b.signed()).key("endian").value(b.littleEndian() ? "little" : "big").end('}');
        }
        j.end('}');
        j.key("user_types").open('{');
        for (StructType s : new TreeMap<>(profile.structs()).values()) {
            j.key(s.name()).open('{').key("kind").value(s.kind()).key("size").value(s.size()).key("fields").open('{');
            for (Field f : s.fields().values()) {
                j.key(f.name()).open('{').key("offset").value(f.offset());
                if (f.anonymous()) {
                    j.key("anonymous").value(true);
                }
                j.key("type");
                type(j, profile, f.type());
                j.end('}');
            }
            j.end('}').end('}');
        }
        j.end('}');
        j.key("enums").open('{');
        for (EnumType e : new TreeMap<>(profile.enums()).values()) {
            j.key(e.name()).open('{').key("size").value(e.size()).key("base").value(e.base()).key("constants")
                    .open('{');
            new TreeMap<>(e.constants()).forEach((k, v) -> j.key(k).value(v));
            j.end('}').end('}');
        }
        j.end('}');
        j.key("symbols").open('{');
        new TreeMap<>(symbolRvas).forEach((k, v) -> j.key(k).open('{').key("address").value(v).end('}'));
        j.end('}').end('}');
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(file), new LZMA2Options(3))) {
            out.write(j.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void type(Json j, Profile profile, TypeRef t) {
        j.open('{');
        switch (t) {
            case TypeRef.Base b -> j.key("kind").value("base").key("name").value(b.name());
            case TypeRef.Pointer p -> {
                j.key("kind").value("pointer").key("subtype");
                type(j, profile, p.subtype());
            }
            case TypeRef.Array a -> {
                j.key("kind").value("array").key("count").value(a.count()).key("subtype");
                type(j, profile, a.subtype());
            }
            case TypeRef.Struct s -> j.key("kind").value(profile.struct(s.name()).map(StructType::kind).orElse("struct"))
                    .key("name").value(s.name());
            case TypeRef.Enum e -> j.key("kind").value("enum").key("name").value(e.name());
            case TypeRef.Bitfield bf -> {
                j.key("kind").value("bitfield").key("bit_position").value(bf.position()).key("bit_length")
                        .value(bf.length()).key("type");
                type(j, profile, bf.type());
            }
            case TypeRef.Function f -> j.key("kind").value("function");
        }
        j.end('}');
    }
}
