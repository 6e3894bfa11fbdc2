package org.vestige.windows;

import java.util.List;

/**
 * The result of a loader-list walk: the modules in list order and every inconsistency met on the
 * way (a broken Flink, a cycle, an implausible entry), each naming the structure concerned.
 *
 * @param modules  the plausible modules, in list order
 * @param warnings inconsistencies, in the order met
 * @param rejected addresses of linked entries whose fields were implausible
 * @since 0.1
 */
public record ModuleList(List<WinModule> modules, List<String> warnings, List<Long> rejected) {

    public ModuleList {
        modules = List.copyOf(modules);
        warnings = List.copyOf(warnings);
        rejected = List.copyOf(rejected);
    }
}
