package org.vestige.layer.crashdump;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A minidump's {@code MINIDUMP_MISC_INFO} (versions 1 to 5): the fields its {@code Flags1} marks valid.
 *
 * @param sizeOfInfo          the record's size, which tells its version
 * @param flags               {@code Flags1}
 * @param processId           the dumped process's id
 * @param processCreateTime   when the process started
 * @param processUserTime     user-mode CPU seconds
 * @param processKernelTime   kernel-mode CPU seconds
 * @param processorMaxMhz     processor maximum MHz
 * @param processorCurrentMhz processor current MHz
 * @param buildString         the OS build string (e.g. {@code 17134.1.amd64fre.rs4_release.180410-1804})
 * @since 0.1
 */
public record MiscInfo(int sizeOfInfo, int flags, OptionalLong processId, Optional<Instant> processCreateTime,
        OptionalLong processUserTime, OptionalLong processKernelTime, OptionalLong processorMaxMhz,
        OptionalLong processorCurrentMhz, Optional<String> buildString) {

    public static final int PROCESS_ID = 0x1;
    public static final int PROCESS_TIMES = 0x2;
    public static final int PROCESSOR_POWER_INFO = 0x4;
    public static final int BUILDSTRING = 0x100;
}
