package org.vestige.layer.hiber;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The compact run index: merging, order, lookups above 2^31 pages, and the overlap it reports. */
public class PageRunsTest {

    @Test
    public void runsThatContinueInTheSameSetMergeAndLookupsFindThePageInTheSet() {
        PageRuns r = new PageRuns();
        r.add(0x100, 4, 7, 0);
        r.add(0x104, 2, 7, 4);
        r.add(0x106, 1, 8, 0);
        r.add(0x10, 3, 9, 5);
        assertEquals(-1, r.sort());
        assertEquals(3, r.count());
        assertEquals(0x10, r.start(0));
        assertEquals(6, r.pages(1));
        int run = r.find(0x105);
        assertEquals(7, r.set(run));
        assertEquals(0, r.pageInSet(run));
        assertEquals(-1, r.find(0x13));
        assertEquals(-1, r.find(0x107));
        assertEquals(0, r.floor(0x50));
        assertEquals(-1, r.floor(0xf));
    }

    @Test
    public void pageNumbersAbove2To31SortAsUnsigned() {
        PageRuns r = new PageRuns();
        r.add(0xfffffff0L, 16, 1, 0);
        r.add(0x80000000L, 1, 2, 0);
        r.add(5, 1, 3, 0);
        assertEquals(-1, r.sort());
        assertEquals(5, r.start(0));
        assertEquals(0x80000000L, r.start(1));
        assertEquals(0xfffffff0L, r.start(2));
        assertEquals(1, r.set(r.find(0xffffffffL)));
    }

    @Test
    public void anOverlapIsReportedAtTheLaterRun() {
        PageRuns r = new PageRuns();
        r.add(0x200, 16, 1, 0);
        r.add(0x300, 1, 2, 0);
        r.add(0x20f, 1, 3, 0);
        assertEquals(1, r.sort());
        assertEquals(3, r.set(1));
    }
}
