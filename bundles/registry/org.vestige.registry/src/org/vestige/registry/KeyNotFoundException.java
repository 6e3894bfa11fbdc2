package org.vestige.registry;

/**
 * A key asked for by path does not exist in the hive (as far as the readable part of the hive tells).
 *
 * @since 0.1
 */
public class KeyNotFoundException extends HiveException {

    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param parentOffset cell of the deepest key that was found
     * @param path         the path asked for
     * @param missing      the first component that was not found
     */
    public KeyNotFoundException(long parentOffset, String path, String missing) {
        super(parentOffset, HiveProblem.Kind.NOT_FOUND, "key " + path + " not found: no subkey \"" + missing + "\"");
        this.path = path;
    }

    /** @return the path that was asked for */
    public String path() {
        return path;
    }
}
