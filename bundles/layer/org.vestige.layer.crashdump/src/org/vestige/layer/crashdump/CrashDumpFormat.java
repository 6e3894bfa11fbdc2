package org.vestige.layer.crashdump;

import java.nio.file.Path;
import java.util.List;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.layer.crashdump.internal.KernelDumpReader;

/**
 * The Windows kernel crash dump format ({@code MEMORY.DMP}, {@code PAGEDU64}/{@code PAGEDUMP}): complete,
 * kernel, bitmap, RDMP and triage dumps.
 *
 * <p>The opened evidence's layer is the memory the dump holds: physical memory for every type except
 * triage dumps, whose layer is a sparse kernel virtual view (the layer is a {@link DumpLayer}, so
 * {@link DumpLayer#addressSpace()} tells which). The header values kernel discovery can use directly
 * are in the properties ({@code DirectoryTableBase}, {@code PsLoadedModuleList},
 * {@code PsActiveProcessHead}, {@code KdDebuggerDataBlock}) and, typed, in {@link #hints(OpenedEvidence)}.
 *
 * @since 0.1
 */
public class CrashDumpFormat implements EvidenceFormat {

    /** The format id used in {@link OpenedEvidence#formatId()}. */
    public static final String ID = "crashdump";

    public CrashDumpFormat() {
    }

    @Override
    public ProbeResult probe(Path file) {
        return KernelDumpReader.probe(file);
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        CrashDump dump = CrashDump.open(file);
        return new OpenedEvidence(ID, new OpenedLayer(dump.memory(), dump), List.of(), dump.properties(), List.of(dump));
    }

    /**
     * @return the typed header values of evidence this format opened, or null when {@code evidence}
     *         is not a crash dump
     */
    public static KernelHints hints(OpenedEvidence evidence) {
        CrashDump dump = dump(evidence);
        return dump == null ? null : dump.hints();
    }

    /** @return the crash dump behind evidence this format opened, or null */
    public static CrashDump dump(OpenedEvidence evidence) {
        return evidence.physical() instanceof OpenedLayer l && l.owner() instanceof CrashDump d ? d : null;
    }
}
