package org.vestige.windows;

import java.util.List;

/**
 * The result of a thread-list walk: the threads in list order and every inconsistency met (a broken
 * Flink, a cycle, an unreadable or implausible _ETHREAD), each naming the structure concerned.
 *
 * @param threads  the plausible threads, in list order
 * @param warnings inconsistencies, in the order met
 * @since 0.1
 */
public record ThreadList(List<WinThread> threads, List<String> warnings) {

    public ThreadList {
        threads = List.copyOf(threads);
        warnings = List.copyOf(warnings);
    }
}
