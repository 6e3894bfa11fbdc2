package org.vestige.registry;

import java.util.List;

/**
 * What a hive walk saw.
 *
 * @param keys         keys visited (including the start key)
 * @param values       values visited
 * @param problemCount problems met
 * @param problems     the first {@link Hive#MAX_KEPT_PROBLEMS} problems (all of them are passed to the visitor)
 * @param stopped      true when the visitor asked to stop before the walk was complete
 * @since 0.1
 */
public record WalkSummary(long keys, long values, long problemCount, List<HiveProblem> problems, boolean stopped) {

    public WalkSummary {
        problems = List.copyOf(problems);
    }
}
