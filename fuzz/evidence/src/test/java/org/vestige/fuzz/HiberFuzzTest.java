package org.vestige.fuzz;

import org.vestige.layer.hiber.HiberFile;
import org.vestige.layer.hiber.HiberFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the hibernation file reader (header, restore sets, compression sets, page runs, Xpress and
 * LZNT1 decompression of the pages read) through {@link HiberFormat}; see {@link FormatHarness}.
 */
class HiberFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        FormatHarness.run(new HiberFormat(), "hiberfil.sys", data, evidence -> {
            HiberFile hiber = HiberFormat.hiberFile(evidence);
            String.valueOf(hiber.header());
            Records.touch(hiber.restoreSets());
            Records.touch(hiber.warnings());
        });
    }
}
