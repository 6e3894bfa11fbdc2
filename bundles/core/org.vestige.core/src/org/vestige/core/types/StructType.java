package org.vestige.core.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A struct, union or class of a profile, with its fields by name.
 *
 * @since 0.1
 */
public final class StructType {

    private final String name;
    private final String kind;
    private final long size;
    private final Map<String, Field> fields;

    public StructType(String name, String kind, long size, Map<String, Field> fields) {
        this.name = name;
        this.kind = kind;
        this.size = size;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String name() {
        return name;
    }

    /** @return struct, union or class */
    public String kind() {
        return kind;
    }

    public long size() {
        return size;
    }

    public Map<String, Field> fields() {
        return fields;
    }

    /** @return the field directly declared with this name */
    public Optional<Field> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName));
    }

    public boolean has(String fieldName) {
        return fields.containsKey(fieldName);
    }

    @Override
    public String toString() {
        return name + " (" + kind + ", 0x" + Long.toHexString(size) + " bytes, " + fields.size() + " fields)";
    }
}
