package org.vestige.windows.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.vestige.core.layer.FileLayer;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.windows.PteLayout;
import org.vestige.windows.X64Layer;

/**
 * Measures X64Layer translations per second on a synthesized 19041 image: warm lookups (a working
 * set that fits the translation cache), cold walks (a fresh layer per round, every lookup a
 * four-level walk), and 8-byte reads through the cache; then psscan throughput over a dense,
 * page-cached copy of the image ({@link ProcessScanBenchmark}).
 */
public final class TranslationBenchmark {

    private TranslationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path profileFile = Path.of(args.length > 0 ? args[0]
                : "../../../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz");
        Profile profile = IsfReader.read(profileFile);
        Path dir = Files.createTempDirectory("vestige-bench");
        try {
            ImageSynthesizer.Output out = new ImageSynthesizer(profile, SynthOptions.builder().seed(1).windowsBuild(19041).build()).synthesize(dir);
            try (FileLayer physical = FileLayer.open(out.image(), "physical")) {
                PteLayout layout = PteLayout.from(profile);
                X64Layer kernel = X64Layer.kernel(physical, layout, out.truth().dtb());
                List<Long> pages = new ArrayList<>();
                kernel.forEachMapped(0xFFFF800000000000L, -1L, (va, pa, size) -> {
                    for (long off = 0; off < Math.min(size, 1L << 21); off += 4096) {
                        pages.add(va + off);
                    }
                    return pages.size() < 4096;
                });
                long[] vas = pages.stream().mapToLong(Long::longValue).toArray();
                System.out.printf("working set: %d mapped kernel pages%n", vas.length);
                measure("warm translate (cached)", () -> {
                    long sink = 0;
                    for (int r = 0; r < 2000; r++) {
                        for (long va : vas) {
                            sink += kernel.translate(va + (r & 0xff8));
                        }
                    }
                    return new long[] {2000L * vas.length, sink};
                });
                measure("cold translate (full walk)", () -> {
                    long sink = 0;
                    long n = 0;
                    for (int r = 0; r < 100; r++) {
                        X64Layer fresh = X64Layer.kernel(physical, layout, out.truth().dtb());
                        for (long va : vas) {
                            sink += fresh.translate(va);
                            n++;
                        }
                    }
                    return new long[] {n, sink};
                });
                byte[] b = new byte[8];
                measure("8-byte reads (cached)", () -> {
                    long sink = 0;
                    for (int r = 0; r < 500; r++) {
                        for (long va : vas) {
                            sink += kernel.read(va + 0x100, b, 0, 8);
                        }
                    }
                    return new long[] {500L * vas.length, sink};
                });
            }
            ProcessScanBenchmark.run(profile, out, dir);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Run {
        long[] run();
    }

    private static void measure(String what, Run run) {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        double best = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            long[] r = run.run();
            double perSecond = r[0] / ((System.nanoTime() - t) / 1e9);
            best = Math.max(best, perSecond);
        }
        System.out.printf("%-28s %,.0f lookups/s (best of 5)%n", what, best);
    }
}
