package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.windows.PageMapper;
import org.vestige.windows.WinVad;

/**
 * The VAD ranges a process dump may write. A VAD read from memory can be damaged (one flipped bit of an
 * EndingVpn makes a range of terabytes), and a dump of it would run for hours and fill the disk with a file the
 * evidence could never have filled. So a range outside the user address space, or larger than everything the
 * case can supply ({@link EvidenceCase#capacity()}), is not dumped: a diagnostic names the VAD, its node and
 * its range, and the other ranges are dumped.
 */
final class DumpBounds {

    private final long capacity;

    DumpBounds(EvidenceCase evidence) {
        this.capacity = evidence.capacity();
    }

    /** @return the ranges of {@code vads} to dump, with a diagnostic on {@code result} for each one left out */
    List<WinVad> dumpable(List<WinVad> vads, String subject, AnalysisResult result) {
        List<WinVad> kept = new ArrayList<>();
        for (WinVad v : vads) {
            String which = "VAD 0x%x-0x%x (_MMVAD at 0x%x)".formatted(v.start(), v.end(), v.node());
            if (Long.compareUnsigned(v.start(), v.end()) > 0 || Long.compareUnsigned(v.end(), PageMapper.USER_END) >= 0) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, which
                        + " lies outside the user address space: not dumped"));
                continue;
            }
            long size = v.end() - v.start() + 1;
            if (size > capacity) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, which + " spans 0x%x bytes, more than the evidence can hold (0x%x bytes of memory and paging files): not dumped; the VAD is damaged or reserves space no page of which was captured"
                        .formatted(size, capacity)));
                continue;
            }
            kept.add(v);
        }
        return kept;
    }
}
