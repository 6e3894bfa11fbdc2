package org.vestige.layer.aff4.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A read-only zip (and zip64) container with random access by member: the central directory is read once into
 * an in-memory index and member bytes are read with positional {@link FileChannel} reads, so stored members (the
 * AFF4 bevies) are read in place without copying the member.
 *
 * <p>Handles the zip64 end-of-central-directory record and locator, zip64 extra fields in central directory
 * entries, and containers whose offsets are shifted because something was prepended to the zip. Later central
 * directory entries with the same name win (appended volumes).
 */
public final class ZipContainer implements Closeable {

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    /** Refuse central directories larger than this (an AFF4 volume has a few entries per 64 MiB bevy). */
    private static final long MAX_CENTRAL_DIRECTORY = 256L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final String comment;
    private final Map<String, ZipMember> members;

    private ZipContainer(Path path, FileChannel channel, long fileSize, String comment, Map<String, ZipMember> members) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.comment = comment;
        this.members = members;
    }

    /**
     * Opens {@code path} read-only and reads its central directory.
     *
     * @throws ZipFormatException when the file is not a zip or its directory is truncated or corrupt
     */
    public static ZipContainer open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return read(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static ZipContainer read(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < EOCD_SIZE) {
            throw new ZipFormatException("file is " + fileSize + " bytes, too short for a zip container");
        }
        int tailLength = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
        long tailStart = fileSize - tailLength;
        ByteBuffer tail = readAt(channel, tailStart, tailLength);
        int eocd = -1;
        for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG) {
                int commentLength = tail.getShort(i + 20) & 0xFFFF;
                if (i + EOCD_SIZE + commentLength <= tailLength) {
                    eocd = i;
                    break;
                }
            }
        }
        if (eocd < 0) {
            throw new ZipFormatException("no zip end-of-central-directory record in the last " + tailLength
                    + " bytes: the volume is truncated (acquisition interrupted or copy incomplete) or is not a zip file");
        }
        long eocdPosition = tailStart + eocd;
        long entries = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        int commentLength = tail.getShort(eocd + 20) & 0xFFFF;
        byte[] commentBytes = new byte[commentLength];
        tail.get(eocd + EOCD_SIZE, commentBytes);
        String comment = new String(commentBytes, StandardCharsets.UTF_8);

        long directoryEnd = eocdPosition;
        long locator = eocdPosition - 20;
        if (locator >= 0 && readAt(channel, locator, 4).getInt(0) == ZIP64_LOCATOR_SIG) {
            ByteBuffer loc = readAt(channel, locator, 20);
            long zip64Eocd = loc.getLong(8);
            long expected = locator - 56;
            ByteBuffer z = null;
            if (zip64Eocd >= 0 && zip64Eocd + 56 <= fileSize && readAt(channel, zip64Eocd, 4).getInt(0) == ZIP64_EOCD_SIG) {
                z = readAt(channel, zip64Eocd, 56);
                directoryEnd = zip64Eocd;
            } else if (expected >= 0 && readAt(channel, expected, 4).getInt(0) == ZIP64_EOCD_SIG) {
                z = readAt(channel, expected, 56);
                directoryEnd = expected;
            }
            if (z == null) {
                throw new ZipFormatException("zip64 end-of-central-directory locator at " + locator
                        + " points to " + zip64Eocd + ", where there is no zip64 end-of-central-directory record");
            }
            entries = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        if (cdSize < 0 || cdSize > MAX_CENTRAL_DIRECTORY || cdSize > directoryEnd) {
            throw new ZipFormatException("central directory size " + cdSize + " is implausible for a file of "
                    + fileSize + " bytes");
        }
        // Something prepended to the zip shifts every offset by the same amount.
        long shift = 0;
        long actualStart = directoryEnd - cdSize;
        if (cdOffset != actualStart) {
            if (cdSize > 0 && readAt(channel, actualStart, 4).getInt(0) == CENTRAL_SIG) {
                shift = actualStart - cdOffset;
            } else if (cdOffset + cdSize > fileSize) {
                throw new ZipFormatException("central directory at " + cdOffset + " (+" + cdSize
                        + " bytes) lies beyond the end of the file (" + fileSize + " bytes): the volume is truncated");
            }
        }
        ByteBuffer cd = readAt(channel, cdOffset + shift, (int) cdSize);
        Map<String, ZipMember> members = new LinkedHashMap<>();
        int p = 0;
        for (long n = 0; n < entries; n++) {
            if (p + 46 > cdSize || cd.getInt(p) != CENTRAL_SIG) {
                throw new ZipFormatException("central directory entry " + n + " of " + entries + " at offset "
                        + (cdOffset + shift + p) + " is corrupt (no central file header signature)");
            }
            int flags = cd.getShort(p + 8) & 0xFFFF;
            int method = cd.getShort(p + 10) & 0xFFFF;
            long compressed = cd.getInt(p + 20) & 0xFFFFFFFFL;
            long size = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLength = cd.getShort(p + 28) & 0xFFFF;
            int extraLength = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            long localOffset = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if (p + 46 + nameLength + extraLength + commentLen > cdSize) {
                throw new ZipFormatException("central directory entry " + n + " runs past the directory's end");
            }
            byte[] nameBytes = new byte[nameLength];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            int e = p + 46 + nameLength;
            int extraEnd = e + extraLength;
            while (e + 4 <= extraEnd) {
                int id = cd.getShort(e) & 0xFFFF;
                int len = cd.getShort(e + 2) & 0xFFFF;
                int q = e + 4;
                if (id == 0x0001) {
                    if (size == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        size = cd.getLong(q);
                        q += 8;
                    }
                    if (compressed == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        compressed = cd.getLong(q);
                        q += 8;
                    }
                    if (localOffset == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        localOffset = cd.getLong(q);
                    }
                }
                e += 4 + len;
            }
            long local = localOffset + shift;
            if (local < 0 || local + 30 > fileSize) {
                throw new ZipFormatException("member " + name + ": local header offset " + local
                        + " lies beyond the end of the file (" + fileSize + " bytes): the volume is truncated");
            }
            ByteBuffer lh = readAt(channel, local, 30);
            if (lh.getInt(0) != LOCAL_SIG) {
                throw new ZipFormatException("member " + name + ": no local file header at offset " + local);
            }
            long dataOffset = local + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
            if (compressed < 0 || dataOffset + compressed > fileSize) {
                throw new ZipFormatException("member " + name + ": its " + compressed + " bytes at offset "
                        + dataOffset + " run past the end of the file (" + fileSize + " bytes): the volume is truncated");
            }
            members.put(name, new ZipMember(name, method, flags, compressed, size, local, dataOffset));
            p += 46 + nameLength + extraLength + commentLen;
        }
        return new ZipContainer(path, channel, fileSize, comment, Collections.unmodifiableMap(members));
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = channel.read(b, position + b.position());
            if (n < 0) {
                throw new ZipFormatException("unexpected end of file at " + (position + b.position())
                        + " while reading " + length + " bytes at " + position + ": the volume is truncated");
            }
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return fileSize;
    }

    /** @return the zip comment (Evimetry stores the volume URN there), possibly empty */
    public String comment() {
        return comment;
    }

    public Collection<ZipMember> members() {
        return members.values();
    }

    /** @return the member with this exact stored name, or null */
    public ZipMember member(String name) {
        return members.get(name);
    }

    /**
     * Reads {@code length} bytes at file offset {@code position} into {@code buffer[offset..]}. Safe for concurrent
     * callers (positional reads).
     */
    public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
        long p = position;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new EOFException(path + ": end of file at " + p + " reading " + length + " bytes at " + position);
            }
            p += n;
        }
    }

    /**
     * Reads a whole member, decompressing deflated members.
     *
     * @param maxBytes refuse members whose uncompressed size exceeds this (nothing is allocated without bound)
     */
    public byte[] readMember(ZipMember member, long maxBytes) throws IOException {
        if ((member.flags() & 1) != 0) {
            throw new ZipFormatException("member " + member.name() + " is encrypted");
        }
        if (member.size() > maxBytes || member.size() > Integer.MAX_VALUE - 16) {
            throw new ZipFormatException("member " + member.name() + " is " + member.size()
                    + " bytes, more than the " + maxBytes + " this reader loads whole");
        }
        switch (member.method()) {
            case ZipMember.STORED -> {
                if (member.compressedSize() != member.size()) {
                    throw new ZipFormatException("stored member " + member.name() + " has compressed size "
                            + member.compressedSize() + " but size " + member.size());
                }
                byte[] b = new byte[(int) member.size()];
                readFully(member.dataOffset(), b, 0, b.length);
                return b;
            }
            case ZipMember.DEFLATED -> {
                if (member.compressedSize() > Integer.MAX_VALUE - 16) {
                    throw new ZipFormatException("deflated member " + member.name() + " is too large");
                }
                byte[] in = new byte[(int) member.compressedSize()];
                readFully(member.dataOffset(), in, 0, in.length);
                byte[] out = new byte[(int) member.size()];
                Inflater inflater = new Inflater(true);
                try {
                    inflater.setInput(in);
                    int n = 0;
                    while (n < out.length && !inflater.finished()) {
                        int k = inflater.inflate(out, n, out.length - n);
                        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                            break;
                        }
                        n += k;
                    }
                    if (n != out.length) {
                        throw new ZipFormatException("deflated member " + member.name() + " inflates to " + n
                                + " bytes, the directory says " + out.length);
                    }
                    return out;
                } catch (DataFormatException e) {
                    throw new ZipFormatException("deflated member " + member.name() + " is corrupt: " + e.getMessage(), e);
                } finally {
                    inflater.end();
                }
            }
            default -> throw new ZipFormatException("member " + member.name() + " uses zip compression method "
                    + member.method() + ", which this reader does not support (only stored and deflated)");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
