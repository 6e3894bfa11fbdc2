package org.vestige.layer.vmware.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.vmware.Checkpoint;
import org.vestige.layer.vmware.CheckpointGroup;
import org.vestige.layer.vmware.CheckpointTag;

/**
 * Reads a checkpoint's header, group table and tags. Every count, size and offset read from the file
 * is checked against the file's length before it is used, and every failure names the group, the tag
 * and the offset, so a corrupt file is explained rather than misread.
 */
public final class CheckpointReader {

    static final int HEADER_SIZE = 12;
    static final int GROUP_ENTRY_SIZE = 80;
    static final int GROUP_NAME_SIZE = 64;
    private static final int BLOCK = 63;
    private static final int COMPRESSED_BLOCK = 62;

    private final Path file;
    private final Window in;
    private final boolean wide;
    private int tagCount;

    private CheckpointReader(Path file, Window in, boolean wide) {
        this.file = file;
        this.in = in;
        this.wide = wide;
    }

    /**
     * @param groupNames the groups whose tags to read, or null for all
     */
    public static Checkpoint read(Path file, Set<String> groupNames) throws EvidenceException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Window in = new Window(ch);
            long size = in.size();
            if (size < HEADER_SIZE) {
                throw new EvidenceException(file, "truncated: " + size
                        + " bytes, shorter than the 12-byte checkpoint header");
            }
            int magic = (int) in.u32(0);
            if (!Checkpoint.isMagic(magic)) {
                throw new EvidenceException(file, "not a VMware checkpoint: magic at offset 0 is 0x"
                        + Integer.toHexString(magic));
            }
            int version = (int) in.u32(4);
            long count = in.u32(8);
            if (count == 0 || count > Checkpoint.MAX_GROUPS) {
                throw new EvidenceException(file, "corrupt header at offset 0x8: " + count
                        + " groups (expected 1 to " + Checkpoint.MAX_GROUPS + ")");
            }
            long tableEnd = HEADER_SIZE + count * GROUP_ENTRY_SIZE;
            if (tableEnd > size) {
                throw new EvidenceException(file, "truncated: the group table of " + count
                        + " entries ends at 0x" + Long.toHexString(tableEnd) + ", past the end of the file (" + size
                        + " bytes)");
            }
            CheckpointReader r = new CheckpointReader(file, in, Checkpoint.wideBlockSizes(magic));
            List<CheckpointGroup> groups = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long entry = HEADER_SIZE + (long) i * GROUP_ENTRY_SIZE;
                String name = r.groupName(entry, i);
                long offset = in.u64(entry + GROUP_NAME_SIZE);
                long groupSize = in.u64(entry + GROUP_NAME_SIZE + 8);
                if (offset >= size && offset - size < (1L << 40)) {
                    throw new EvidenceException(file, "truncated: group '" + name + "' (entry " + i + " at offset 0x"
                            + Long.toHexString(entry) + ") starts its tags at 0x" + Long.toHexString(offset)
                            + ", past the end of the file (" + size + " bytes)");
                }
                if (offset < tableEnd || offset >= size) {
                    throw new EvidenceException(file, "corrupt group table: group '" + name + "' (entry " + i
                            + " at offset 0x" + Long.toHexString(entry) + ") places its tags at 0x"
                            + Long.toHexString(offset) + ", outside the file's 0x" + Long.toHexString(tableEnd)
                            + "–0x" + Long.toHexString(size));
                }
                boolean wanted = groupNames == null || groupNames.contains(name);
                groups.add(new CheckpointGroup(name, offset, groupSize, wanted ? r.tags(name, offset) : List.of(),
                        wanted));
            }
            return new Checkpoint(file, size, magic, version, groups);
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private String groupName(long entry, int index) throws IOException, EvidenceException {
        byte[] raw = in.bytes(entry, GROUP_NAME_SIZE);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        for (int i = 0; i < len; i++) {
            if (raw[i] < 0x20 || raw[i] > 0x7e) {
                throw new EvidenceException(file, "corrupt group table: the name of group entry " + index
                        + " at offset 0x" + Long.toHexString(entry) + " is not text (byte 0x"
                        + Integer.toHexString(raw[i] & 0xff) + " at offset 0x" + Long.toHexString(entry + i) + ")");
            }
        }
        return new String(raw, 0, len, StandardCharsets.US_ASCII);
    }

    private List<CheckpointTag> tags(String group, long start) throws IOException, EvidenceException {
        List<CheckpointTag> tags = new ArrayList<>();
        long size = in.size();
        long pos = start;
        while (true) {
            String where = "group '" + group + "', tag " + (tags.size() + 1) + " at offset 0x" + Long.toHexString(pos);
            if (pos + 2 > size) {
                throw truncated(where, "its header", pos + 2);
            }
            int flags = in.u8(pos);
            int nameLength = in.u8(pos + 1);
            if (flags == 0 && nameLength == 0) {
                return tags;
            }
            if (nameLength == 0) {
                throw new EvidenceException(file, "corrupt " + where + ": flags 0x" + Integer.toHexString(flags)
                        + " but an empty name");
            }
            if (++tagCount > Checkpoint.MAX_TAGS) {
                throw new EvidenceException(file, "corrupt " + where + ": more than " + Checkpoint.MAX_TAGS
                        + " tags in the file");
            }
            long p = pos + 2;
            if (p + nameLength > size) {
                throw truncated(where, "its name", p + nameLength);
            }
            byte[] nameBytes = in.bytes(p, nameLength);
            for (byte b : nameBytes) {
                if (b < 0x20 || b > 0x7e) {
                    throw new EvidenceException(file, "corrupt " + where + ": the name is not text (byte 0x"
                            + Integer.toHexString(b & 0xff) + ")");
                }
            }
            String name = new String(nameBytes, StandardCharsets.US_ASCII);
            where = "group '" + group + "', tag '" + name + "' at offset 0x" + Long.toHexString(pos);
            p += nameLength;
            int indexCount = (flags >> 6) & 3;
            if (p + 4L * indexCount > size) {
                throw truncated(where, "its indices", p + 4L * indexCount);
            }
            List<Integer> indices = new ArrayList<>(indexCount);
            for (int i = 0; i < indexCount; i++) {
                indices.add((int) in.u32(p));
                p += 4;
            }
            int valueSize = flags & 0x3f;
            CheckpointTag tag;
            if (valueSize == BLOCK || valueSize == COMPRESSED_BLOCK) {
                int width = wide ? 8 : 4;
                if (p + 2L * width + 2 > size) {
                    throw truncated(where, "its block sizes", p + 2L * width + 2);
                }
                long diskSize = wide ? in.u64(p) : in.u32(p);
                long memorySize = wide ? in.u64(p + width) : in.u32(p + width);
                int padding = in.u16(p + 2L * width);
                long data = p + 2L * width + 2 + padding;
                if (diskSize < 0 || memorySize < 0) {
                    throw new EvidenceException(file, "corrupt " + where + ": block size 0x"
                            + Long.toHexString(diskSize) + " / 0x" + Long.toHexString(memorySize)
                            + " is not a file size");
                }
                if (data > size || diskSize > size - data) {
                    throw new EvidenceException(file, "truncated at " + where + ": its block of " + diskSize
                            + " bytes at 0x" + Long.toHexString(data) + " runs past the end of the file (" + size
                            + " bytes)");
                }
                tag = new CheckpointTag(name, indices, pos, valueSize == BLOCK ? CheckpointTag.Kind.BLOCK
                        : CheckpointTag.Kind.COMPRESSED_BLOCK, data, diskSize, memorySize, new byte[0]);
                pos = data + diskSize;
            } else {
                if (p + valueSize > size) {
                    throw truncated(where, "its " + valueSize + "-byte value", p + valueSize);
                }
                tag = new CheckpointTag(name, indices, pos, CheckpointTag.Kind.VALUE, p, valueSize, valueSize,
                        in.bytes(p, valueSize));
                pos = p + valueSize;
            }
            tags.add(tag);
        }
    }

    private EvidenceException truncated(String where, String what, long end) throws IOException {
        return new EvidenceException(file, "truncated at " + where + ": " + what + " would end at 0x"
                + Long.toHexString(end) + ", past the end of the file (" + in.size() + " bytes)");
    }

    /** Reads a block's stored bytes. */
    public static byte[] readBlock(Checkpoint c, CheckpointTag tag, int max) throws EvidenceException {
        if (tag.kind() == CheckpointTag.Kind.VALUE) {
            throw new EvidenceException(c.file(), "tag '" + tag.label() + "' at offset 0x"
                    + Long.toHexString(tag.offset()) + " holds a value, not a block");
        }
        if (tag.diskSize() > max) {
            throw new EvidenceException(c.file(), "tag '" + tag.label() + "' at offset 0x"
                    + Long.toHexString(tag.offset()) + " is a block of " + tag.diskSize() + " bytes, more than the "
                    + max + " asked for");
        }
        try (FileChannel ch = FileChannel.open(c.file(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) tag.diskSize());
            while (b.hasRemaining()) {
                if (ch.read(b, tag.dataOffset() + b.position()) < 0) {
                    throw new EvidenceException(c.file(), "truncated: the block of tag '" + tag.label()
                            + "' at offset 0x" + Long.toHexString(tag.offset()) + " ends past the end of the file");
                }
            }
            return b.array();
        } catch (IOException e) {
            throw new EvidenceException(c.file(), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** A read-ahead window over the file, so walking thousands of small tags costs few system calls. */
    private static final class Window {
        private static final int SIZE = 64 * 1024;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        private long start = -1;
        private int length;

        Window(FileChannel ch) throws IOException {
            this.ch = ch;
            this.size = ch.size();
        }

        long size() {
            return size;
        }

        /** Makes [pos, pos+n) resident; callers have checked that it lies inside the file. */
        private int at(long pos, int n) throws IOException {
            if (start < 0 || pos < start || pos + n > start + length) {
                buf.clear();
                int want = (int) Math.min(SIZE, size - pos);
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("the file shrank while it was read (at 0x"
                                + Long.toHexString(pos + buf.position()) + ")");
                    }
                }
                start = pos;
                length = want;
            }
            return (int) (pos - start);
        }

        int u8(long pos) throws IOException {
            return buf.get(at(pos, 1)) & 0xff;
        }

        int u16(long pos) throws IOException {
            return buf.getShort(at(pos, 2)) & 0xffff;
        }

        long u32(long pos) throws IOException {
            return buf.getInt(at(pos, 4)) & 0xffffffffL;
        }

        long u64(long pos) throws IOException {
            return buf.getLong(at(pos, 8));
        }

        byte[] bytes(long pos, int n) throws IOException {
            byte[] out = new byte[n];
            buf.get(at(pos, n), out);
            return out;
        }
    }
}
