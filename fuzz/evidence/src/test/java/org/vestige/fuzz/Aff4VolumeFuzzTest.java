package org.vestige.fuzz;

import org.vestige.layer.aff4.Aff4Format;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the AFF4 format end to end: the zip/zip64 container, {@code information.turtle}, the map and image
 * streams and their bevy indexes, reached through {@link Aff4Format}; see {@link FormatHarness}.
 */
class Aff4VolumeFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        FormatHarness.run(new Aff4Format(), "input.aff4", data, FormatHarness.Inspection.NONE);
    }
}
