package org.vestige.windows;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;

/**
 * The processes a case's evidence holds: every process of a memory image, found through its kernel
 * ({@link WindowsKernel}), or the one process a user-mode minidump captured ({@link MinidumpProcess}).
 * Process-level analyses switch on the two; analyses that need the kernel call
 * {@link WindowsKernel#require}, which names a minidump as the reason it cannot run.
 *
 * @since 0.1
 */
public sealed interface EvidenceProcesses permits WindowsKernel, MinidumpProcess {

    /**
     * @return the minidump's process when the evidence is a user-mode minidump, otherwise the kernel of
     *         the memory image
     * @throws AnalysisException without evidence, or when no kernel could be analysed in a memory image
     */
    static EvidenceProcesses of(AnalysisContext context) throws AnalysisException {
        EvidenceCase evidence = context.requireEvidence();
        MinidumpProcess dump = MinidumpProcess.of(evidence);
        return dump != null ? dump : WindowsKernel.require(context);
    }
}
