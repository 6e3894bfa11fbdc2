package org.vestige.layer.crashdump;

/**
 * The {@code TRIAGE_DUMP} header of a triage (small memory) dump, found right after the main header
 * (file offset 0x2000 in 64-bit dumps, 0x1000 in 32-bit ones). Every {@code ...Offset} is a file
 * offset; 0 means the part is absent.
 *
 * @since 0.1
 */
public record TriageHeader(long servicePackBuild, long sizeOfDump, long validOffset, long contextOffset,
        long exceptionOffset, long mmOffset, long unloadedDriversOffset, long prcbOffset, long processOffset,
        long threadOffset, long callStackOffset, long sizeOfCallStack, long driverListOffset, long driverCount,
        long stringPoolOffset, long stringPoolSize, long brokenDriverOffset, long triageOptions, long topOfStack,
        long dataPageAddress, long dataPageOffset, long dataPageSize, long debuggerDataOffset,
        long debuggerDataSize, long dataBlocksOffset, long dataBlocksCount) {

    /** The marker ("TRGD") the kernel writes at {@link #validOffset()} once the triage dump is complete. */
    public static final int VALID_MARKER = 0x44475254;
}
