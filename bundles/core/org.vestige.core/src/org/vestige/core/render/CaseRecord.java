package org.vestige.core.render;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.vestige.core.evidence.EvidenceRecord;

/**
 * What a case file records about its case, beside the results.
 *
 * @param evidence the evidence files by role ({@code image}, {@code pagefile 0}, …), each with its size,
 *                 times and digests, in the order they were opened
 * @param facts    what the engines found out about the case (the format, the kernel, the profile chosen), by
 *                 name, in a stable order
 * @param command  the command that made the file, as given
 * @param started  when the command started
 * @since 0.1
 */
public record CaseRecord(Map<String, EvidenceRecord> evidence, Map<String, String> facts, List<String> command,
        Instant started) {

    public CaseRecord {
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
        facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        command = List.copyOf(command);
        Objects.requireNonNull(started, "started");
    }
}
