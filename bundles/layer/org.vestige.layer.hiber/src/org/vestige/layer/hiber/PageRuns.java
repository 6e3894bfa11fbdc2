package org.vestige.layer.hiber;

import java.util.Arrays;

/**
 * The runs of physical pages a hibernation file holds, each with the compression set and the page of the set
 * it starts at, sorted by page number: 12 bytes a run in three primitive arrays. Core's segment table keeps
 * 28 bytes a run (64-bit addresses, lengths and offsets), which a file whose saved pages are scattered, one
 * run a page, would multiply into hundreds of MiB for a large machine; here page numbers are below 2^32 and a
 * run never outgrows its set (at most 255 × 16 pages), so 32-bit fields suffice.
 */
final class PageRuns {

    private int[] first = new int[1024];
    private int[] sets = new int[1024];
    /** the page of the set the run starts at in bits 12–23, the run's pages in bits 0–11 */
    private int[] shapes = new int[1024];
    private int count;

    /** Adds a run, merging it into the run before it when it continues that run in the same set. */
    void add(long pfn, int pages, int set, int pageInSet) {
        if (count > 0) {
            int last = count - 1;
            int lastPages = shapes[last] & 0xfff;
            if (sets[last] == set && start(last) + lastPages == pfn
                    && (shapes[last] >>> 12) + lastPages == pageInSet) {
                shapes[last] += pages;
                return;
            }
        }
        if (count == first.length) {
            int n = count * 2;
            first = Arrays.copyOf(first, n);
            sets = Arrays.copyOf(sets, n);
            shapes = Arrays.copyOf(shapes, n);
        }
        first[count] = (int) pfn;
        sets[count] = set;
        shapes[count] = pageInSet << 12 | pages;
        count++;
    }

    /**
     * Sorts the runs by page number and trims the arrays.
     *
     * @return -1, or the index (after sorting) of the first run that overlaps the run before it
     */
    int sort() {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            // the sign bit flipped, so that signed order is the unsigned order of page numbers
            keys[i] = (start(i) ^ 0x80000000L) << 32 | i;
        }
        Arrays.sort(keys);
        int[] f = new int[count];
        int[] s = new int[count];
        int[] h = new int[count];
        for (int k = 0; k < count; k++) {
            int i = (int) keys[k];
            f[k] = first[i];
            s[k] = sets[i];
            h[k] = shapes[i];
        }
        first = f;
        sets = s;
        shapes = h;
        for (int k = 1; k < count; k++) {
            if (start(k) < start(k - 1) + pages(k - 1)) {
                return k;
            }
        }
        return -1;
    }

    int count() {
        return count;
    }

    long start(int run) {
        return Integer.toUnsignedLong(first[run]);
    }

    int pages(int run) {
        return shapes[run] & 0xfff;
    }

    int set(int run) {
        return sets[run];
    }

    /** @return the page of the run's set that the run's first page is */
    int pageInSet(int run) {
        return shapes[run] >>> 12;
    }

    /** @return the run holding page {@code pfn}, or -1 */
    int find(long pfn) {
        int r = floor(pfn);
        return r >= 0 && pfn < start(r) + pages(r) ? r : -1;
    }

    /** @return the last run starting at or below {@code pfn}, or -1 */
    int floor(long pfn) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start(mid) <= pfn) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** @return the bytes the arrays hold */
    long bytes() {
        return count * 12L;
    }
}
