package org.vestige.windows;

import java.util.List;

/**
 * What a scan of {@code services.exe} found: the service records, and every damaged structure or unreadable
 * part of memory, each named by its address.
 *
 * @param records  the records, in the order their lists were walked (newest first), each once
 * @param headers  addresses of the service headers whose lists were walked
 * @param warnings damaged records and lists (wild pointers, cycles, records that do not parse) and pages
 *                 that could not be read
 * @param pages    pages scanned
 * @since 0.1
 */
public record ServiceScan(List<ServiceRecord> records, List<Long> headers, List<String> warnings, long pages) {

    public ServiceScan {
        records = List.copyOf(records);
        headers = List.copyOf(headers);
        warnings = List.copyOf(warnings);
    }
}
