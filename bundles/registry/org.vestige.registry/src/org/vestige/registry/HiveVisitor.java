package org.vestige.registry;

/**
 * Receives the keys and values of a hive walk ({@link Hive#walk(HiveVisitor)}) in depth-first order,
 * each key before its values and its values before its subkeys. Paths are relative to the walk's start
 * key, components joined by a backslash; the start key's path is the empty string.
 *
 * @since 0.1
 */
public interface HiveVisitor {

    /**
     * Called for each key reached.
     *
     * @return false to skip the key's values and subkeys
     */
    default boolean key(String path, RegistryKey key, int depth) {
        return true;
    }

    /** Called for each readable value of a key whose {@link #key} returned true. */
    default void value(String keyPath, RegistryKey key, RegistryValue value) {
    }

    /** Called for each problem met; the walk goes on. */
    default void problem(HiveProblem problem) {
    }

    /** @return true to stop the walk as soon as possible (checked between keys), e.g. when cancelled */
    default boolean stopRequested() {
        return false;
    }
}
