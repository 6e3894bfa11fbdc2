package org.vestige.core.plugin;

import java.util.Locale;

/**
 * The types an analysis option may declare in {@code plugin.xml}. The CLI and the workbench's
 * generated forms both parse and validate values by type.
 *
 * @since 0.1
 */
public enum OptionType {
    /** Free text. */
    STRING,
    /** A decimal (or 0x-prefixed hex) integer. */
    INTEGER,
    /** An address: 0x-prefixed hex or decimal, unsigned 64-bit. */
    ADDRESS,
    /** true/false; on the command line a flag without a value. */
    BOOLEAN,
    /** A file or folder path. */
    PATH,
    /** One of the values listed in the option's {@code choices}. */
    CHOICE;

    public static OptionType parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown option type '" + id + "' (expected one of string, integer, "
                    + "address, boolean, path, choice)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
