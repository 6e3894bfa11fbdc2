package org.vestige.core.types;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Profile} in a compact binary form that reads back in a fraction of the time its ISF takes (no xz, no
 * JSON): the form {@link ParsedProfiles} keeps parsed profiles in. Strings are written once and referred to by
 * number; the layout is private to this class and versioned, so a form written by another version is refused
 * rather than misread.
 *
 * @since 0.1
 */
public final class ProfileCodec {

    private static final int MAGIC = 0x56535046; // "VSPF"
    private static final int VERSION = 1;

    private ProfileCodec() {
    }

    /** Writes a profile. */
    public static void write(Profile p, DataOutputStream out) throws IOException {
        Strings strings = new Strings();
        ByteSink body = new ByteSink();
        DataOutputStream b = body.data();
        ProfileIdentity id = p.identity();
        b.writeBoolean(p.typesOnlyFlag());
        strings.write(b, id.pdbName());
        strings.write(b, id.guid());
        b.writeInt(id.age());
        b.writeInt(id.machineType());
        b.writeInt(id.major());
        b.writeInt(id.minor());
        b.writeInt(id.build());
        b.writeInt(p.baseTypes().size());
        for (BaseType t : p.baseTypes().values()) {
            strings.write(b, t.name());
            strings.write(b, t.kind());
            b.writeInt(t.size());
            b.writeBoolean(t.signed());
            b.writeBoolean(t.littleEndian());
        }
        b.writeInt(p.structs().size());
        for (StructType s : p.structs().values()) {
            strings.write(b, s.name());
            strings.write(b, s.kind());
            b.writeLong(s.size());
            b.writeInt(s.fields().size());
            for (Field f : s.fields().values()) {
                strings.write(b, f.name());
                b.writeLong(f.offset());
                b.writeBoolean(f.anonymous());
                writeType(f.type(), b, strings);
            }
        }
        b.writeInt(p.enums().size());
        for (EnumType e : p.enums().values()) {
            strings.write(b, e.name());
            b.writeInt(e.size());
            strings.write(b, e.base());
            b.writeInt(e.constants().size());
            for (Map.Entry<String, Long> c : e.constants().entrySet()) {
                strings.write(b, c.getKey());
                b.writeLong(c.getValue());
            }
        }
        b.writeInt(p.symbols().size());
        for (Map.Entry<String, Long> s : p.symbols().entrySet()) {
            strings.write(b, s.getKey());
            b.writeLong(s.getValue());
        }
        b.flush();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(strings.list.size());
        for (String s : strings.list) {
            out.writeUTF(s);
        }
        out.write(body.bytes());
        out.flush();
    }

