package org.vestige.core.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What identifies one state of an evidence file without reading its bytes: its path, size, modify time, change
 * time (the inode's, which any write or metadata change moves and no ordinary tool sets back) and file key (device
 * and inode on Unix). Two identities that are equal name the same file, unchanged as far as the file system can
 * tell; anything learnt about the first (its digests, what discovery found in it) still holds for the second.
 *
 * @param path     the file's absolute, normalised path
 * @param size     its size in bytes
 * @param modified its last-modified time
 * @param changed  its status-change time, or {@code null} where the file system does not report one
 * @param key      the file system's key for the file ({@code (dev=…,ino=…)} on Unix), or "" where it has none
 * @since 0.1
 */
public record FileIdentity(Path path, long size, Instant modified, Instant changed, String key) {

    public FileIdentity {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
        key = key == null ? "" : key;
    }

    /**
     * Reads a file's identity from its attributes.
     *
     * @throws IOException if the file's attributes cannot be read
     */
    public static FileIdentity of(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class);
        Instant changed = null;
        if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            Map<String, Object> unix = Files.readAttributes(path, "unix:ctime");
            if (unix.get("ctime") instanceof FileTime ctime) {
                changed = ctime.toInstant();
            }
        }
        return new FileIdentity(path, basic.size(), basic.lastModifiedTime().toInstant(), changed,
                basic.fileKey() == null ? "" : basic.fileKey().toString());
    }

    /**
     * Says how this identity differs from an earlier one of the same path, in words an analyst can act on.
     *
     * @param earlier the identity recorded before
     * @return every difference ("its size changed from 4096 to 8192 bytes", …), empty when the two are the same
     */
    public List<String> changesSince(FileIdentity earlier) {
        List<String> changes = new ArrayList<>();
        if (!path.equals(earlier.path)) {
            changes.add("it is another path (" + earlier.path + ")");
        }
        if (!key.equals(earlier.key)) {
            changes.add("another file now has this path (file key " + earlier.key + ", now " + key + ")");
        }
        if (size != earlier.size) {
            changes.add("its size changed from " + earlier.size + " to " + size + " bytes");
        }
        if (!modified.equals(earlier.modified)) {
            changes.add("its modify time changed from " + earlier.modified + " to " + modified);
        }
        if (!Objects.equals(changed, earlier.changed)) {
            changes.add("its change time moved from " + earlier.changed + " to " + changed
                    + " (its content or attributes were written)");
        }
        return changes;
    }
}
