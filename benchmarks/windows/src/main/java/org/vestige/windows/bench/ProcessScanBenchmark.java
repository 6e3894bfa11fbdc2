package org.vestige.windows.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.ProcessScanner;
import org.vestige.windows.ScanResult;

/**
 * Measures psscan throughput (GB/s of physical memory) over a page-cached image. The synthesized
 * image is sparse (its holes would read as the kernel's shared zero page, flattering the figure), so
 * a dense copy is made first: every hole is filled with random bytes and the file is read once to
 * bring it into the page cache.
 */
public final class ProcessScanBenchmark {

    private ProcessScanBenchmark() {
    }

    /** Builds the dense copy of {@code out}'s image in {@code dir} and measures scans with 1 and 2 threads. */
    static void run(Profile profile, ImageSynthesizer.Output out, Path dir) throws IOException {
        Path dense = dir.resolve("dense.raw");
        densify(out.image(), dense);
        try (FileLayer physical = FileLayer.open(dense, "physical (dense)")) {
            KernelDiscovery d = new KernelLocator(physical, List.of(profile), LocatorHints.none()).locate();
            if (!d.complete()) {
                throw new IllegalStateException(d.report().render());
            }
            ProcessScanner scanner = new ProcessScanner(physical, d.kernel(), profile);
            warmPageCache(dense);
            for (int threads : new int[] {1, 2}) {
                for (int i = 0; i < 2; i++) {
                    scanner.scan(threads);
                }
                double best = 0;
                ScanResult last = null;
                for (int i = 0; i < 5; i++) {
                    last = scanner.scan(threads);
                    best = Math.max(best, last.bytesPerSecond());
                }
                System.out.printf("psscan %d thread(s): %.2f GB/s over %.1f GiB (best of 5), %d processes, %d"
                        + " warnings%n", threads, best / 1e9, last.bytesScanned() / (double) (1L << 30),
                        last.processes().size(), last.warnings().size());
            }
        } finally {
            Files.deleteIfExists(dense);
        }
    }

    private static void densify(Path sparse, Path dense) throws IOException {
        byte[] filler = new byte[1 << 20];
        new Random(7).nextBytes(filler);
        byte[] page = new byte[4096];
        try (FileChannel in = FileChannel.open(sparse); RandomAccessFile raf = new RandomAccessFile(dense.toFile(),
                "rw")) {
            FileChannel o = raf.getChannel();
            long size = in.size();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < size; at += buf.capacity()) {
                buf.clear();
                while (buf.hasRemaining() && in.read(buf, at + buf.position()) > 0) {
                    // fill the block
                }
                byte[] b = buf.array();
                for (int p = 0; p < buf.position(); p += 4096) {
                    boolean zero = true;
                    for (int i = p; i < p + 4096 && zero; i += 8) {
                        zero = b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 0 && b[i + 4] == 0
                                && b[i + 5] == 0 && b[i + 6] == 0 && b[i + 7] == 0;
                    }
                    if (zero) {
                        // a frame the synthesizer never wrote: random content, as free memory holds
                        System.arraycopy(filler, p, page, 0, 4096);
                        page[4] = 0; // no accidental pool tag at the page's first slot
                        System.arraycopy(page, 0, b, p, 4096);
                    }
                }
                ByteBuffer w = ByteBuffer.wrap(b, 0, buf.position());
                while (w.hasRemaining()) {
                    o.write(w, at + w.position());
                }
            }
        }
    }

    private static void warmPageCache(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
            long at = 0;
            int n;
            while ((n = ch.read(b, at)) > 0) {
                at += n;
                b.clear();
            }
        }
    }
}
