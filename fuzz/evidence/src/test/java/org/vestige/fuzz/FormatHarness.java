package org.vestige.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;

/**
 * What every evidence format must do with any file: its probe returns an explained result and never
 * throws; its open either throws {@link EvidenceException} naming the file, or returns evidence whose
 * properties, physical layer and backing files can be read and which closes cleanly. Any other
 * exception, a hang (libFuzzer's per-input timeout) or an {@link OutOfMemoryError} on the fuzzing heap is a
 * finding.
 */
final class FormatHarness {

    /** What a target checks on the opened evidence beyond what every format must do. */
    @FunctionalInterface
    interface Inspection {
        void inspect(OpenedEvidence evidence);

        Inspection NONE = e -> {
        };
    }

    private FormatHarness() {
    }

    /** Writes {@code bytes} as {@code name} and probes, opens and reads it with {@code format}. */
    static void run(EvidenceFormat format, String name, byte[] bytes, Inspection inspection) {
        Path file = InputFiles.write(name, bytes);
        try {
            openAndRead(format, file, inspection);
        } finally {
            InputFiles.delete(name);
        }
    }

    static void openAndRead(EvidenceFormat format, Path file, Inspection inspection) {
        ProbeResult probe = format.probe(file);
        if (probe == null) {
            throw new IllegalStateException("probe returned null");
        }
        OpenedEvidence evidence;
        try {
            evidence = format.open(file);
        } catch (EvidenceException e) {
            if (!e.getMessage().startsWith(file.toString())) {
                throw new IllegalStateException("message does not name the file: " + e.getMessage(), e);
            }
            return;
        }
        try (evidence) {
            for (Map.Entry<String, String> p : evidence.properties().entrySet()) {
                p.getKey().length();
                p.getValue().length();
            }
            LayerReads.sample(evidence.physical());
            for (OpenedEvidence.BackingFile backing : evidence.backing()) {
                LayerReads.sample(backing.layer());
            }
            inspection.inspect(evidence);
        } catch (IOException e) {
            throw new IllegalStateException("closing " + file + " failed", e);
        }
    }
}
