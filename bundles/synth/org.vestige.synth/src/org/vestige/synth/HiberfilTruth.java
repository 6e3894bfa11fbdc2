package org.vestige.synth;

import java.util.List;

/**
 * What {@link HiberfilWriter} wrote: the header values, which physical pages the hibernation file holds and
 * which compression set (and codec) holds each. Pages it does not hold are the all-zero pages it left out, as
 * Windows leaves out free pages.
 *
 * @param build           the build whose header layout was written
 * @param lengthSelf      the header size written (LengthSelf)
 * @param highestPage     HighestPhysicalPage
 * @param loaderPages     pages of the boot restore set (NumPagesForLoader)
 * @param kernelPages     pages of the kernel restore set (KernelPagesProcessed)
 * @param firstBootPage   FirstBootRestorePage
 * @param firstKernelPage FirstKernelRestorePage
 * @param setOf           for each physical page number, the compression set holding it, or -1
 * @param sets            the compression sets in file order
 * @since 0.1
 */
public record HiberfilTruth(int build, int lengthSelf, long highestPage, long loaderPages, long kernelPages,
        long firstBootPage, long firstKernelPage, int[] setOf, List<Set> sets) {

    /**
     * One compression set.
     *
     * @param index          its number in file order (the boot restore set's first)
     * @param restoreSet     {@code boot} or {@code kernel}
     * @param headerOffset   the file offset of its header
     * @param dataOffset     the file offset of its data
     * @param compressedSize the size of its data
     * @param codec          {@code xpress}, {@code xpress-huffman} or {@code stored}
     * @param pages          the physical page numbers it holds, in order
     */
    public record Set(int index, String restoreSet, long headerOffset, long dataOffset, int compressedSize,
            String codec, long[] pages) {
    }

    public HiberfilTruth {
        sets = List.copyOf(sets);
    }

    /** @return whether the file holds physical page {@code pfn} */
    public boolean holds(long pfn) {
        return pfn >= 0 && pfn < setOf.length && setOf[(int) pfn] >= 0;
    }

    /** @return the number of pages the file holds */
    public long pagesHeld() {
        return loaderPages + kernelPages;
    }

    /** @return the truth as JSON: the header values and every set with its codec, offsets and pages */
    public String toJson() {
        StringBuilder b = new StringBuilder(64 + sets.size() * 160);
        b.append("{\"build\":").append(build).append(",\"lengthSelf\":").append(lengthSelf)
                .append(",\"highestPhysicalPage\":").append(highestPage).append(",\"numPagesForLoader\":")
                .append(loaderPages).append(",\"kernelPagesProcessed\":").append(kernelPages)
                .append(",\"firstBootRestorePage\":").append(firstBootPage).append(",\"firstKernelRestorePage\":")
                .append(firstKernelPage).append(",\"sets\":[");
        for (int i = 0; i < sets.size(); i++) {
            Set s = sets.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("{\"index\":").append(s.index()).append(",\"restoreSet\":\"")
                    .append(s.restoreSet()).append("\",\"headerOffset\":").append(s.headerOffset())
                    .append(",\"dataOffset\":").append(s.dataOffset()).append(",\"compressedSize\":")
                    .append(s.compressedSize()).append(",\"codec\":\"").append(s.codec()).append("\",\"pages\":[");
            for (int k = 0; k < s.pages().length; k++) {
                b.append(k == 0 ? "" : ",").append(s.pages()[k]);
            }
            b.append("]}");
        }
        return b.append("]}\n").toString();
    }
}
