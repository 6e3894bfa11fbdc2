package org.vestige.registry;

/**
 * One thing that could not be read while walking or listing a hive, kept so the caller can show it
 * beside what was read. The walk goes on after a problem.
 *
 * @param cellOffset hive offset of the cell concerned, or {@link HiveException#NO_CELL}
 * @param kind       what sort of problem
 * @param keyPath    path of the key being read when it happened ("" for the root, {@code null} when unknown)
 * @param message    description naming offsets and reasons
 * @since 0.1
 */
public record HiveProblem(long cellOffset, Kind kind, String keyPath, String message) {

    /** The sort of problem. */
    public enum Kind {
        /** The bytes are there but cannot be what the format says. */
        CORRUPT,
        /** The bytes are not available (paged out, not captured, truncated file). */
        MISSING,
        /** Two structures disagree (a count against a list, a parent link against the tree). */
        INCONSISTENT,
        /** A list or key refers back to something already on the way (a loop). */
        CYCLE,
        /** A bound was reached (nesting depth, number of entries) and the rest was skipped. */
        LIMIT,
        /** A key asked for by path does not exist. */
        NOT_FOUND
    }

    /** @return a problem describing {@code e}, which happened while reading the key at {@code keyPath} */
    public static HiveProblem of(HiveException e, String keyPath) {
        return new HiveProblem(e.cellOffset(), e.kind(), keyPath, e.getMessage());
    }

    @Override
    public String toString() {
        String where = keyPath == null ? "" : (keyPath.isEmpty() ? " [root]" : " [" + keyPath + "]");
        return kind + where + ": " + message;
    }
}
