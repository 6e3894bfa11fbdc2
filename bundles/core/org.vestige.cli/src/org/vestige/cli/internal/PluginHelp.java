package org.vestige.cli.internal;

import java.util.List;

import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;

/** Listing and help text for plugins, from their declarations alone. */
public final class PluginHelp {

    public static final Column<String> ID = Column.string("Plugin");
    public static final Column<String> CATEGORY = Column.string("Category");
    public static final Column<String> DESCRIPTION = Column.string("Description");
    public static final Column<String> BUNDLE = Column.string("Bundle");

    private PluginHelp() {
    }

    /** @return the plugin listing as a result, so every renderer can write it */
    public static AnalysisResult listing(List<PluginDescriptor> plugins) {
        ResultTable table = ResultTable.of(ID, CATEGORY, DESCRIPTION, BUNDLE);
        for (PluginDescriptor d : plugins) {
            PluginInfo i = d.info();
            table.addRow().set(ID, i.id()).set(CATEGORY, i.category()).set(DESCRIPTION, i.summary()).set(BUNDLE,
                    i.contributor());
        }
        return new AnalysisResult("plugins", table);
    }

    /** @return a plugin's help page */
    public static String describe(PluginInfo info) {
        StringBuilder sb = new StringBuilder();
        sb.append(info.id()).append(" — ").append(info.name()).append("\n");
        sb.append("Category: ").append(info.category()).append("   OS: ").append(info.os()).append("   Bundle: ")
                .append(info.contributor()).append("\n\n");
        if (!info.description().isEmpty()) {
            sb.append(wrap(info.description(), 78)).append("\n\n");
        }
        sb.append("Usage: vestige -f EVIDENCE ").append(info.id());
        for (OptionSpec o : info.options()) {
            String v = switch (o.type()) {
                case BOOLEAN -> "";
                default -> " " + o.type().id().toUpperCase(java.util.Locale.ROOT);
            };
            sb.append(o.required() ? " --" + o.name() + v : " [--" + o.name() + v + "]");
            if (o.multiple()) {
                sb.append("...");
            }
        }
        sb.append("\n");
        if (!info.options().isEmpty()) {
            sb.append("\nOptions:\n");
            for (OptionSpec o : info.options()) {
                sb.append(String.format("  --%-18s %s", o.name() + (o.type().name().equals("BOOLEAN") ? "" : " "
                        + o.type().id()), o.description()));
                if (o.defaultValue() != null) {
                    sb.append(" (default: ").append(o.defaultValue()).append(")");
                }
                if (!o.choices().isEmpty()) {
                    sb.append(" [").append(String.join("|", o.choices())).append("]");
                }
                if (o.required()) {
                    sb.append(" (required)");
                }
                if (o.multiple()) {
                    sb.append(" (repeatable)");
                }
                sb.append("\n");
            }
        }
        if (!info.requirements().isEmpty()) {
            sb.append("\nRequires: ");
            sb.append(String.join(", ", info.requirements().stream().map(Requirement::toString).toList()));
            sb.append("\n");
        }
        return sb.toString();
    }

    static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.strip().split("\\s+")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n');
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
