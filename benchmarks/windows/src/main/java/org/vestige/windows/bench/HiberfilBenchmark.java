package org.vestige.windows.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.layer.hiber.HiberFile;
import org.vestige.layer.hiber.HiberLayer;
import org.vestige.synth.HiberfilTruth;
import org.vestige.synth.HiberfilWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/**
 * Reads every page of a synthesized hibernation file through the hibernation layer and reports MB/s of
 * decompressed output, with one thread and with two (each thread reads every other 1 MiB stripe). The
 * machine is synthesized at the size given; its hibernation file holds every page (the zero pages too, as a
 * machine whose memory is all in use would), with Xpress and Xpress-Huffman sets alternating. Prints what
 * the file holds, so the figure can be read with its mix of zero and non-zero pages, and the open (index)
 * time and index size. A synthesized machine's memory is mostly zero pages (free memory), which decode far
 * faster than data; with {@code dense} every zero page is first replaced by a copy of one of the machine's
 * non-zero pages (kernel structures, page tables, PE images, hive cells, random bulk) stamped with its page
 * number, so the file holds only pages of data. Every page read is compared with the raw image once, so the figure is for correct
 * reads.
 *
 * <pre>java -cp target/org.vestige.windows.benchmarks-0.1.0-SNAPSHOT.jar org.vestige.windows.bench.HiberfilBenchmark ISF BUILD SIZE_MIB [dense]</pre>
 */
public final class HiberfilBenchmark {

    private static final int PAGE = 4096;
    private static final int STRIPE = 1 << 20;

    private HiberfilBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = IsfReader.read(Path.of(args[0]));
        int build = Integer.parseInt(args[1]);
        long size = Long.parseLong(args[2]) << 20;
        Path dir = Files.createTempDirectory("vestige-hiber-bench");
        try {
            long t0 = System.nanoTime();
            ImageSynthesizer.Output out = new ImageSynthesizer(profile, SynthOptions.builder().seed(5)
                    .windowsBuild(build).physicalSize(size).build()).synthesize(dir);
            System.out.printf("synthesized a %d MiB machine of build %d in %.1f s%n", size >> 20, build,
                    (System.nanoTime() - t0) / 1e9);
            Path image = out.image();
            if (args.length > 3 && args[3].equals("dense")) {
                t0 = System.nanoTime();
                image = dense(image, dir.resolve("dense.raw"));
                System.out.printf("filled the zero pages with copies of data pages in %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
            }
            Path hiberfil = dir.resolve("hiberfil.sys");
            t0 = System.nanoTime();
            HiberfilTruth truth = HiberfilWriter.write(image, hiberfil,
                    new HiberfilWriter.Settings(build, HiberfilWriter.Codecs.BOTH, 1, 0x01DA000000000000L));
            long fileSize = Files.size(hiberfil);
            System.out.printf("wrote hiberfil.sys: %d pages in %d compression sets, %d MiB, in %.1f s%n",
                    truth.pagesHeld(), truth.sets().size(), fileSize >> 20, (System.nanoTime() - t0) / 1e9);
            for (int run = 0; run < 3; run++) {
                t0 = System.nanoTime();
                try (HiberFile file = HiberFile.open(hiberfil)) {
                    double open = (System.nanoTime() - t0) / 1e6;
                    HiberLayer layer = new HiberLayer(file);
                    System.out.printf("run %d: open and index %.0f ms (%d runs, %d sets, index %d KiB)%n", run, open,
                            file.runCount(), file.compressionSets(), file.indexBytes() >> 10);
                    if (run == 0) {
                        verify(layer, image);
                    }
                    for (int threads : new int[] {1, 2}) {
                        long t1 = System.nanoTime();
                        long bytes = readAll(layer, threads);
                        double s = (System.nanoTime() - t1) / 1e9;
                        System.out.printf("  %d thread%s: %d MB decompressed in %.2f s = %.0f MB/s%n", threads,
                                threads == 1 ? "" : "s", bytes / 1_000_000, s, bytes / 1e6 / s);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** @return a copy of {@code raw} whose zero pages are copies of its data pages, each stamped with its number */
    private static Path dense(Path raw, Path out) throws Exception {
        List<byte[]> data = new ArrayList<>();
        try (var in = java.nio.channels.FileChannel.open(raw)) {
            byte[] page = new byte[PAGE];
            for (long at = 0; at < in.size(); at += PAGE) {
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(page);
                while (bb.hasRemaining()) {
                    in.read(bb, at + bb.position());
                }
                if (!java.util.Arrays.equals(page, new byte[PAGE])) {
                    data.add(page.clone());
                }
            }
            try (var o = java.nio.channels.FileChannel.open(out, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(STRIPE);
                for (long at = 0; at < in.size(); at += STRIPE) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        in.read(chunk, at + chunk.position());
                    }
                    byte[] b = chunk.array();
                    for (int p = 0; p < STRIPE; p += PAGE) {
                        if (java.util.Arrays.equals(b, p, p + PAGE, new byte[PAGE], 0, PAGE)) {
                            long pfn = (at + p) / PAGE;
                            System.arraycopy(data.get((int) (pfn % data.size())), 0, b, p, PAGE);
                            java.nio.ByteBuffer.wrap(b, p, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(pfn);
                        }
                    }
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        o.write(chunk);
                    }
                }
            }
        }
        return out;
    }

    /** Compares every page with the raw image and counts the zero pages. */
    private static void verify(HiberLayer layer, Path raw) throws Exception {
        long zero = 0;
        long pages = 0;
        try (var ch = java.nio.channels.FileChannel.open(raw)) {
            byte[] a = new byte[STRIPE];
            byte[] b = new byte[STRIPE];
            for (long at = 0; at < layer.size(); at += STRIPE) {
                int n = (int) Math.min(STRIPE, layer.size() - at);
                layer.read(at, a, 0, n);
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, 0, n);
                while (bb.hasRemaining()) {
                    ch.read(bb, at + bb.position());
                }
                if (!java.util.Arrays.equals(a, 0, n, b, 0, n)) {
                    throw new IllegalStateException("the hibernation layer differs from the image in the MiB at 0x"
                            + Long.toHexString(at));
                }
                for (int p = 0; p < n; p += PAGE) {
                    pages++;
                    boolean z = true;
                    for (int i = p; i < p + PAGE && z; i++) {
                        z = a[i] == 0;
                    }
                    zero += z ? 1 : 0;
                }
            }
        }
        System.out.printf("  verified: all %d pages equal the raw image; %d (%.1f %%) are zero pages%n", pages, zero,
                100.0 * zero / pages);
    }

    private static long readAll(HiberLayer layer, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    byte[] buffer = new byte[STRIPE];
                    long available = 0;
                    long[] missing = new long[1];
                    for (long at = (long) first * STRIPE; at < layer.size(); at += (long) threads * STRIPE) {
                        int n = (int) Math.min(STRIPE, layer.size() - at);
                        available += layer.read(at, buffer, 0, n, (a, l, p) -> {
                            if (p instanceof PageProvenance.Missing) {
                                missing[0] += l;
                            }
                        });
                    }
                    if (missing[0] != 0) {
                        throw new IllegalStateException(missing[0] + " bytes missing");
                    }
                    return available;
                }));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }
}
