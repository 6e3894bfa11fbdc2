package org.vestige.core.evidence;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What was recorded about an evidence file when the case opened it: where it is, its size and
 * modification time, its digests and when and how they were taken.
 *
 * @param path      absolute path of the file
 * @param size      size in bytes
 * @param modified  the file's last-modified time
 * @param openedAt  when the case opened it
 * @param digests   its digests, or null when it was not hashed (hashing turned off and no cached digests)
 * @param hashedAt  when the digests were taken (when this case opened the file, or on an earlier open whose
 *                  digests the {@linkplain CaseCache case cache} kept), or null with them
 * @param fromCache whether the digests come from the case cache instead of being computed by this open
 * @since 0.1
 */
public record EvidenceRecord(Path path, long size, Instant modified, Instant openedAt, Digests digests,
        Instant hashedAt, boolean fromCache) {

    /** A record whose digests, if any, were computed as the case opened the file. */
    public EvidenceRecord(Path path, long size, Instant modified, Instant openedAt, Digests digests) {
        this(path, size, modified, openedAt, digests, digests == null ? null : openedAt, false);
    }

    public Optional<Digests> hashes() {
        return Optional.ofNullable(digests);
    }

    /** @return where the digests come from, for a report: "computed on open" or "case cache, taken at …" */
    public String digestOrigin() {
        if (digests == null) {
            return "not hashed";
        }
        return fromCache ? "from the case cache, taken at " + hashedAt : "computed when the case opened it";
    }
}
