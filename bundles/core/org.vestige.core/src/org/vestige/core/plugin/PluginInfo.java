package org.vestige.core.plugin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the host knows about an analysis plugin from its {@code plugin.xml} declaration:
 * listing, describing, building a form or a command line for it never loads its classes.
 *
 * @param id           stable id, e.g. {@code windows.pslist}
 * @param name         display name
 * @param category     grouping for menus and listings, e.g. "Processes"
 * @param description  one paragraph of help
 * @param os           the operating system it applies to ("windows", or "any")
 * @param options      declared options
 * @param requirements declared requirements
 * @param contributor  the symbolic name of the bundle that contributes it
 * @param timeline     how it contributes to the case's timeline, or null when it does not
 * @since 0.1
 */
public record PluginInfo(String id, String name, String category, String description, String os,
        List<OptionSpec> options, List<Requirement> requirements, String contributor, TimelineContribution timeline) {

    /** A declaration of an analysis that puts no times on the timeline. */
    public PluginInfo(String id, String name, String category, String description, String os,
            List<OptionSpec> options, List<Requirement> requirements, String contributor) {
        this(id, name, category, description, os, options, requirements, contributor, null);
    }

    public PluginInfo {
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id : name;
        category = category == null || category.isBlank() ? "Other" : category;
        description = description == null ? "" : description.strip();
        os = os == null || os.isBlank() ? "any" : os;
        options = List.copyOf(options);
        requirements = List.copyOf(requirements);
    }

    public Optional<OptionSpec> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    /**
     * @return how the analysis contributes to the case's timeline, when it declares that it does
     * @since 0.1
     */
    public Optional<TimelineContribution> timelineContribution() {
        return Optional.ofNullable(timeline);
    }

    public boolean requires(String kind) {
        return requirements.stream().anyMatch(r -> r.kind().equals(kind));
    }

    /** @return the first sentence of the description, for one-line listings */
    public String summary() {
        String d = description.replaceAll("\\s+", " ");
        int dot = d.indexOf(". ");
        return dot > 0 ? d.substring(0, dot + 1) : d;
    }
}
