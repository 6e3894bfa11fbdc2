package org.vestige.layer.vmware;

import java.util.Arrays;
import java.util.List;

/**
 * One tag of a VMware checkpoint group: a name, up to three indices (so {@code CR64[0][3]} is CR3 of
 * vCPU 0) and a value. A tag's first two bytes are its flags (bits 0–5 the value's size, bits 6–7 the
 * number of indices) and its name's length. Sizes 0–61 are values held in the tag itself; 63 marks a
 * block and 62 a compressed block, whose data follows elsewhere in the file with its size on disk, its
 * size in memory and a padding length.
 *
 * @param name        the tag's name, e.g. {@code regionPPN}
 * @param indices     its indices, outermost first (empty when it has none)
 * @param offset      file offset of the tag's flags byte
 * @param kind        whether the value is held in the tag, a block, or a compressed block
 * @param dataOffset  file offset of the value's first byte (after the padding, for blocks)
 * @param diskSize    bytes the value occupies in the file
 * @param memorySize  bytes the value has once read (decompressed); equals {@code diskSize} for values
 * @param value       the bytes of a value held in the tag (at most 61), empty for blocks
 * @since 0.1
 */
public record CheckpointTag(String name, List<Integer> indices, long offset, Kind kind, long dataOffset,
        long diskSize, long memorySize, byte[] value) {

    /**
     * How a tag holds its value.
     *
     * @since 0.1
     */
    public enum Kind {
        /** a value of 0–61 bytes held in the tag */
        VALUE,
        /** a block: data of any size after the tag, as stored */
        BLOCK,
        /** a compressed block: data after the tag, to be decompressed to {@code memorySize} bytes */
        COMPRESSED_BLOCK
    }

    public CheckpointTag {
        indices = List.copyOf(indices);
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** @return whether the tag's indices are exactly {@code expected} */
    public boolean hasIndices(int... expected) {
        if (expected.length != indices.size()) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (indices.get(i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the value held in the tag read as a little-endian unsigned number (1 to 8 bytes) */
    public long longValue() {
        if (kind != Kind.VALUE || value.length == 0 || value.length > 8) {
            throw new IllegalStateException(label() + " holds " + describeValue() + ", not a number");
        }
        long v = 0;
        for (int i = value.length - 1; i >= 0; i--) {
            v = (v << 8) | (value[i] & 0xff);
        }
        return v;
    }

    /** @return whether the value is a number of 1 to 8 bytes held in the tag */
    public boolean isNumber() {
        return kind == Kind.VALUE && value.length >= 1 && value.length <= 8;
    }

    /** @return the tag's name with its indices, e.g. {@code CR64[0][3]} */
    public String label() {
        StringBuilder sb = new StringBuilder(name);
        for (int i : indices) {
            sb.append('[').append(i).append(']');
        }
        return sb.toString();
    }

    private String describeValue() {
        return switch (kind) {
            case VALUE -> value.length + " bytes";
            case BLOCK -> "a block of " + diskSize + " bytes";
            case COMPRESSED_BLOCK -> "a compressed block of " + diskSize + " bytes";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointTag t && name.equals(t.name) && indices.equals(t.indices) && offset == t.offset
                && kind == t.kind && dataOffset == t.dataOffset && diskSize == t.diskSize
                && memorySize == t.memorySize && Arrays.equals(value, t.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return label() + " @0x" + Long.toHexString(offset) + " (" + describeValue() + ")";
    }
}
