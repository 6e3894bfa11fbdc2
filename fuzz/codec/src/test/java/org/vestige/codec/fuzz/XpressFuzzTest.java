package org.vestige.codec.fuzz;

import org.vestige.codec.Codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the {@code xpress} decoder; see {@link DecoderHarness}. */
class XpressFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode(FuzzedDataProvider data) {
        DecoderHarness.run(Codec.XPRESS, data);
    }
}
