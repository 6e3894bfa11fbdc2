package org.vestige.windows;

/**
 * One entry of a process's environment block. Names may begin with '=' (the per-drive current
 * directories, e.g. {@code =C:}); the name ends at the first '=' after its first character.
 *
 * @since 0.1
 */
public record EnvironmentVariable(String name, String value) {

    /** Splits a {@code name=value} entry; an entry without '=' is a name with an empty value. */
    public static EnvironmentVariable parse(String entry) {
        int eq = entry.indexOf('=', 1);
        return eq < 0 ? new EnvironmentVariable(entry, "") : new EnvironmentVariable(entry.substring(0, eq), entry
                .substring(eq + 1));
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
