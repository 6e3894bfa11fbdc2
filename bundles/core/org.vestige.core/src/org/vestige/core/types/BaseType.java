package org.vestige.core.types;

/**
 * An ISF base type: {@code kind} is int, char, bool, float or void.
 *
 * @since 0.1
 */
public record BaseType(String name, String kind, int size, boolean signed, boolean littleEndian) {
}
