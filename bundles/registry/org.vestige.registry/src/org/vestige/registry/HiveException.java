package org.vestige.registry;

/**
 * A hive could not be read at some cell: the cell is corrupt, the bytes are not available (a page of
 * an in-memory hive that is paged out), or a key asked for by path does not exist. Unchecked so that
 * callers walking a hive can decide per call whether to stop or to skip; lenient methods such as
 * {@link RegistryKey#subkeys(java.util.function.Consumer)} turn these into {@link HiveProblem}s.
 *
 * @since 0.1
 */
public class HiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Cell offset used when a problem is not about one cell (e.g. the base block). */
    public static final long NO_CELL = -1;

    private final long cellOffset;
    private final HiveProblem.Kind kind;

    /**
     * @param cellOffset hive offset of the cell concerned (relative to the first hive bin, bit 31 set
     *                   for volatile storage), or {@link #NO_CELL}
     * @param kind       the sort of problem
     * @param message    what went wrong, in the analyst's words
     */
    public HiveException(long cellOffset, HiveProblem.Kind kind, String message) {
        super(message);
        this.cellOffset = cellOffset;
        this.kind = kind;
    }

    /** @return the hive offset of the cell concerned, or {@link #NO_CELL} */
    public long cellOffset() {
        return cellOffset;
    }

    /** @return the kind of problem this exception stands for, for {@link HiveProblem} */
    public HiveProblem.Kind kind() {
        return kind;
    }
}
