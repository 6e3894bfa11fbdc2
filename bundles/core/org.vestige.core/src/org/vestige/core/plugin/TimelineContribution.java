package org.vestige.core.plugin;

import java.util.List;
import java.util.Map;

/**
 * An analysis's declaration, in its {@code plugin.xml}, that its results put times on the case's timeline,
 * with the options the timeline runs it with:
 *
 * <pre>
 * &lt;plugin id="windows.registry.printkey" ...&gt;
 *    &lt;timeline&gt;
 *       &lt;set option="recurse" value="true"/&gt;
 *    &lt;/timeline&gt;
 * &lt;/plugin&gt;
 * </pre>
 *
 * The times themselves are the values of its result's time columns that carry a meaning
 * ({@link org.vestige.core.result.Column#time(String, org.vestige.core.result.TimeMeaning)}).
 *
 * @param options option values by option name, as on a command line; options not named keep their defaults
 * @since 0.1
 */
public record TimelineContribution(Map<String, List<String>> options) {

    public TimelineContribution {
        options = Map.copyOf(options);
    }
}
