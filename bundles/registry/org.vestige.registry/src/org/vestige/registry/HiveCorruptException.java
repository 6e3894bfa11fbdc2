package org.vestige.registry;

/**
 * A cell (or the base block) holds bytes that cannot be what the format says belongs there: a bad
 * signature, a size that runs past the hive, a count that does not fit its cell.
 *
 * @since 0.1
 */
public class HiveCorruptException extends HiveException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cellOffset hive offset of the bad cell, or {@link HiveException#NO_CELL}
     * @param message    what is wrong (the offset is added to the message)
     */
    public HiveCorruptException(long cellOffset, String message) {
        super(cellOffset, HiveProblem.Kind.CORRUPT, cellOffset == NO_CELL ? message : "cell " + Offsets.hex(cellOffset) + ": " + message);
    }
}
