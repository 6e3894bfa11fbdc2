package org.vestige.layer.crashdump;

import java.nio.file.Path;
import java.util.List;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.layer.crashdump.internal.MinidumpReader;

/**
 * The Windows user-mode minidump format ({@code MDMP}): ProcDump, WER, Task Manager, dbghelp and
 * Breakpad dumps of one process.
 *
 * <p>A minidump holds no physical memory: the opened evidence's layer is the process's virtual address
 * space over the captured ranges ({@link DumpLayer#addressSpace()} is
 * {@link AddressSpace#PROCESS_VIRTUAL}); {@link #minidump(OpenedEvidence)} gives the decoded streams.
 *
 * @since 0.1
 */
public class MinidumpFormat implements EvidenceFormat {

    /** The format id used in {@link OpenedEvidence#formatId()}. */
    public static final String ID = "minidump";

    public MinidumpFormat() {
    }

    @Override
    public ProbeResult probe(Path file) {
        return MinidumpReader.probe(file);
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        Minidump dump = Minidump.open(file);
        return new OpenedEvidence(ID, new OpenedLayer(dump.memory(), dump), List.of(), dump.properties(), List.of(dump));
    }

    /** @return the minidump behind evidence this format opened, or null */
    public static Minidump minidump(OpenedEvidence evidence) {
        return evidence.physical() instanceof OpenedLayer l && l.owner() instanceof Minidump m ? m : null;
    }
}
