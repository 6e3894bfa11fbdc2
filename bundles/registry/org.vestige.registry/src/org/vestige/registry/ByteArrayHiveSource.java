package org.vestige.registry;

import java.util.Objects;

/**
 * A hive file held in memory (a base block followed by the hive bins), e.g. a hive written by
 * {@link HiveWriter} or a file read whole.
 *
 * @since 0.1
 */
public final class ByteArrayHiveSource implements HiveSource {

    private final String name;
    private final byte[] bytes;

    /**
     * @param name  name for messages
     * @param bytes the hive file's bytes; not copied, so callers must not change them while reading
     */
    public ByteArrayHiveSource(String name, byte[] bytes) {
        this.name = Objects.requireNonNull(name);
        this.bytes = Objects.requireNonNull(bytes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void readBaseBlock(byte[] buffer) {
        if (bytes.length < BLOCK_SIZE) {
            throw new HiveDataMissingException(HiveException.NO_CELL, 0,
                    name + " is " + bytes.length + " bytes long, shorter than a base block");
        }
        System.arraycopy(bytes, 0, buffer, 0, BLOCK_SIZE);
    }

    @Override
    public long stableLength() {
        return Math.max(0, bytes.length - BLOCK_SIZE);
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
            throw new HiveDataMissingException(HiveException.NO_CELL, first,
                    "beyond the end of " + name + " (hive bins end at " + Offsets.hex(stableLength()) + ")");
        }
        System.arraycopy(bytes, (int) (BLOCK_SIZE + hiveOffset), buffer, offset, length);
    }
}
