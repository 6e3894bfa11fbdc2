package org.vestige.windows.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.layer.compressed.CompressionStore;
import org.vestige.layer.compressed.SmGlobalsLocator;
import org.vestige.layer.compressed.StoreInfo;
import org.vestige.layer.compressed.StoreLayout;
import org.vestige.layer.compressed.StoreManagerLocation;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;

/**
 * Measures the memory-compression store on a synthesized image with a large store: how long opening
 * the store index takes (finding SmGlobals without symbols, reading the manager, walking the whole
 * KeyToStoreTree and every PagesTree), and how many compressed pages per second a warm index reads
 * and decompresses, with one and with two threads. Every page read is checked against the
 * synthesizer's SHA-256 once, so the figure is for correct reads.
 *
 * <pre>java -cp target/windows-bench.jar org.vestige.windows.bench.CompressedStoreBenchmark ISF BUILD SIZE_MIB PAGES</pre>
 */
public final class CompressedStoreBenchmark {

    private CompressedStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = IsfReader.read(Path.of(args[0]));
        int build = Integer.parseInt(args[1]);
        long size = Long.parseLong(args[2]) << 20;
        int pages = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("vestige-store-bench");
        try {
            long t0 = System.nanoTime();
            ImageSynthesizer.Output out = new ImageSynthesizer(profile, SynthOptions.builder().seed(3)
                    .windowsBuild(build).physicalSize(size).compressedStore(SynthOptions.CompressedStore.INTACT)
                    .compressedPages(pages).build()).synthesize(dir);
            System.out.printf("synthesized %d MiB image of build %d with %d compressed pages in %.1f s%n", size >> 20,
                    build, out.truth().compressedStore().pages().size(), (System.nanoTime() - t0) / 1e9);
            try (FileLayer physical = FileLayer.open(out.image(), "physical")) {
                run(profile, out.truth(), physical);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void run(Profile profile, SynthTruth truth, Layer physical) throws Exception {
        KernelDiscovery d = new KernelLocator(physical, List.of(profile), LocatorHints.none()).locate();
        if (!d.complete()) {
            throw new IllegalStateException(d.report().render());
        }
        SynthTruth.CompressedStoreInfo info = truth.compressedStore();
        int slot = info.virtualStoreSlot();
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            StoreManagerLocation at = new SmGlobalsLocator(d.kernel(), profile, d.kernelBase(), d.build()).locate();
            CompressionStore store = new CompressionStore(slot, d.build(), StoreLayout.forBuild(d.build())
                    .orElseThrow(), at, d.kernel(), profile, (e, dtb, name) -> d.kernel().translator().layer(name,
                            dtb), List.of());
            List<StoreInfo> stores = store.survey(Long.MAX_VALUE);
            double open = (System.nanoTime() - t0) / 1e6;
            long indexed = stores.stream().mapToLong(StoreInfo::pages).sum();
            System.out.printf("open the store index (%s, %d stores, %d pages indexed): %.0f ms%n", at.method(),
                    stores.size(), indexed, open);
            if (run < 2) {
                continue;
            }
            List<Long> offsets = new ArrayList<>();
            for (SynthTruth.CompressedPage p : info.pages()) {
                offsets.add((p.key() & 0x0FFFFFFFL) << 12);
            }
            check(store, info.pages());
            for (int threads : new int[] {1, 2}) {
                double best = 0;
                for (int i = 0; i < 5; i++) {
                    best = Math.max(best, readAll(store, offsets, threads));
                }
                System.out.printf("read and decompress with a warm index, %d thread(s): %,.0f pages/s (%,.0f per"
                        + " thread; best of 5 passes over %,d pages)%n", threads, best, best / threads,
                        offsets.size());
            }
        }
    }

    private static void check(CompressionStore store, List<SynthTruth.CompressedPage> pages) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] page = new byte[4096];
        int good = 0;
        for (SynthTruth.CompressedPage p : pages) {
            PageProvenance prov = store.readPage((p.key() & 0x0FFFFFFFL) << 12, page, 0);
            if (prov.isAvailable() && java.util.HexFormat.of().formatHex(sha.digest(page)).equals(p.sha256())) {
                good++;
            }
        }
        System.out.printf("checked: %d of %d pages read back byte-identical (the others lie in region pages paged"
                + " out to pagefile.sys, which this run does not supply)%n", good, pages.size());
    }

    private static double readAll(CompressionStore store, List<Long> offsets, int threads) throws Exception {
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread w = new Thread(() -> {
                byte[] page = new byte[4096];
                long n = 0;
                for (int i = first; i < offsets.size(); i += threads) {
                    if (store.readPage(offsets.get(i), page, 0).isAvailable()) {
                        n++;
                    }
                }
                done.addAndGet(n);
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }
}
