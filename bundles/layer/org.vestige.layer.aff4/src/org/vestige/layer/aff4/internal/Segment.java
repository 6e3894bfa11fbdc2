package org.vestige.layer.aff4.internal;

import java.io.IOException;

/**
 * A zip member found by its AFF4 URN, with the container (volume file) that holds it.
 *
 * @param urn       the member's URN (e.g. {@code aff4://.../00000000.index})
 * @param container the volume file
 * @param member    its central-directory entry
 */
public record Segment(String urn, ZipContainer container, ZipMember member) {

    /** Finds segments by URN across the opened volumes. */
    @FunctionalInterface
    public interface Locator {
        /** @return the segment named {@code urn}, or null when no opened volume holds it */
        Segment find(String urn);
    }

    /** Reads the whole segment (decompressing a deflated member), refusing more than {@code maxBytes}. */
    public byte[] readAll(long maxBytes) throws IOException {
        return container.readMember(member, maxBytes);
    }

    /** @return where the segment is, for messages: {@code urn in file} */
    public String describe() {
        return urn + " (member " + member.name() + " of " + container.path().getFileName() + ")";
    }
}
