package org.vestige.fuzz;

import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the user-mode minidump reader (header, stream directory, system info, module, thread, memory
 * and exception streams) through {@link MinidumpFormat}, then reads the start of each captured range;
 * see {@link FormatHarness}.
 */
class MinidumpFuzzTest {

    private static final int RANGES = 16;

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        FormatHarness.run(new MinidumpFormat(), "input.mdmp", data, evidence -> {
            Minidump dump = MinidumpFormat.minidump(evidence);
            Records.touch(dump.contents().streams());
            Records.touch(dump.modules());
            Records.touch(dump.threads());
            Records.touch(dump.problems());
            dump.exception().ifPresent(String::valueOf);
            dump.properties();
            byte[] page = new byte[4096];
            dump.memoryRanges().stream().limit(RANGES)
                    .forEach((MemoryRange r) -> dump.memory().read(r.base(), page, 0, page.length));
        });
    }
}
