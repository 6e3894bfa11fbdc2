package org.vestige.codec.fuzz;

import org.vestige.codec.Codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the {@code xpress-huffman} decoder; see {@link DecoderHarness}. */
class XpressHuffmanFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode(FuzzedDataProvider data) {
        DecoderHarness.run(Codec.XPRESS_HUFFMAN, data);
    }
}
