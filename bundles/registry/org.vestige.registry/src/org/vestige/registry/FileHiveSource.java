package org.vestige.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A hive file opened read-only. The file is mapped (hives address at most 2 GiB of cells), so reads
 * are plain memory copies and concurrent readers never contend. A file longer than that is read up
 * to the limit and the rest is reported as unavailable.
 *
 * @since 0.1
 */
public final class FileHiveSource implements HiveSource {

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final long fileSize;

    /**
     * Opens {@code file} read-only.
     *
     * @throws IOException when the file cannot be opened or mapped
     */
    public FileHiveSource(Path file) throws IOException {
        this.file = Objects.requireNonNull(file);
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            this.fileSize = channel.size();
            this.map = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(fileSize, Integer.MAX_VALUE));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public void readBaseBlock(byte[] buffer) {
        if (map.capacity() < BLOCK_SIZE) {
            throw new HiveDataMissingException(HiveException.NO_CELL, 0,
                    file + " is " + fileSize + " bytes long, shorter than a base block");
        }
        map.get(0, buffer, 0, BLOCK_SIZE);
    }

    @Override
    public long stableLength() {
        return Math.max(0, map.capacity() - BLOCK_SIZE);
    }

    @Override
    public void read(long hiveOffset, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if ((hiveOffset & VOLATILE_BIT) != 0) {
            throw new HiveDataMissingException(HiveException.NO_CELL, hiveOffset,
                    "volatile storage exists only in memory, not in a hive file");
        }
        long available = stableLength() - hiveOffset;
        if (hiveOffset < 0 || available < length) {
            long first = hiveOffset < 0 ? hiveOffset : hiveOffset + Math.max(0, available);
            String why = fileSize > Integer.MAX_VALUE
                    ? "beyond the 2 GiB a hive can address in " + file
                    : "beyond the end of " + file + " (" + fileSize + " bytes; truncated hive?)";
            throw new HiveDataMissingException(HiveException.NO_CELL, first, why);
        }
        map.get((int) (BLOCK_SIZE + hiveOffset), buffer, offset, length);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
