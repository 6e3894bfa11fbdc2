package org.vestige.codec.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;
import org.vestige.codec.XpressCarver;

/**
 * The data the benchmarks decode, read from the third-party test data beside the project
 * ({@code -Dvestige.testdata=...}, else {@code shared/testdata} found upwards from the working
 * directory):
 *
 * <ul>
 * <li>the page streams of a real Windows 10 memory-compression store region, as Windows wrote them;</li>
 * <li>those pages' 532,480 decoded bytes, recompressed in 64 KiB units (the unit of hibernation
 * files and NTFS compression) with Vestige's own LZ77+Huffman, LZNT1, plain LZ77 and LZ4 encoders;</li>
 * <li>Microsoft's large MS-XCA conformance vectors.</li>
 * </ul>
 */
@State(Scope.Benchmark)
public class CodecData {

    static final int UNIT = 65536;

    byte[] segment;
    int[] pageOffsets;
    int[] pageLengths;
    long pageBytes;

    byte[] pages;
    Units huffmanUnits;
    Units lznt1Units;
    Units lz4Pages;
    Units xpressPages;

    byte[] lznt1Vector;
    int lznt1VectorSize;
    byte[] huffmanVector;
    int huffmanVectorSize;

    /** Compressed units and their decoded sizes. */
    record Units(byte[][] data, int[] sizes, long totalSize) {
        static Units of(byte[] plain, int unit, Compressor c) {
            List<byte[]> list = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int off = 0; off < plain.length; off += unit) {
                byte[] part = Arrays.copyOfRange(plain, off, Math.min(plain.length, off + unit));
                list.add(c.compress(part));
                sizes.add(part.length);
            }
            return new Units(list.toArray(byte[][]::new), sizes.stream().mapToInt(Integer::intValue).toArray(),
                    plain.length);
        }

        long compressedSize() {
            return Arrays.stream(data).mapToLong(b -> b.length).sum();
        }
    }

    @Setup(Level.Trial)
    public void load() {
        Path root = testData();
        segment = read(root, "compression/memcompression/VADDUMP-segment-compressed.bin");
        pages = read(root, "compression/memcompression/VADDUMP-segment-decompressed.bin");
        List<XpressCarver.CarvedPage> carved = new XpressCarver().carve(segment, 0, segment.length);
        pageOffsets = carved.stream().mapToInt(p -> (int) p.offset()).toArray();
        pageLengths = carved.stream().mapToInt(XpressCarver.CarvedPage::compressedLength).toArray();
        pageBytes = 4096L * carved.size();

        huffmanUnits = Units.of(pages, UNIT, Codec.XPRESS_HUFFMAN.compressor());
        lznt1Units = Units.of(pages, UNIT, Codec.LZNT1.compressor());
        lz4Pages = Units.of(pages, 4096, Codec.LZ4.compressor());
        xpressPages = Units.of(pages, 4096, Codec.XPRESS.compressor());

        lznt1Vector = read(root, "compression/ms-xca/LZNT1_Compressed_large.data");
        lznt1VectorSize = read(root, "compression/ms-xca/LZNT1_Uncompressed_large.data").length;
        // The five-block file (its name says abc_100; it holds the 300,000-byte string).
        huffmanVector = read(root, "compression/ms-xca/LZ77Huffman_Compressed_abc_100.data");
        huffmanVectorSize = read(root, "compression/ms-xca/Uncompressed_abc_100_large.data").length;

        System.err.printf("%n[data] %d Windows page streams (%,d compressed bytes -> %,d); "
                + "64 KiB units: xpress-huffman %,d, lznt1 %,d; 4 KiB pages: xpress %,d, lz4 %,d bytes%n",
                carved.size(), Arrays.stream(pageLengths).sum(), pageBytes, huffmanUnits.compressedSize(),
                lznt1Units.compressedSize(), xpressPages.compressedSize(), lz4Pages.compressedSize());
    }

    private static byte[] read(Path root, String relative) {
        try {
            return Files.readAllBytes(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark data " + root.resolve(relative), e);
        }
    }

    static Path testData() {
        String configured = System.getProperty("vestige.testdata");
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            if (Files.isDirectory(p)) {
                return p;
            }
            throw new IllegalStateException("-Dvestige.testdata=" + configured + " is not a directory");
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("testdata");
            if (Files.isDirectory(candidate.resolve("compression"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("benchmark data not found: pass -Dvestige.testdata=<dir> "
                + "(the folder holding compression/memcompression and compression/ms-xca)");
    }
}
