package org.vestige.registry;

/**
 * Bytes of a hive are not available: a page of an in-memory hive is paged out or was not captured,
 * the cell map has no entry for a block, or a hive file is truncated. Distinct from corruption: the
 * data may be perfectly sound, it just cannot be read from this evidence. The exception names the cell
 * that was being read, the first hive offset that is missing and the reason given by the source (for
 * memory, the reason of the layer's {@code PageProvenance.Missing}).
 *
 * @since 0.1
 */
public class HiveDataMissingException extends HiveException {

    private static final long serialVersionUID = 1L;

    private final long missingOffset;
    private final String reason;

    /**
     * @param cellOffset    the cell being read, or {@link HiveException#NO_CELL} when the source does not know
     * @param missingOffset the first hive offset that could not be read
     * @param reason        why it could not be read
     */
    public HiveDataMissingException(long cellOffset, long missingOffset, String reason) {
        super(cellOffset, HiveProblem.Kind.MISSING, message(cellOffset, missingOffset, reason));
        this.missingOffset = missingOffset;
        this.reason = reason;
    }

    private static String message(long cellOffset, long missingOffset, String reason) {
        String page = "hive offset " + Offsets.hex(missingOffset) + " (block " + Offsets.hex(missingOffset & ~0xFFFL) + ")";
        if (cellOffset == NO_CELL) {
            return page + " is unavailable: " + reason;
        }
        return "cell " + Offsets.hex(cellOffset) + " is unreadable because " + page + " is unavailable: " + reason;
    }

    /** @return the first hive offset that could not be read */
    public long missingOffset() {
        return missingOffset;
    }

    /** @return why the bytes could not be read, as the source put it */
    public String reason() {
        return reason;
    }

    /** @return the same failure attributed to the cell {@code cell} (sources do not know which cell is being read) */
    public HiveDataMissingException forCell(long cell) {
        if (cell == cellOffset()) {
            return this;
        }
        return new HiveDataMissingException(cell, missingOffset, reason);
    }
}
