package org.vestige.codec.fuzz;

import org.vestige.codec.Codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the {@code snappy} decoder; see {@link DecoderHarness}. */
class SnappyFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode(FuzzedDataProvider data) {
        DecoderHarness.run(Codec.SNAPPY, data);
    }
}
