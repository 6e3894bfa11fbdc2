package org.vestige.windows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Processes hidden from the active process list: found by the pool scan, not exited, and not on the list —
 * the mark of a process a rootkit unlinked (DKOM). An exited process off the list is normal: Windows unlinks
 * a process when it exits and its {@code _EPROCESS} stays in pool memory while something holds it.
 *
 * @since 0.1
 */
public final class HiddenProcesses {

    private HiddenProcesses() {
    }

    /**
     * @param scanned the processes the pool scan found
     * @param listed  the processes of the active list
     * @return one finding per scanned process that is running and not listed
     */
    public static List<Finding> find(List<ScannedProcess> scanned, List<WinProcess> listed) {
        Set<Long> onList = new HashSet<>();
        listed.forEach(p -> onList.add(p.eprocess()));
        List<Finding> out = new ArrayList<>();
        for (ScannedProcess s : scanned) {
            WinProcess p = s.process();
            if (s.exited() || onList.contains(p.eprocess())) {
                continue;
            }
            out.add(new Finding(Finding.Kind.HIDDEN_PROCESS, Finding.Severity.HIGH, p, p.eprocess(), String.format(
                    "_EPROCESS in pool at physical 0x%x, not exited%s, not on the active process list", s.physical(),
                    p.threads() > 0 ? " (" + p.threads() + " active threads)" : "")));
        }
        return out;
    }
}
