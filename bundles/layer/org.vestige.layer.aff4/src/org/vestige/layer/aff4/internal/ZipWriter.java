package org.vestige.layer.aff4.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip64-capable zip container sequentially: each member is written whole (local header with its sizes and
 * CRC, then its data), the central directory and end records at {@link #finish}. Members larger than 4 GiB, offsets
 * past 4 GiB and more than 65535 members use zip64 extra fields and the zip64 end records.
 */
public final class ZipWriter implements Closeable {

    private static final long MAX32 = 0xFFFFFFFFL;

    private record Entry(byte[] name, int method, long crc, long compressedSize, long size, long offset) {
    }

    private final FileChannel channel;
    private final List<Entry> entries = new ArrayList<>();
    private final boolean forceZip64;
    private final short dosTime;
    private final short dosDate;
    private long position;
    private boolean finished;

    /**
     * Creates {@code path}, which must not exist yet.
     *
     * @param forceZip64 write zip64 extra fields and end records even when the sizes do not need them
     */
    public ZipWriter(Path path, boolean forceZip64) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.forceZip64 = forceZip64;
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        this.dosTime = (short) ((now.getHour() << 11) | (now.getMinute() << 5) | (now.getSecond() / 2));
        this.dosDate = (short) (((now.getYear() - 1980) << 9) | (now.getMonthValue() << 5) | now.getDayOfMonth());
    }

    /** @return bytes written so far */
    public long position() {
        return position;
    }

    /** Adds a stored member whose data is the concatenation of {@code parts}. */
    public void addStored(String name, List<byte[]> parts) throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        for (byte[] p : parts) {
            crc.update(p);
            size += p.length;
        }
        writeMember(name, 0, crc.getValue(), size, size, parts);
    }

    public void addStored(String name, byte[] data) throws IOException {
        addStored(name, List.of(data));
    }

    /** Adds a deflated member (used for the small text members). */
    public void addDeflated(String name, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            d.setInput(data);
            d.finish();
            byte[] buf = new byte[65536];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
        } finally {
            d.end();
        }
        byte[] compressed = out.toByteArray();
        writeMember(name, 8, crc.getValue(), compressed.length, data.length, List.of(compressed));
    }

    private void writeMember(String name, int method, long crc, long compressedSize, long size, List<byte[]> parts)
            throws IOException {
        if (finished) {
            throw new IllegalStateException("zip already finished");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean zip64 = forceZip64 || compressedSize >= MAX32 || size >= MAX32;
        ByteBuffer h = le(30 + nameBytes.length + (zip64 ? 20 : 0));
        h.putInt(0x04034b50);
        h.putShort((short) (zip64 ? 45 : 20));
        h.putShort((short) (1 << 11));
        h.putShort((short) method);
        h.putShort(dosTime);
        h.putShort(dosDate);
        h.putInt((int) crc);
        h.putInt(zip64 ? -1 : (int) compressedSize);
        h.putInt(zip64 ? -1 : (int) size);
        h.putShort((short) nameBytes.length);
        h.putShort((short) (zip64 ? 20 : 0));
        h.put(nameBytes);
        if (zip64) {
            h.putShort((short) 1);
            h.putShort((short) 16);
            h.putLong(size);
            h.putLong(compressedSize);
        }
        long offset = position;
        write(h.flip());
        for (byte[] p : parts) {
            write(ByteBuffer.wrap(p));
        }
        entries.add(new Entry(nameBytes, method, crc, compressedSize, size, offset));
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b);
        }
    }

    /** Writes the central directory and end records with the zip comment (AFF4 puts the volume URN there). */
    public void finish(String comment) throws IOException {
        if (finished) {
            return;
        }
        long cdStart = position;
        for (Entry e : entries) {
            boolean big = forceZip64 || e.size >= MAX32 || e.compressedSize >= MAX32 || e.offset >= MAX32;
            ByteBuffer c = le(46 + e.name.length + (big ? 28 : 0));
            c.putInt(0x02014b50);
            c.putShort((short) (45 | (3 << 8)));
            c.putShort((short) (big ? 45 : 20));
            c.putShort((short) (1 << 11));
            c.putShort((short) e.method);
            c.putShort(dosTime);
            c.putShort(dosDate);
            c.putInt((int) e.crc);
            c.putInt(big ? -1 : (int) e.compressedSize);
            c.putInt(big ? -1 : (int) e.size);
            c.putShort((short) e.name.length);
            c.putShort((short) (big ? 28 : 0));
            c.putShort((short) 0);
            c.putShort((short) 0);
            c.putShort((short) 0);
            c.putInt(0100444 << 16);
            c.putInt(big ? -1 : (int) e.offset);
            c.put(e.name);
            if (big) {
                c.putShort((short) 1);
                c.putShort((short) 24);
                c.putLong(e.size);
                c.putLong(e.compressedSize);
                c.putLong(e.offset);
            }
            write(c.flip());
        }
        long cdSize = position - cdStart;
        boolean zip64 = forceZip64 || entries.size() >= 0xFFFF || cdStart >= MAX32 || cdSize >= MAX32;
        if (zip64) {
            long zip64Eocd = position;
            ByteBuffer z = le(56 + 20);
            z.putInt(0x06064b50);
            z.putLong(44);
            z.putShort((short) 45);
            z.putShort((short) 45);
            z.putInt(0);
            z.putInt(0);
            z.putLong(entries.size());
            z.putLong(entries.size());
            z.putLong(cdSize);
            z.putLong(cdStart);
            z.putInt(0x07064b50);
            z.putInt(0);
            z.putLong(zip64Eocd);
            z.putInt(1);
            write(z.flip());
        }
        byte[] commentBytes = comment.getBytes(StandardCharsets.UTF_8);
        ByteBuffer e = le(22 + commentBytes.length);
        e.putInt(0x06054b50);
        e.putShort((short) 0);
        e.putShort((short) 0);
        e.putShort((short) (zip64 ? 0xFFFF : entries.size()));
        e.putShort((short) (zip64 ? 0xFFFF : entries.size()));
        e.putInt(zip64 ? -1 : (int) cdSize);
        e.putInt(zip64 ? -1 : (int) cdStart);
        e.putShort((short) commentBytes.length);
        e.put(commentBytes);
        write(e.flip());
        channel.force(true);
        finished = true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
