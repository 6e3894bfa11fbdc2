package org.vestige.layer.crashdump;

/**
 * A kernel memory range a triage dump copied ({@code TRIAGE_DATA_BLOCK}).
 *
 * @param virtualAddress the kernel virtual address of the range
 * @param fileOffset     where the copy is stored in the dump file
 * @param size           the range's length in bytes
 * @since 0.1
 */
public record TriageDataBlock(long virtualAddress, long fileOffset, long size) {
}
