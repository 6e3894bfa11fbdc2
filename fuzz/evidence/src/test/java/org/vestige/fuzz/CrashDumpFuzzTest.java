package org.vestige.fuzz;

import org.vestige.layer.crashdump.CrashDump;
import org.vestige.layer.crashdump.CrashDumpFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the Windows kernel crash dump reader (full, bitmap, kernel and triage dumps: header, physical
 * memory runs, bitmap, triage data) through {@link CrashDumpFormat}; see {@link FormatHarness}.
 */
class CrashDumpFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        FormatHarness.run(new CrashDumpFormat(), "input.dmp", data, evidence -> {
            CrashDump dump = CrashDumpFormat.dump(evidence);
            String.valueOf(dump.header());
            dump.hints();
            dump.bitmap().ifPresent(String::valueOf);
            dump.triage().ifPresent(String::valueOf);
            dump.context().ifPresent(String::valueOf);
            Records.touch(dump.warnings());
            dump.properties();
        });
    }
}
