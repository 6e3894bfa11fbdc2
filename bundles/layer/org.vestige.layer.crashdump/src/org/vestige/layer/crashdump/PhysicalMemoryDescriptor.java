package org.vestige.layer.crashdump;

import java.util.List;

/**
 * The {@code PhysicalMemoryBlock} of a crash dump header: the machine's physical memory runs as the
 * kernel knew them ({@code MmPhysicalMemoryBlock}). In a complete dump these runs are the pages of
 * the file, in order, right after the header.
 *
 * @param numberOfRuns  the run count the header states
 * @param numberOfPages the total page count the header states
 * @param runs          the runs, with the file offset of each in a complete dump
 * @since 0.1
 */
public record PhysicalMemoryDescriptor(long numberOfRuns, long numberOfPages, List<PhysicalRun> runs) {

    public PhysicalMemoryDescriptor {
        runs = List.copyOf(runs);
    }

    /** @return the sum of the runs' page counts (should equal {@link #numberOfPages()}) */
    public long countedPages() {
        return runs.stream().mapToLong(PhysicalRun::pageCount).sum();
    }
}
