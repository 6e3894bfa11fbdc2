package org.vestige.core.types;

import java.util.Map;
import java.util.Optional;

/**
 * An ISF enumeration.
 *
 * @since 0.1
 */
public record EnumType(String name, int size, String base, Map<String, Long> constants) {

    public EnumType {
        constants = Map.copyOf(constants);
    }

    /** @return the name of a constant with this value */
    public Optional<String> nameOf(long value) {
        return constants.entrySet().stream().filter(e -> e.getValue() == value).map(Map.Entry::getKey).sorted()
                .findFirst();
    }
}
