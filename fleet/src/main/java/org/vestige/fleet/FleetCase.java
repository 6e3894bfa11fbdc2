package org.vestige.fleet;

import java.io.Serializable;
import java.util.List;

/**
 * One line of the manifest: a machine's memory image and the paging files taken with it.
 *
 * @param ordinal   the line's place among the manifest's cases (0 for the first), which names its staged files
 * @param caseId    the case's id, as the manifest gives it; every row written for the case carries it
 * @param image     the memory image's URI on any Hadoop file system (a plain path is a local file)
 * @param pagefiles the URIs of pagefile.sys and swapfile.sys taken with the image, possibly none
 */
public record FleetCase(int ordinal, String caseId, String image, List<String> pagefiles) implements Serializable {

    private static final long serialVersionUID = 1L;

    public FleetCase {
        if (caseId == null || caseId.isBlank()) {
            throw new IllegalArgumentException("case " + (ordinal + 1) + " of the manifest has no case id");
        }
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("case " + caseId + " names no image");
        }
        pagefiles = List.copyOf(pagefiles);
    }
}
