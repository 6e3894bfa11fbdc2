package org.vestige.core.types;

/**
 * A member of a struct, union or class.
 *
 * @since 0.1
 */
public record Field(String name, long offset, TypeRef type, boolean anonymous) {
}
