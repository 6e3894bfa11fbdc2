package org.vestige.windows;

import java.util.List;

/**
 * What a physical scan found.
 *
 * @param processes    the plausible processes, in physical address order
 * @param warnings     candidates that carried the tag but failed validation, and chunks that failed
 * @param bytesScanned how many bytes of the physical layer were read
 * @param nanos        how long the scan took
 * @since 0.1
 */
public record ScanResult(List<ScannedProcess> processes, List<String> warnings, long bytesScanned, long nanos) {

    public ScanResult {
        processes = List.copyOf(processes);
        warnings = List.copyOf(warnings);
    }

    /** @return throughput in bytes per second */
    public double bytesPerSecond() {
        return nanos == 0 ? 0 : bytesScanned * 1e9 / nanos;
    }
}
