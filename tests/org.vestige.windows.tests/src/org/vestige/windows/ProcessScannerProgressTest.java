package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.vestige.core.layer.ScanProgress;

/** psscan reports the bytes it scanned block by block and stops when its progress is cancelled. */
public class ProcessScannerProgressTest {

    /** Records what the scanner reports; cancels once {@code cancelAfter} blocks are reported. */
    private static final class Recorder implements ScanProgress {
        final int cancelAfter;
        final List<Long> worked = new ArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        long total = -1;
        int begun;
        int done;

        Recorder(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void begin(long units) {
            begun++;
            total = units;
        }

        @Override
        public void worked(long units) {
            worked.add(units);
            if (worked.size() == cancelAfter) {
                cancelled.set(true);
            }
        }

        @Override
        public boolean isCanceled() {
            return cancelled.get();
        }

        @Override
        public void done() {
            done++;
        }

        long sum() {
            return worked.stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test(timeout = 120_000)
    public void aFullScanReportsEveryByteOnceAndFinishes() {
        try (Discovered d = Discovered.of(SynthImages.WIN10_19041, 19041)) {
            Recorder progress = new Recorder(-1);
            ScanResult r = new ProcessScanner(d.physical, d.kernel(), d.profile()).scan(2, progress);
            assertEquals(1, progress.begun);
            assertEquals(d.physical.size(), progress.total);
            assertEquals(d.physical.size(), progress.sum());
            assertEquals((d.physical.size() + ProcessScanner.BLOCK - 1) / ProcessScanner.BLOCK, progress.worked
                    .size());
            assertEquals(1, progress.done);
            assertEquals(r.bytesScanned(), progress.sum());
            assertTrue(r.processes().size() > 0);
        }
    }

    @Test(timeout = 120_000)
    public void aCancelledScanStopsAtTheNextBlock() {
        try (Discovered d = Discovered.of(SynthImages.WIN10_19041, 19041)) {
            long blocks = (d.physical.size() + ProcessScanner.BLOCK - 1) / ProcessScanner.BLOCK;
            assertTrue("the image has enough blocks to cancel in the middle: " + blocks, blocks > 10);
            Recorder progress = new Recorder(3);
            ProcessScanner scanner = new ProcessScanner(d.physical, d.kernel(), d.profile());
            long t0 = System.nanoTime();
            CancellationException e = assertThrows(CancellationException.class, () -> scanner.scan(2, progress));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(3, progress.worked.size());
            assertEquals(3L * ProcessScanner.BLOCK, progress.sum());
            assertEquals(0, progress.done);
            assertTrue(e.getMessage(), e.getMessage().contains("after " + 3L * ProcessScanner.BLOCK + " of "
                    + d.physical.size() + " bytes"));
            // the full scan of this image takes seconds; stopping after three blocks must not
            assertTrue("stopped after " + millis + " ms", millis < 5_000);
        }
    }
}
