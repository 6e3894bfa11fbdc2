package org.vestige.core.result;

import java.time.Instant;

import org.vestige.core.layer.PageProvenance;

/**
 * The kinds of value a result column holds. Renderers and views format by type (an address in
 * hex, a time in UTC, a provenance by its kind), so plugins hand over values, never text.
 *
 * @since 0.1
 */
public enum ColumnType {
    /** A 64-bit address, shown in hex. Java type {@link Long} (unsigned). */
    ADDRESS(Long.class),
    /** A signed integer. Java type {@link Long}. */
    INTEGER(Long.class),
    /** A process or thread id. Java type {@link Long}. */
    PID(Long.class),
    /** A size or length in bytes. Java type {@link Long}. */
    SIZE(Long.class),
    /** Text. Java type {@link String}. */
    STRING(String.class),
    /** A point in time (UTC). Java type {@link Instant}. */
    TIME(Instant.class),
    /** A digest in lower-case hex. Java type {@link String}. */
    HASH(String.class),
    /** A flag. Java type {@link Boolean}. */
    BOOLEAN(Boolean.class),
    /** Where bytes came from. Java type {@link PageProvenance}. */
    PROVENANCE(PageProvenance.class),
    /** Raw bytes, shown in hex. Java type {@code byte[]}. */
    BYTES(byte[].class);

    private final Class<?> javaType;

    ColumnType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** @return the Java type of this column's values */
    public Class<?> javaType() {
        return javaType;
    }

    /** @return the lower-case name used in JSON schemas and plugin.xml */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
