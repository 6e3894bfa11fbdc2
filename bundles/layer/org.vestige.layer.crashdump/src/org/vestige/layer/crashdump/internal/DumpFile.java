package org.vestige.layer.crashdump.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * A dump file opened read-only for positional reads. Positional reads on a {@link FileChannel} do
 * not move a shared cursor, so one instance serves concurrent layer reads.
 */
public final class DumpFile implements Closeable {

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private DumpFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code path} read-only; a missing, unreadable or empty file is an {@link EvidenceException}. */
    public static DumpFile open(Path path) throws EvidenceException {
        if (!Files.exists(path)) {
            throw new EvidenceException(path, "file not found");
        }
        if (Files.isDirectory(path)) {
            throw new EvidenceException(path, "is a directory, not a dump file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new EvidenceException(path, "file not found", e);
        } catch (IOException e) {
            throw new EvidenceException(path, "cannot open for reading: " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            if (size == 0) {
                throw new EvidenceException(path, "file is empty");
            }
            return new DumpFile(path, channel, size);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EvidenceException(path, "cannot read file size: " + e.getMessage(), e);
        } catch (EvidenceException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The label used in page provenance for bytes read from this file. */
    public String source() {
        return path.toString();
    }

    public long size() {
        return size;
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset} as a little-endian buffer, or fails naming
     * {@code what} and the offset when the file is too short or unreadable.
     */
    public ByteBuffer read(long offset, int length, String what) throws EvidenceException {
        if (length < 0) {
            throw new EvidenceException(path, what + ": negative length " + length);
        }
        if (offset < 0 || offset > size || size - offset < length) {
            throw new EvidenceException(path, "%s at offset 0x%x (0x%x bytes) runs past the end of the file (0x%x bytes); the file is truncated or corrupt"
                    .formatted(what, offset, length, size));
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, offset + buffer.position());
                if (n < 0) {
                    throw new EvidenceException(path, "%s at offset 0x%x: unexpected end of file".formatted(what, offset));
                }
            }
        } catch (IOException e) {
            throw new EvidenceException(path, "%s at offset 0x%x: read failed: %s".formatted(what, offset, e.getMessage()), e);
        }
        return buffer.flip();
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} into {@code target}; returns how many bytes
     * the file holds there (fewer at the end of a truncated file).
     */
    public int readAvailable(long offset, byte[] target, int targetOffset, int length) throws IOException {
        if (offset >= size || offset < 0) {
            return 0;
        }
        int wanted = (int) Math.min(length, size - offset);
        ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, wanted);
        int done = 0;
        while (done < wanted) {
            int n = channel.read(buffer, offset + done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /**
     * Copies {@code length} bytes at {@code fileOffset} into {@code buffer} for a layer read at
     * {@code address}, reporting them as evidence; bytes past the end of a truncated file or lost to an
     * I/O error are zero-filled and reported as missing with the reason.
     *
     * @return the number of bytes the file supplied
     */
    public int copyTo(long address, long fileOffset, byte[] buffer, int position, int length, ProvenanceSink sink) {
        int got;
        String failure = null;
        try {
            got = readAvailable(fileOffset, buffer, position, length);
        } catch (IOException e) {
            got = 0;
            failure = "I/O error reading %s at offset 0x%x: %s".formatted(path, fileOffset, e.getMessage());
        }
        if (got > 0) {
            sink.accept(address, got, new PageProvenance.Evidence(source(), fileOffset));
        }
        if (got < length) {
            Arrays.fill(buffer, position + got, position + length, (byte) 0);
            String reason = failure != null ? failure
                    : "beyond the end of the dump file: offset 0x%x, but %s is only 0x%x bytes (truncated)"
                            .formatted(fileOffset + got, path.getFileName(), size);
            sink.accept(address + got, length - got, new PageProvenance.Missing(failure != null
                    ? new MissingCause.Unreadable() : new MissingCause.OutsideImage(), reason));
        }
        return got;
    }

    /** Says where the byte at {@code fileOffset} comes from without reading it. */
    public PageProvenance provenanceOf(long fileOffset) {
        if (fileOffset >= 0 && fileOffset < size) {
            return new PageProvenance.Evidence(source(), fileOffset);
        }
        return new PageProvenance.Missing(new MissingCause.OutsideImage(),
                "beyond the end of the dump file: offset 0x%x, but %s is only 0x%x bytes (truncated)"
                .formatted(fileOffset, path.getFileName(), size));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the open already failed; that failure is the one to report
        }
    }
}
