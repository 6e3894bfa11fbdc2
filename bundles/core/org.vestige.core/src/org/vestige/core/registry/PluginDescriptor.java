package org.vestige.core.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IConfigurationElement;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;
import org.vestige.core.plugin.TimelineContribution;

/**
 * An analysis contributed to {@code org.vestige.core.plugins}. Its {@link PluginInfo} is read from
 * {@code plugin.xml} alone; the class is loaded only by {@link #create()}.
 *
 * @since 0.1
 */
public final class PluginDescriptor extends Contribution {

    private final PluginInfo info;

    PluginDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        required("class");
        List<OptionSpec> options = new ArrayList<>();
        for (IConfigurationElement o : element.getChildren("option")) {
            try {
                options.add(new OptionSpec(attr(o, "name", null), OptionType.parse(attr(o, "type", "string")),
                        attr(o, "description", ""), attr(o, "default", null), Boolean.parseBoolean(attr(o, "required",
                                "false")), Boolean.parseBoolean(attr(o, "multiple", "false")), choices(attr(o,
                                        "choices", null))));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidContributionException(contributor(), "plugin " + element.getAttribute("id")
                        + ": bad option: " + e.getMessage());
            }
        }
        List<Requirement> requirements = new ArrayList<>();
        for (IConfigurationElement r : element.getChildren("requires")) {
            requirements.add(new Requirement(attr(r, "kind", "evidence"), attr(r, "value", "")));
        }
        String description = "";
        IConfigurationElement[] d = element.getChildren("description");
        if (d.length > 0 && d[0].getValue() != null) {
            description = d[0].getValue();
        }
        String id = required("id");
        if (!id.matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*")) {
            throw new InvalidContributionException(contributor(), "plugin id '" + id
                    + "' must be lower-case dotted words, e.g. windows.pslist");
        }
        this.info = new PluginInfo(id, optional("name", id), optional("category", "Other"), description,
                optional("os", "any"), options, requirements, contributor(), timeline(element));
        if (info.timeline() != null) {
            try {
                Options.parse(info, info.timeline().options());
            } catch (IllegalArgumentException e) {
                throw new InvalidContributionException(contributor(), "plugin " + id + ": bad timeline option: "
                        + e.getMessage());
            }
        }
    }

    /** @return the {@code <timeline>} declaration with its option values, or null without one */
    private static TimelineContribution timeline(IConfigurationElement element) {
        IConfigurationElement[] t = element.getChildren("timeline");
        if (t.length == 0) {
            return null;
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (IConfigurationElement o : t[0].getChildren("set")) {
            options.computeIfAbsent(attr(o, "option", ""), k -> new ArrayList<>()).add(attr(o, "value", ""));
        }
        return new TimelineContribution(options);
    }

    private static String attr(IConfigurationElement e, String name, String fallback) {
        String v = e.getAttribute(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static List<String> choices(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    /** @return the plugin's declaration */
    public PluginInfo info() {
        return info;
    }

    public String id() {
        return info.id();
    }

    /** Creates the analysis (loads the contributing bundle's class). */
    public Analysis create() {
        return create("class", Analysis.class);
    }
}
