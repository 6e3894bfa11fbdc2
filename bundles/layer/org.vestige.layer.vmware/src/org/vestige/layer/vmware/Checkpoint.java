package org.vestige.layer.vmware;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.vmware.internal.CheckpointReader;

/**
 * A VMware checkpoint state file: a suspended VM's {@code .vmss} or a snapshot's {@code .vmsn}.
 *
 * <p>The file starts with a 12-byte header (a little-endian magic, a header version and the number of
 * groups), followed by the group table: one 80-byte entry per group, a NUL-padded 64-byte name, the
 * file offset of the group's tags and the group's size. A group's tags follow one another up to a
 * tag of two zero bytes (see {@link CheckpointTag}). In files whose magic's low nibble is 0
 * ({@code 0xbed2bed0}) a block's two sizes are 32-bit; in later versions they are 64-bit.
 *
 * <p>Every count and size read from the file is bounded before it is used: a corrupt or truncated
 * file gives an {@link EvidenceException} naming the file, the group, the tag and the offset.
 *
 * @since 0.1
 */
public final class Checkpoint {

    /** Magic of a version-0 checkpoint (32-bit block sizes). */
    public static final int MAGIC_V0 = 0xbed2bed0;
    /** Magic of an older checkpoint layout, also with 32-bit block sizes. */
    public static final int MAGIC_OLD = 0xbed0bed0;
    /** Magic of a checkpoint that has been restored from. */
    public static final int MAGIC_RESTORED = 0xbad1bad1;
    /** Magic of a checkpoint marked as not to be restored. */
    public static final int MAGIC_NO_RESTORE = 0xbad2bad2;
    /** Magic of a complete checkpoint. */
    public static final int MAGIC = 0xbed2bed2;
    /** Magic of a partial checkpoint. */
    public static final int MAGIC_PARTIAL = 0xbed3bed3;

    /** The most groups a file may declare (real files have a few dozen). */
    public static final int MAX_GROUPS = 4096;
    /** The most tags read from one file, over all its groups. */
    public static final int MAX_TAGS = 1_000_000;

    private final Path file;
    private final long fileSize;
    private final int magic;
    private final int headerVersion;
    private final List<CheckpointGroup> groups;

    /**
     * @param file          the state file
     * @param fileSize      its size in bytes
     * @param magic         the header's magic
     * @param headerVersion the header's second word
     * @param groups        the group table in file order
     */
    public Checkpoint(Path file, long fileSize, int magic, int headerVersion, List<CheckpointGroup> groups) {
        this.file = file;
        this.fileSize = fileSize;
        this.magic = magic;
        this.headerVersion = headerVersion;
        this.groups = List.copyOf(groups);
    }

    /** Reads the header, the group table and every group's tags. */
    public static Checkpoint read(Path file) throws EvidenceException {
        return CheckpointReader.read(file, null);
    }

    /**
     * Reads the header and the group table, and the tags of the named groups only (the others are
     * listed with {@link CheckpointGroup#read()} false).
     */
    public static Checkpoint read(Path file, Set<String> groupNames) throws EvidenceException {
        return CheckpointReader.read(file, groupNames);
    }

    /** @return whether {@code value} is one of the checkpoint magics */
    public static boolean isMagic(int value) {
        return describeMagic(value) != null;
    }

    /** @return what a magic means, or null when it is not a checkpoint magic */
    public static String describeMagic(int value) {
        return switch (value) {
            case MAGIC_V0 -> "version-0 checkpoint";
            case MAGIC_OLD -> "old checkpoint layout";
            case MAGIC_RESTORED -> "checkpoint that has been restored";
            case MAGIC_NO_RESTORE -> "checkpoint marked not to be restored";
            case MAGIC -> "checkpoint";
            case MAGIC_PARTIAL -> "partial checkpoint";
            default -> null;
        };
    }

    /** @return the format version: the magic's low four bits */
    public static int formatVersion(int magic) {
        return magic & 0xf;
    }

    /** @return whether blocks carry 64-bit sizes (format version 1 and later) */
    public static boolean wideBlockSizes(int magic) {
        return formatVersion(magic) != 0;
    }

    public Path file() {
        return file;
    }

    public long fileSize() {
        return fileSize;
    }

    public int magic() {
        return magic;
    }

    /** @return the header's second word, which VMware products raise with the checkpoint's layout */
    public int headerVersion() {
        return headerVersion;
    }

    /** @return the format version: the magic's low four bits (0 means 32-bit block sizes) */
    public int formatVersion() {
        return formatVersion(magic);
    }

    public List<CheckpointGroup> groups() {
        return groups;
    }

    /** @return the first group of this name */
    public Optional<CheckpointGroup> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * Reads a block's data as stored (compressed blocks are returned compressed).
     *
     * @param max the most bytes to read
     * @throws EvidenceException when the tag is not a block, is larger than {@code max}, or the file ends
     */
    public byte[] readBlock(CheckpointTag tag, int max) throws EvidenceException {
        return CheckpointReader.readBlock(this, tag, max);
    }
}
