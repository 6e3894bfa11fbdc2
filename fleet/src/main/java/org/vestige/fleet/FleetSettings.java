package org.vestige.fleet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How every task runs its case: the product's launcher, the analyses (each a plugin id and its options, as on the
 * {@code vestige} command line), where the datasets go, and bounds on one launch.
 *
 * @param product         the {@code vestige} launcher: an absolute path on every executor, or a path relative to
 *                        the executor's working folder (where {@code --archives} unpacks the product)
 * @param analyses        the analyses, each its plugin id followed by its options; plugin ids are unique
 * @param output          the URI of the folder the datasets are written to, on any Hadoop file system
 * @param timeoutMinutes  how long one case may run before its launch is stopped and the case fails
 * @param productJvmOpts  JVM options for the product ({@code VESTIGE_JVM_OPTS}, e.g. -Xmx4g), or null
 * @param productJavaHome the JDK (21 or newer) the product runs on, or null for the newest in /usr/lib/jvm
 */
public record FleetSettings(String product, List<List<String>> analyses, String output, long timeoutMinutes,
        String productJvmOpts, String productJavaHome) implements Serializable {

    private static final long serialVersionUID = 1L;

    public FleetSettings {
        List<List<String>> copy = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (List<String> a : analyses) {
            if (a.isEmpty()) {
                throw new IllegalArgumentException("an empty analysis was given");
            }
            if (ids.contains(a.get(0))) {
                throw new IllegalArgumentException(a.get(0) + " is given twice: one dataset per analysis");
            }
            ids.add(a.get(0));
            copy.add(List.copyOf(a));
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no analysis was given");
        }
        analyses = List.copyOf(copy);
        if (timeoutMinutes <= 0) {
            throw new IllegalArgumentException("the case timeout must be positive");
        }
    }

    /** @return the plugin ids of the analyses, in order */
    public List<String> analysisIds() {
        return analyses.stream().map(a -> a.get(0)).toList();
    }

    /**
     * @return the analyses one launch runs: evidence.info and windows.info first (they give the cases dataset its
     *         digests and kernel identity), unless asked for, then the requested ones
     */
    public List<List<String>> launchAnalyses() {
        List<List<String>> out = new ArrayList<>();
        for (String first : List.of(CaseFacts.EVIDENCE_INFO, CaseFacts.WINDOWS_INFO)) {
            if (!analysisIds().contains(first)) {
                out.add(List.of(first));
            }
        }
        out.addAll(analyses);
        return out;
    }
}
