package org.vestige.windows;

import java.util.List;

/**
 * The result of a process-list walk: the processes in list order and every inconsistency met on
 * the way (each naming the structure concerned), for instance the smear of an acquisition that ran
 * while the list changed.
 *
 * @param processes the plausible processes, in list order
 * @param warnings  inconsistencies, in the order met
 * @param rejected  _EPROCESS addresses linked into the list whose fields were implausible
 * @since 0.1
 */
public record ProcessList(List<WinProcess> processes, List<String> warnings, List<Long> rejected) {

    public ProcessList {
        processes = List.copyOf(processes);
        warnings = List.copyOf(warnings);
        rejected = List.copyOf(rejected);
    }
}
