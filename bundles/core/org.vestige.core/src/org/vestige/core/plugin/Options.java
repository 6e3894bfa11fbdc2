package org.vestige.core.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values given for an analysis's declared options, parsed and validated against the
 * declaration (types, choices, required, defaults).
 *
 * @since 0.1
 */
public final class Options {

    private final PluginInfo plugin;
    private final Map<String, List<Object>> values;

    private Options(PluginInfo plugin, Map<String, List<Object>> values) {
        this.plugin = plugin;
        this.values = values;
    }

    /**
     * Parses textual values (as typed on a command line or in a form) for a plugin.
     *
     * @param given option name to the values given for it (several for repeatable options)
     * @throws IllegalArgumentException naming the option and the problem: unknown option, bad
     *                                  value, missing required option, repeated single option
     */
    public static Options parse(PluginInfo plugin, Map<String, List<String>> given) {
        Map<String, List<Object>> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            OptionSpec spec = plugin.option(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    plugin.id() + " has no option --" + e.getKey()));
            if (e.getValue().size() > 1 && !spec.multiple()) {
                throw new IllegalArgumentException("option --" + spec.name() + " may be given only once");
            }
            List<Object> vs = new ArrayList<>();
            for (String v : e.getValue()) {
                vs.add(spec.parse(v));
            }
            parsed.put(spec.name(), Collections.unmodifiableList(vs));
        }
        for (OptionSpec spec : plugin.options()) {
            if (!parsed.containsKey(spec.name())) {
                if (spec.defaultValue() != null) {
                    parsed.put(spec.name(), List.of(spec.parse(spec.defaultValue())));
                } else if (spec.required()) {
                    throw new IllegalArgumentException(plugin.id() + " needs option --" + spec.name()
                            + (spec.description().isEmpty() ? "" : " (" + spec.description() + ")"));
                }
            }
        }
        return new Options(plugin, parsed);
    }

    /** @return options with only the declared defaults */
    public static Options defaults(PluginInfo plugin) {
        return parse(plugin, Map.of());
    }

    public PluginInfo plugin() {
        return plugin;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> string(String name) {
        return first(name, String.class);
    }

    public Optional<Long> number(String name) {
        return first(name, Long.class);
    }

    public Optional<Path> path(String name) {
        return first(name, Path.class);
    }

    public boolean flag(String name) {
        return first(name, Boolean.class).orElse(false);
    }

    /** @return every value given for a repeatable option, in order */
    public <T> List<T> all(String name, Class<T> type) {
        List<Object> vs = values.getOrDefault(name, List.of());
        List<T> out = new ArrayList<>(vs.size());
        for (Object v : vs) {
            out.add(type.cast(v));
        }
        return out;
    }

    private <T> Optional<T> first(String name, Class<T> type) {
        requireDeclared(name);
        List<Object> vs = values.get(name);
        return vs == null || vs.isEmpty() ? Optional.empty() : Optional.of(type.cast(vs.get(0)));
    }

    private void requireDeclared(String name) {
        if (plugin.option(name).isEmpty()) {
            throw new IllegalArgumentException(plugin.id() + " declares no option '" + name + "' in its plugin.xml");
        }
    }

    /** @return the parsed values, option name to values */
    public Map<String, List<Object>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * @return the values as a command line would give them, options in name order, e.g.
     *         {@code --limit 100000 --pid 4 --pid 8}; empty without values. Equal for equal values, so it
     *         identifies one run of an analysis (a case database records it beside the result).
     * @since 0.1
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(values).forEach((name, vs) -> vs.forEach(v -> sb.append(sb.isEmpty() ? "" : " ")
                .append("--").append(name).append(' ').append(v)));
        return sb.toString();
    }
}
