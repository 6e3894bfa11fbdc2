package org.vestige.layer.aff4.internal;

/**
 * One member of a zip container as its central directory records it.
 *
 * @param name              the member name as stored (AFF4 names are URN-escaped, e.g. {@code aff4%3A%2F%2F.../00000000})
 * @param method            0 = stored, 8 = deflated; anything else cannot be read
 * @param flags             general-purpose flags (bit 0: encrypted)
 * @param compressedSize    bytes of member data in the file
 * @param size              bytes after decompression
 * @param localHeaderOffset offset of the member's local header in the file
 * @param dataOffset        offset of the member's first data byte in the file (after the local header)
 */
public record ZipMember(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset,
        long dataOffset) {

    public static final int STORED = 0;
    public static final int DEFLATED = 8;

    /** @return true when the member's bytes can be read in place, without decompression */
    public boolean isStored() {
        return method == STORED;
    }
}
