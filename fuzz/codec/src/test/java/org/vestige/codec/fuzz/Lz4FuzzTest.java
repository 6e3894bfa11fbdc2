package org.vestige.codec.fuzz;

import org.vestige.codec.Codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the {@code lz4} decoder; see {@link DecoderHarness}. */
class Lz4FuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode(FuzzedDataProvider data) {
        DecoderHarness.run(Codec.LZ4, data);
    }
}
