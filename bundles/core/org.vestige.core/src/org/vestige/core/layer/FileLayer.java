package org.vestige.core.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read as an address space, byte for byte: offset N of the file is address N. Used for raw
 * memory images and for paging files (which have no header).
 *
 * <p>The file is opened read-only and memory-mapped in 1 GiB segments, so small reads (page-table
 * entries, structure fields) cost no system call and files of any size work. Addresses at or past
 * the end of the file read as {@link PageProvenance.Missing}. Reads are thread-safe.
 *
 * @since 0.1
 */
public final class FileLayer implements Layer {

    private static final int SEGMENT_BITS = 30;
    private static final long SEGMENT_SIZE = 1L << SEGMENT_BITS;

    private final Path path;
    private final String name;
    private final String source;
    private final FileChannel channel;
    private final long length;
    private final MappedByteBuffer[] segments;
    /** Set by {@link #close()}: the mappings outlive the channel, so reads must be refused explicitly. */
    private volatile boolean closed;

    private FileLayer(Path path, String name, FileChannel channel) throws IOException {
        this.path = path;
        this.name = name;
        this.source = path.getFileName().toString();
        this.channel = channel;
        this.length = channel.size();
        int count = (int) ((length + SEGMENT_SIZE - 1) >>> SEGMENT_BITS);
        this.segments = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long start = (long) i << SEGMENT_BITS;
            segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(SEGMENT_SIZE, length - start));
        }
    }

    /**
     * Opens a file read-only.
     *
     * @param name the layer's display name
     */
    public static FileLayer open(Path path, String name) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileLayer(path, name, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the file's length: every address below it is backed by the file */
    @Override
    public long size() {
        return length;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int len, ProvenanceSink sink) {
        java.util.Objects.checkFromIndexSize(offset, len, buffer.length);
        if (len == 0) {
            return 0;
        }
        int available = 0;
        if (address >= 0 && address < length) {
            available = (int) Math.min(len, length - address);
            copy(address, buffer, offset, available);
            sink.accept(address, available, new PageProvenance.Evidence(source, address));
        }
        if (available < len) {
            int missing = len - available;
            java.util.Arrays.fill(buffer, offset + available, offset + len, (byte) 0);
            sink.accept(address + available, missing,
                    new PageProvenance.Missing(new MissingCause.OutsideImage(),
                            "beyond the end of " + source + " (" + length + " bytes)"));
        }
        return available;
    }

    private void copy(long address, byte[] buffer, int offset, int len) {
        if (closed) {
            // a scan still running on a closed case stops here instead of reading on
            throw new UncheckedIOException(new java.nio.channels.ClosedChannelException() {
                private static final long serialVersionUID = 1L;

                @Override
                public String getMessage() {
                    return path + " is closed";
                }
            });
        }
        try {
            while (len > 0) {
                int seg = (int) (address >>> SEGMENT_BITS);
                int within = (int) (address & (SEGMENT_SIZE - 1));
                int n = Math.min(len, segments[seg].capacity() - within);
                segments[seg].get(within, buffer, offset, n);
                address += n;
                offset += n;
                len -= n;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new UncheckedIOException(new IOException(path + " changed size while it was open", e));
        }
    }

    @Override
    public PageProvenance provenance(long address) {
        return address >= 0 && address < length ? new PageProvenance.Evidence(source, address)
                : new PageProvenance.Missing(new MissingCause.OutsideImage(), "beyond the end of " + source);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