    /**
     * Reads a profile written by {@link #write}.
     *
     * @param source what {@link Profile#source()} answers (the ISF it was parsed from)
     * @throws IOException when the bytes are not this version's form, or end early
     */
    public static Profile read(DataInputStream in, String source) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a parsed profile of version " + VERSION);
        }
        int count = in.readInt();
        if (count < 0 || count > 1 << 22) {
            throw new IOException("implausible string count " + count);
        }
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            strings[i] = in.readUTF();
        }
        Reader r = new Reader(in, strings);
        boolean typesOnly = in.readBoolean();
        ProfileIdentity identity = new ProfileIdentity(r.string(), r.string(), in.readInt(), in.readInt(), in
                .readInt(), in.readInt(), in.readInt());
        Map<String, BaseType> baseTypes = new LinkedHashMap<>();
        for (int i = r.count(); i > 0; i--) {
            BaseType t = new BaseType(r.string(), r.string(), in.readInt(), in.readBoolean(), in.readBoolean());
            baseTypes.put(t.name(), t);
        }
        Map<String, StructType> structs = new HashMap<>();
        for (int i = r.count(); i > 0; i--) {
            String name = r.string();
            String kind = r.string();
            long size = in.readLong();
            Map<String, Field> fields = new LinkedHashMap<>();
            for (int j = r.count(); j > 0; j--) {
                String fieldName = r.string();
                long offset = in.readLong();
                boolean anonymous = in.readBoolean();
                fields.put(fieldName, new Field(fieldName, offset, r.type(), anonymous));
            }
            structs.put(name, new StructType(name, kind, size, fields));
        }
        Map<String, EnumType> enums = new HashMap<>();
        for (int i = r.count(); i > 0; i--) {
            String name = r.string();
            int size = in.readInt();
            String base = r.string();
            Map<String, Long> constants = new HashMap<>();
            for (int j = r.count(); j > 0; j--) {
                constants.put(r.string(), in.readLong());
            }
            enums.put(name, new EnumType(name, size, base, constants));
        }
        Map<String, Long> symbols = new HashMap<>();
        for (int i = r.count(); i > 0; i--) {
            symbols.put(r.string(), in.readLong());
        }
        if (in.read() != -1) {
            throw new IOException("bytes after the profile");
        }
        return new Profile(source, identity, typesOnly, baseTypes, structs, enums, symbols);
    }

    private static void writeType(TypeRef t, DataOutputStream b, Strings strings) throws IOException {
        switch (t) {
            case TypeRef.Base x -> {
                b.writeByte(0);
                strings.write(b, x.name());
            }
            case TypeRef.Pointer x -> {
                b.writeByte(1);
                writeType(x.subtype(), b, strings);
            }
            case TypeRef.Array x -> {
                b.writeByte(2);
                b.writeInt(x.count());
                writeType(x.subtype(), b, strings);
            }
            case TypeRef.Struct x -> {
                b.writeByte(3);
                strings.write(b, x.name());
            }
            case TypeRef.Enum x -> {
                b.writeByte(4);
                strings.write(b, x.name());
            }
            case TypeRef.Bitfield x -> {
                b.writeByte(5);
                b.writeInt(x.position());
                b.writeInt(x.length());
                writeType(x.type(), b, strings);
            }
            case TypeRef.Function x -> b.writeByte(6);
        }
    }

    /** Numbers strings in the order they are first written; -1 stands for {@code null}. */
    private static final class Strings {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> list = new ArrayList<>();

        void write(DataOutputStream b, String s) throws IOException {
            if (s == null) {
                b.writeInt(-1);
                return;
            }
            Integer i = index.get(s);
            if (i == null) {
                i = list.size();
                index.put(s, i);
                list.add(s);
            }
            b.writeInt(i);
        }
    }

    /** Reads string numbers, counts and types, checking each against what was read so far. */
    private record Reader(DataInputStream in, String[] strings) {

        String string() throws IOException {
            int i = in.readInt();
            if (i == -1) {
                return null;
            }
            if (i < 0 || i >= strings.length) {
                throw new IOException("string number " + i + " out of range");
            }
            return strings[i];
        }

        int count() throws IOException {
            int n = in.readInt();
            if (n < 0 || n > 1 << 22) {
                throw new IOException("implausible count " + n);
            }
            return n;
        }

        TypeRef type() throws IOException {
            int kind = in.readByte();
            return switch (kind) {
                case 0 -> new TypeRef.Base(string());
                case 1 -> new TypeRef.Pointer(type());
                case 2 -> new TypeRef.Array(in.readInt(), type());
                case 3 -> new TypeRef.Struct(string());
                case 4 -> new TypeRef.Enum(string());
                case 5 -> new TypeRef.Bitfield(in.readInt(), in.readInt(), type());
                case 6 -> new TypeRef.Function();
                default -> throw new IOException("unknown type kind " + kind);
            };
        }
    }

    /** A growable byte buffer written through a {@link DataOutputStream}. */
    private static final class ByteSink {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
        private final DataOutputStream data = new DataOutputStream(bytes);

        DataOutputStream data() {
            return data;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
