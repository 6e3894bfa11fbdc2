package org.vestige.core.evidence;

import java.nio.file.Path;

/**
 * An evidence format (raw, AFF4, crash dump, VMware snapshot…), contributed through the
 * {@code org.vestige.core.formats} extension point. Implementations are plain Java: they need no
 * Eclipse API, so they also work as plain jars.
 *
 * <p>{@link #probe} must be cheap (headers only) and must explain itself, whether it accepts the
 * file or not; {@link #open} opens the file read-only.
 *
 * @since 0.1
 */
public interface EvidenceFormat {

    /** Looks at the file's headers and says how confident this format is that it can open it, and why. */
    ProbeResult probe(Path file);

    /**
     * Opens the evidence read-only as a physical memory layer (and whatever backing files travel
     * inside it, such as the pagefile streams of a WinPmem AFF4 volume).
     *
     * @throws EvidenceException when the file cannot be opened, with a message naming the file and the problem
     */
    OpenedEvidence open(Path file) throws EvidenceException;

    /**
     * Opens the evidence together with further files of the same evidence set (the other volumes of a multi-file
     * AFF4 set). A format whose evidence is always one file refuses companions.
     *
     * @param companions the further files, in the order the analyst gave them; empty for a single file
     * @throws EvidenceException when a file cannot be opened, or the format takes no companion files
     * @since 0.1
     */
    default OpenedEvidence open(Path file, java.util.List<Path> companions) throws EvidenceException {
        if (!companions.isEmpty()) {
            throw new EvidenceException(file, "this evidence format opens one file; " + companions.size()
                    + " further file(s) were given with it (" + companions.stream().map(p -> p.getFileName()
                            .toString()).collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        return open(file);
    }
}
