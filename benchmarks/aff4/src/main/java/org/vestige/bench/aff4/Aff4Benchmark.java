package org.vestige.bench.aff4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.layer.aff4.Aff4Codec;
import org.vestige.layer.aff4.Aff4Format;
import org.vestige.layer.aff4.Aff4Options;
import org.vestige.layer.aff4.Aff4Writer;

/**
 * Writes a synthetic memory-like raw image (default 2304 MiB) as snappy and lz4 AFF4 volumes laid out as WinPmem
 * writes them, then measures reading them back through the physical memory map: sequential reads (1 MiB and
 * 4 KiB requests) and random 4 KiB reads, with the chunk cache warm and cold.
 */
public final class Aff4Benchmark {

    private static final int PAGE = 4096;

    private Aff4Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/aff4-bench");
        long rawSize = (args.length > 1 ? Long.parseLong(args[1]) : 2304L) << 20;
        Files.createDirectories(dir);
        Path raw = dir.resolve("memory.raw");
        System.out.printf(Locale.ROOT, "cores %d, max heap %d MiB, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (!Files.exists(raw) || Files.size(raw) != rawSize) {
            Files.deleteIfExists(raw);
            long t = System.nanoTime();
            generate(raw, rawSize);
            report("generate raw", rawSize, t);
        }
        boolean reuse = args.length > 2 && args[2].equals("reuse");
        List<Aff4Writer.MemoryRun> runs = runs(rawSize);
        for (Aff4Codec codec : List.of(Aff4Codec.SNAPPY, Aff4Codec.LZ4)) {
            Path volume = dir.resolve("memory-" + codec.name().toLowerCase(Locale.ROOT) + ".aff4");
            System.out.printf(Locale.ROOT, "%n== %s (load average %s)%n", codec, loadAverage());
            if (!reuse || !Files.exists(volume)) {
                Files.deleteIfExists(volume);
                long t = System.nanoTime();
                try (Aff4Writer w = Aff4Writer.create(volume, Aff4Writer.Settings.defaults(codec))) {
                    w.writePhysicalMemory(raw, runs);
                }
                report("write (compress + SHA-1, " + Runtime.getRuntime().availableProcessors() + " threads)", rawSize, t);
            }
            System.out.printf(Locale.ROOT, "  volume %.1f MiB for %.1f MiB of memory (%.1f%%)%n",
                    Files.size(volume) / 1048576.0, rawSize / 1048576.0, 100.0 * Files.size(volume) / rawSize);
            measure(volume, raw, runs, rawSize);
            System.out.printf(Locale.ROOT, "  (load average %s)%n", loadAverage());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Memory-like runs: low memory below 640 KiB, RAM up to 2 GiB, the rest above 4 GiB (a PCI hole between). */
    private static List<Aff4Writer.MemoryRun> runs(long rawSize) {
        long low = 0x80000000L;
        List<Aff4Writer.MemoryRun> runs = new ArrayList<>();
        runs.add(new Aff4Writer.MemoryRun(0x1000, 0x1000, 0x9f000));
        runs.add(new Aff4Writer.MemoryRun(0x100000, 0x100000, Math.min(rawSize, low) - 0x100000));
        if (rawSize > low) {
            runs.add(new Aff4Writer.MemoryRun(0x100000000L, low, rawSize - low));
        }
        return runs;
    }

    private static void measure(Path volume, Path raw, List<Aff4Writer.MemoryRun> runs, long mapped) throws Exception {
        for (int threads : new int[] {Aff4Options.defaults().decoderThreads(), 0}) {
            for (int request : new int[] {1 << 20, PAGE}) {
                for (int pass = 1; pass <= 3; pass++) {
                    try (OpenedEvidence ev = new Aff4Format(Aff4Options.defaults().withDecoderThreads(threads)).open(volume)) {
                        long t = System.nanoTime();
                        long n = readRuns(ev.physical(), runs, request);
                        report(String.format(Locale.ROOT, "sequential %s reads, pass %d (fresh chunk cache, %s)",
                                request == PAGE ? "4 KiB" : "1 MiB", pass,
                                threads == 0 ? "decoding on the reading thread only"
                                        : "reading thread + " + threads + " decoder thread(s)"), n, t);
                    }
                }
            }
        }
        try (OpenedEvidence ev = new Aff4Format(Aff4Options.defaults()).open(volume)) {
            Layer l = ev.physical();
            int mismatches = spotCheck(l, raw, runs, 2000);
            System.out.printf(Locale.ROOT, "  spot check: %d of 2000 random pages differ from the raw file%n", mismatches);
            if (mismatches != 0) {
                throw new IllegalStateException("read back differs from the raw image");
            }
            // Warm: 4096 chunks (128 MiB decoded, within the 256 MiB cache) spread over all of memory.
            long[] pages = randomPages(runs, 4096, 8, 42);
            for (long p : pages) {
                l.read(p, new byte[PAGE], 0, PAGE);
            }
            for (int threads : new int[] {1, 2}) {
                long count = 2_000_000;
                long t = System.nanoTime();
                randomReads(l, pages, count, threads);
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "  random 4 KiB reads, warm cache, %d thread(s): %,.0f reads/s%n", threads,
                        count / s);
            }
        }
        try (OpenedEvidence ev = new Aff4Format(Aff4Options.defaults()).open(volume)) {
            long[] pages = randomPages(runs, 200_000, 1, 7);
            for (int threads : new int[] {1, 2}) {
                long t = System.nanoTime();
                randomReads(ev.physical(), pages, pages.length, threads);
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "  random 4 KiB reads over all memory, mostly cold, %d thread(s): %,.0f reads/s%n",
                        threads, pages.length / s);
            }
        }
    }

    private static long readRuns(Layer l, List<Aff4Writer.MemoryRun> runs, int request) {
        byte[] buf = new byte[request];
        long total = 0;
        long sink = 0;
        for (Aff4Writer.MemoryRun r : runs) {
            for (long o = 0; o < r.length(); o += request) {
                int n = (int) Math.min(request, r.length() - o);
                total += l.read(r.physicalAddress() + o, buf, 0, n);
                sink += buf[0];
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return total;
    }

    private static long[] randomPages(List<Aff4Writer.MemoryRun> runs, int chunks, int pagesPerChunk, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long total = runs.stream().mapToLong(Aff4Writer.MemoryRun::length).sum();
        long[] out = new long[chunks * pagesPerChunk];
        for (int c = 0; c < chunks; c++) {
            long chunkStart = (r.nextLong(total) / 32768) * 32768;
            for (int k = 0; k < pagesPerChunk; k++) {
                long o = Math.min(total - PAGE, chunkStart + r.nextInt(8) * PAGE);
                out[c * pagesPerChunk + k] = physical(runs, o);
            }
        }
        return out;
    }

    private static long physical(List<Aff4Writer.MemoryRun> runs, long dataOffset) {
        long o = dataOffset;
        for (Aff4Writer.MemoryRun r : runs) {
            if (o < r.length()) {
                return r.physicalAddress() + Math.min(o, r.length() - PAGE);
            }
            o -= r.length();
        }
        throw new IllegalArgumentException();
    }

    private static void randomReads(Layer l, long[] pages, long count, int threads) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                byte[] page = new byte[PAGE];
                long mine = count / threads;
                for (long i = 0; i < mine; i++) {
                    l.read(pages[r.nextInt(pages.length)], page, 0, PAGE);
                }
                done.addAndGet(mine);
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
    }

    private static int spotCheck(Layer l, Path raw, List<Aff4Writer.MemoryRun> runs, int pages) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        int bad = 0;
        try (FileChannel in = FileChannel.open(raw, StandardOpenOption.READ)) {
            for (int i = 0; i < pages; i++) {
                Aff4Writer.MemoryRun run = runs.get(r.nextInt(runs.size()));
                long o = (r.nextLong(run.length() - PAGE) / PAGE) * PAGE;
                byte[] expected = new byte[PAGE];
                in.read(ByteBuffer.wrap(expected), run.fileOffset() + o);
                byte[] actual = new byte[PAGE];
                l.read(run.physicalAddress() + o, actual, 0, PAGE);
                if (!Arrays.equals(expected, actual)) {
                    bad++;
                }
            }
        }
        return bad;
    }

    private static void report(String what, long bytes, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(Locale.ROOT, "  %s: %.2f s, %.0f MB/s%n", what, s, bytes / s / 1e6);
    }

    /**
     * Memory-like pages: zero pages (35%), kernel pointer tables (20%), UTF-16 text (15%), incompressible
     * bytes (15%) and small-integer records (15%).
     */
    private static void generate(Path raw, long size) throws IOException {
        SplittableRandom r = new SplittableRandom(2024);
        byte[] text = "C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s Schedule \\Device\\HarddiskVolume3 "
                .getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] block = new byte[64 << 20];
        try (FileChannel out = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += block.length) {
                int n = (int) Math.min(block.length, size - done);
                ByteBuffer bb = ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < n; p += PAGE) {
                    int kind = r.nextInt(100);
                    if (kind < 35) {
                        Arrays.fill(block, p, p + PAGE, (byte) 0);
                    } else if (kind < 55) {
                        long base = 0xffffd00000000000L + ((long) r.nextInt(1 << 16) << 20);
                        for (int i = 0; i < PAGE; i += 8) {
                            bb.putLong(p + i, r.nextInt(4) == 0 ? 0 : base + (r.nextInt(4096) << 4));
                        }
                    } else if (kind < 70) {
                        int shift = r.nextInt(text.length);
                        for (int i = 0; i < PAGE; i++) {
                            block[p + i] = text[(i + shift) % text.length];
                        }
                    } else if (kind < 85) {
                        for (int i = 0; i < PAGE; i += 8) {
                            bb.putLong(p + i, r.nextLong());
                        }
                    } else {
                        int tag = r.nextInt();
                        for (int i = 0; i < PAGE; i += 16) {
                            bb.putInt(p + i, tag);
                            bb.putInt(p + i + 4, r.nextInt(256));
                            bb.putLong(p + i + 8, i);
                        }
                    }
                }
                ByteBuffer w = ByteBuffer.wrap(block, 0, n);
                while (w.hasRemaining()) {
                    out.write(w);
                }
            }
        }
    }
}
