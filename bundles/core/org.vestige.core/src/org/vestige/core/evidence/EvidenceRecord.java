package org.vestige.core.evidence;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What was recorded about an evidence file when the case opened it: where it is, its size and
 * modification time, when it was hashed and its digests.
 *
 * @param path     absolute path of the file
 * @param size     size in bytes
 * @param modified the file's last-modified time
 * @param openedAt when the case opened it
 * @param digests  its digests, or null when hashing was turned off for this case
 * @since 0.1
 */
public record EvidenceRecord(Path path, long size, Instant modified, Instant openedAt, Digests digests) {

    public Optional<Digests> hashes() {
        return Optional.ofNullable(digests);
    }
}
