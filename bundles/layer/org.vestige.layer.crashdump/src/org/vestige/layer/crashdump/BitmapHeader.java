package org.vestige.layer.crashdump;

/**
 * The bitmap header that follows the main header of a bitmap (kernel summary or bitmap full) dump.
 *
 * @param signature          'SDMP' (kernel summary) or 'FDMP' (full), as text
 * @param firstPageOffset    file offset of the first stored page
 * @param totalPresentPages  the header's count of stored pages
 * @param pages              the number of physical pages the bitmap describes (its length in bits)
 * @param countedPages       the number of bits actually set (should equal {@code totalPresentPages})
 * @since 0.1
 */
public record BitmapHeader(String signature, long firstPageOffset, long totalPresentPages, long pages,
        long countedPages) {
}
