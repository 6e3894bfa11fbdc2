package org.vestige.layer.vmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes VMware checkpoint state files (.vmss/.vmsn) as VMware lays them out: a 12-byte header
 * (magic, header version, group count), the group table (64-byte name, tags offset, size per group),
 * then each group's tags ended by two zero bytes. A tag is its flags byte (value size in bits 0-5,
 * index count in bits 6-7), its name's length, the name, its 32-bit indices and its value; blocks
 * (size 63) and compressed blocks (62) carry two sizes (32-bit in version 0, else 64-bit), a 16-bit
 * padding length and the padding before their data.
 */
final class CheckpointBuilder {

    private final int magic;
    private int headerVersion = 8;
    private final List<Group> groups = new ArrayList<>();

    CheckpointBuilder(int magic) {
        this.magic = magic;
    }

    CheckpointBuilder() {
        this(Checkpoint.MAGIC);
    }

    CheckpointBuilder headerVersion(int v) {
        headerVersion = v;
        return this;
    }

    Group group(String name) {
        Group g = new Group(name);
        groups.add(g);
        return g;
    }

    private boolean wide() {
        return Checkpoint.wideBlockSizes(magic);
    }

    /** One group: its tags are written in the order they are added. */
    final class Group {
        final String name;
        private final List<Tag> tags = new ArrayList<>();

        private Group(String name) {
            this.name = name;
        }

        Group value(String tag, byte[] value, int... indices) {
            if (value.length > 61) {
                throw new IllegalArgumentException("a value held in a tag has at most 61 bytes");
            }
            tags.add(new Tag(tag, indices, value.length, value, 0, 0, null));
            return this;
        }

        Group u32(String tag, long v, int... indices) {
            return value(tag, le(v, 4), indices);
        }

        Group u64(String tag, long v, int... indices) {
            return value(tag, le(v, 8), indices);
        }

        Group block(String tag, byte[] data, int padding, int... indices) {
            tags.add(new Tag(tag, indices, 63, data, data.length, padding, null));
            return this;
        }

        Group compressed(String tag, byte[] stored, long memorySize, int padding, int... indices) {
            tags.add(new Tag(tag, indices, 62, stored, memorySize, padding, null));
            return this;
        }

        /** A block whose data is streamed from a file (guest memory too large to hold twice). */
        Group block(String tag, Path data, int padding, int... indices) throws IOException {
            long size = Files.size(data);
            tags.add(new Tag(tag, indices, 63, null, size, padding, data));
            return this;
        }

        /** A raw, possibly malformed, tag record. */
        Group raw(byte[] bytes) {
            tags.add(new Tag(null, new int[0], -1, bytes, 0, 0, null));
            return this;
        }

        long length() {
            long n = 2;
            for (Tag t : tags) {
                n += t.length();
            }
            return n;
        }
    }

    private final class Tag {
        final String name;
        final int[] indices;
        final int valueSize;
        final byte[] data;
        final long memorySize;
        final int padding;
        final Path file;

        Tag(String name, int[] indices, int valueSize, byte[] data, long memorySize, int padding, Path file) {
            this.name = name;
            this.indices = indices.clone();
            this.valueSize = valueSize;
            this.data = data;
            this.memorySize = memorySize;
            this.padding = padding;
            this.file = file;
        }

        long dataLength() throws UncheckedIOException {
            try {
                return file != null ? Files.size(file) : data.length;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long length() {
            if (name == null) {
                return data.length;
            }
            long n = 2 + name.length() + 4L * indices.length;
            return valueSize >= 62 ? n + (wide() ? 16 : 8) + 2 + padding + dataLength() : n + valueSize;
        }

        void write(OutputStream out) throws IOException {
            if (name == null) {
                out.write(data);
                return;
            }
            out.write(indices.length << 6 | valueSize);
            out.write(name.length());
            out.write(name.getBytes(StandardCharsets.US_ASCII));
            for (int i : indices) {
                out.write(le(i, 4));
            }
            if (valueSize < 62) {
                out.write(data);
                return;
            }
            int width = wide() ? 8 : 4;
            out.write(le(dataLength(), width));
            out.write(le(memorySize, width));
            out.write(le(padding, 2));
            out.write(new byte[padding]);
            if (file != null) {
                Files.copy(file, out);
            } else {
                out.write(data);
            }
        }
    }

    /** @return the file's offset of the group's first tag */
    long offsetOf(String groupName) {
        long pos = 12 + 80L * groups.size();
        for (Group g : groups) {
            if (g.name.equals(groupName)) {
                return pos;
            }
            pos += g.length();
        }
        throw new IllegalArgumentException(groupName);
    }

    void write(OutputStream out) throws IOException {
        out.write(le(magic, 4));
        out.write(le(headerVersion, 4));
        out.write(le(groups.size(), 4));
        long pos = 12 + 80L * groups.size();
        for (Group g : groups) {
            byte[] name = new byte[64];
            byte[] n = g.name.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, name, 0, n.length);
            out.write(name);
            out.write(le(pos, 8));
            out.write(le(g.length(), 8));
            pos += g.length();
        }
        for (Group g : groups) {
            for (Tag t : g.tags) {
                t.write(out);
            }
            out.write(new byte[2]);
        }
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            write(out);
        }
        return file;
    }

    static byte[] le(long v, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /**
     * A memory group as VMware writes it for a guest with a PCI hole: regionsCount, then each region's
     * regionPPN (guest page), regionPageNum (page in the memory) and regionSize (pages).
     */
    static void regions(Group memory, long[][] regions) {
        memory.u32("regionsCount", regions.length);
        for (int i = 0; i < regions.length; i++) {
            memory.u32("regionPPN", regions[i][0], i);
            memory.u32("regionPageNum", regions[i][1], i);
            memory.u32("regionSize", regions[i][2], i);
        }
    }
}
