package org.vestige.registry;

import static org.vestige.registry.internal.LittleEndian.i32;
import static org.vestige.registry.internal.LittleEndian.i64;
import static org.vestige.registry.internal.LittleEndian.u32;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The base block ("regf" header, the first 4096 bytes of a hive file; in memory the block
 * {@code _HHIVE.BaseBlock} points to).
 *
 * @param signatureValid    true when the block starts with "regf"
 * @param primarySequence   sequence number incremented before a write
 * @param secondarySequence sequence number incremented after a write; differs from the primary in a hive
 *                          whose last write did not complete (a "dirty" hive whose logs should be applied)
 * @param lastWritten       FILETIME of the last write
 * @param majorVersion      1
 * @param minorVersion      3 (NT 4 / 2000), 5 (XP and later), 6 (with layered keys); big data cells exist from 4 on
 * @param fileType          0 primary file, 1 transaction log, 2 (old) log, 6 (new) log
 * @param fileFormat        1 (direct memory load)
 * @param rootCellOffset    hive offset of the root key's cell
 * @param hiveBinsDataSize  size in bytes of the hive bins that follow the base block
 * @param clusteringFactor  logical sector size of the medium divided by 512 (usually 1)
 * @param fileName          the tail of the hive's path as the kernel stored it (UTF-16, at most 31 characters
 *                          plus a terminator, so a long path appears cut at the front, e.g.
 *                          {@code ?\C:\Users\x\ntuser.dat} for {@code \??\C:\Users\x\ntuser.dat})
 * @param flags             Windows 8.1+ flags (bit 0: KTM locked; bit 1: defragmented)
 * @param lastReorganized   FILETIME of the last reorganization (Windows 10; 0 when never)
 * @param storedChecksum    checksum stored at offset 0x1FC
 * @param computedChecksum  checksum of the first 508 bytes as computed here
 * @since 0.1
 */
public record BaseBlock(boolean signatureValid, long primarySequence, long secondarySequence, long lastWritten,
        int majorVersion, int minorVersion, int fileType, int fileFormat, long rootCellOffset, long hiveBinsDataSize,
        int clusteringFactor, String fileName, int flags, long lastReorganized, long storedChecksum,
        long computedChecksum) {

    /** Offset of the checksum field; the checksum covers the 508 bytes before it. */
    public static final int CHECKSUM_OFFSET = 0x1FC;

    /** Offset and size of the file name field. */
    public static final int FILE_NAME_OFFSET = 0x30;
    public static final int FILE_NAME_SIZE = 64;

    /**
     * Parses a base block without judging it; see {@link #signatureValid()} and {@link #checksumValid()}.
     *
     * @param block at least 512 bytes (4096 for the trailing fields, which read as 0 otherwise)
     */
    public static BaseBlock parse(byte[] block) {
        if (block.length < 512) {
            throw new HiveCorruptException(HiveException.NO_CELL, "base block is only " + block.length + " bytes");
        }
        boolean signature = block[0] == 'r' && block[1] == 'e' && block[2] == 'g' && block[3] == 'f';
        return new BaseBlock(signature, u32(block, 4), u32(block, 8), i64(block, 0x0C), i32(block, 0x14),
                i32(block, 0x18), i32(block, 0x1C), i32(block, 0x20), u32(block, 0x24), u32(block, 0x28),
                i32(block, 0x2C), fileName(block), i32(block, 0x90), i64(block, 0xA8), u32(block, CHECKSUM_OFFSET),
                checksum(block));
    }

    /**
     * Computes the base block checksum: the XOR of the first 127 little-endian dwords, where a result of
     * 0xFFFFFFFF is stored as 0xFFFFFFFE and 0 as 1.
     */
    public static long checksum(byte[] block) {
        int x = 0;
        for (int at = 0; at < CHECKSUM_OFFSET; at += 4) {
            x ^= i32(block, at);
        }
        if (x == -1) {
            x = -2;
        } else if (x == 0) {
            x = 1;
        }
        return x & 0xFFFF_FFFFL;
    }

    private static String fileName(byte[] block) {
        byte[] raw = Arrays.copyOfRange(block, FILE_NAME_OFFSET, FILE_NAME_OFFSET + FILE_NAME_SIZE);
        int end = 0;
        while (end + 1 < raw.length && (raw[end] != 0 || raw[end + 1] != 0)) {
            end += 2;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_16LE);
    }

    /** @return true when the stored checksum equals the computed one */
    public boolean checksumValid() {
        return storedChecksum == computedChecksum;
    }

    /** @return true when both sequence numbers agree (the last write to the file completed) */
    public boolean sequencesMatch() {
        return primarySequence == secondarySequence;
    }

    /** @return {@link #lastWritten()} as an instant */
    public Instant lastWrittenTime() {
        return Filetime.toInstant(lastWritten);
    }
}
