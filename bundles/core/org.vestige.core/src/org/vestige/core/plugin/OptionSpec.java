package org.vestige.core.plugin;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An option an analysis declares in {@code plugin.xml}: its name, type, default and whether it is
 * required or repeatable. Read without loading the plugin's classes.
 *
 * @param name         the option's name, used as {@code --name} on the command line
 * @param type         its type
 * @param description  one line of help
 * @param defaultValue the default as text, or null
 * @param required     whether a value must be given
 * @param multiple     whether the option may be given several times
 * @param choices      the allowed values of a {@link OptionType#CHOICE} option
 * @since 0.1
 */
public record OptionSpec(String name, OptionType type, String description, String defaultValue, boolean required,
        boolean multiple, List<String> choices) {

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' must be lower-case letters, digits and '-'");
        }
        description = description == null ? "" : description;
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (type == OptionType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice option '" + name + "' lists no choices");
        }
    }

    /**
     * Parses one textual value of this option.
     *
     * @throws IllegalArgumentException with a message naming the option and what was expected
     */
    public Object parse(String text) {
        String t = text.trim();
        try {
            return switch (type) {
                case STRING -> text;
                case INTEGER -> parseLong(t, false);
                case ADDRESS -> parseLong(t, true);
                case BOOLEAN -> parseBoolean(t);
                case PATH -> Paths.get(t);
                case CHOICE -> {
                    for (String c : choices) {
                        if (c.equalsIgnoreCase(t)) {
                            yield c;
                        }
                    }
                    throw new IllegalArgumentException("expected one of " + String.join(", ", choices));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --" + name + ": '" + text + "' is not a valid " + type.id()
                    + (e.getMessage() != null && !(e instanceof NumberFormatException) ? " (" + e.getMessage() + ")" : ""),
                    e);
        }
    }

    private static long parseLong(String t, boolean unsigned) {
        String s = t.toLowerCase(Locale.ROOT).replace("_", "");
        if (s.startsWith("0x")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
    }

    private static boolean parseBoolean(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** @return the Java type values of this option parse to */
    public Class<?> valueType() {
        return switch (type) {
            case STRING, CHOICE -> String.class;
            case INTEGER, ADDRESS -> Long.class;
            case BOOLEAN -> Boolean.class;
            case PATH -> Path.class;
        };
    }
}
