package org.vestige.codec.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;
import org.vestige.codec.XpressCarver;

/**
 * Decoding throughput, single thread. Each invocation decodes one whole data set; the auxiliary
 * counter {@code bytes} is the decoded output per second (bytes/s, shown with the ops/s unit).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {

    /** Decoded bytes, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Output {
        public long bytes;
        byte[] page = new byte[4096];
        byte[] unit = new byte[CodecData.UNIT];
        byte[] large = new byte[512 * 1024];

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    private static final Decompressor XPRESS = Codec.XPRESS.decompressor();
    private static final Decompressor HUFFMAN = Codec.XPRESS_HUFFMAN.decompressor();
    private static final Decompressor LZNT1 = Codec.LZNT1.decompressor();
    private static final Decompressor LZ4 = Codec.LZ4.decompressor();

    /** Windows' own plain LZ77 page streams from the memory-compression store, each into one page. */
    @Benchmark
    public int xpressWindowsPages(CodecData d, Output o) throws CodecException {
        int sum = 0;
        for (int i = 0; i < d.pageOffsets.length; i++) {
            XPRESS.decompressFully(d.segment, d.pageOffsets[i], d.pageLengths[i], o.page, 0, 4096);
            sum += o.page[4095];
        }
        o.bytes += d.pageBytes;
        return sum;
    }

    /** The same pages compressed by Vestige's plain LZ77 encoder. */
    @Benchmark
    public int xpressOwnPages(CodecData d, Output o) throws CodecException {
        return decodeAll(XPRESS, d.xpressPages, o.page, o);
    }

    /** The pages' 532,480 bytes as LZ77+Huffman streams of 64 KiB (hibernation-file sized). */
    @Benchmark
    public int xpressHuffman64k(CodecData d, Output o) throws CodecException {
        return decodeAll(HUFFMAN, d.huffmanUnits, o.unit, o);
    }

    /** Microsoft's five-block LZ77+Huffman vector (300,000 bytes of "abc"). */
    @Benchmark
    public int xpressHuffmanVector(CodecData d, Output o) throws CodecException {
        HUFFMAN.decompressFully(d.huffmanVector, 0, d.huffmanVector.length, o.large, 0, d.huffmanVectorSize);
        o.bytes += d.huffmanVectorSize;
        return o.large[0];
    }

    /** The pages' 532,480 bytes as LZNT1 compression units of 64 KiB (NTFS-sized). */
    @Benchmark
    public int lznt1Units64k(CodecData d, Output o) throws CodecException {
        return decodeAll(LZNT1, d.lznt1Units, o.unit, o);
    }

    /** Microsoft's large LZNT1 vector (142,000 bytes). */
    @Benchmark
    public int lznt1Vector(CodecData d, Output o) throws CodecException {
        LZNT1.decompressFully(d.lznt1Vector, 0, d.lznt1Vector.length, o.large, 0, d.lznt1VectorSize);
        o.bytes += d.lznt1VectorSize;
        return o.large[0];
    }

    /** The pages as raw LZ4 blocks (aircompressor), for comparison with the Windows 11 24H2 store. */
    @Benchmark
    public int lz4Pages(CodecData d, Output o) throws CodecException {
        return decodeAll(LZ4, d.lz4Pages, o.page, o);
    }

    /** Carving the 128 KiB store region (finding and decoding every page stream in it). */
    @Benchmark
    public int carveRegion(CodecData d, Output o) {
        int[] count = new int[1];
        new XpressCarver().carve(d.segment, 0, d.segment.length, 0, p -> count[0]++);
        o.bytes += 4096L * count[0];
        return count[0];
    }

    private static int decodeAll(Decompressor codec, CodecData.Units units, byte[] buffer, Output o)
            throws CodecException {
        int sum = 0;
        byte[][] data = units.data();
        int[] sizes = units.sizes();
        for (int i = 0; i < data.length; i++) {
            codec.decompressFully(data[i], 0, data[i].length, buffer, 0, sizes[i]);
            sum += buffer[0];
        }
        o.bytes += units.totalSize();
        return sum;
    }
}
