package org.vestige.fleet;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How one case went, as its task hands it back to the driver: a row of the {@code cases} dataset and, per
 * analysis, the columns its rows have (to order the dataset's columns as the result does).
 *
 * @param caseId    the manifest's case id
 * @param image     the image's URI
 * @param pagefiles the paging files' URIs
 * @param facts     digests and kernel identity
 * @param exitCode  the launch's exit code (0 success, 3 evidence error, 4 analysis failure; -1 not launched)
 * @param seconds   how long the case took, copying included
 * @param error     why the case or one of its analyses failed, or null when all ran
 * @param columns   per analysis the result's columns, in order
 */
public record CaseReport(String caseId, String image, List<String> pagefiles, CaseFacts facts, int exitCode,
        double seconds, String error, Map<String, List<String>> columns) implements Serializable {

    private static final long serialVersionUID = 1L;
}
