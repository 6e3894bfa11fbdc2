package org.vestige.codec.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

/** Encoding speed on the real pages (one op = one 4 KiB page), for building fixtures. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class EncodeBenchmark {

    private final byte[] out = new byte[8192];
    private int next;

    private int encode(Compressor c, CodecData d) {
        int page = next++ % (d.pages.length / 4096);
        return c.compress(d.pages, page * 4096, 4096, out, 0, out.length);
    }

    @Benchmark
    public int xpressPage(CodecData d) {
        return encode(Codec.XPRESS.compressor(), d);
    }

    @Benchmark
    public int xpressHuffmanPage(CodecData d) {
        return encode(Codec.XPRESS_HUFFMAN.compressor(), d);
    }

    @Benchmark
    public int lznt1Page(CodecData d) {
        return encode(Codec.LZNT1.compressor(), d);
    }
}
