package org.vestige.registry;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key to be written by {@link HiveWriter}: a name, optional class name, last-write time, values and
 * subkeys. A mutable tree built by chained calls:
 *
 * <pre>
 * KeySpec root = KeySpec.named("ROOT");
 * root.path("ControlSet001\\Control\\Lsa").subkey("JD").className("00112233");
 * root.subkey("Select").dword("Current", 1);
 * byte[] hive = HiveWriter.write(root);
 * </pre>
 *
 * Names compare case-insensitively as in the registry: asking twice for the same subkey or value name
 * gives the same entry.
 *
 * @since 0.1
 */
public final class KeySpec {

    private final String name;
    private String className;
    private Long lastWritten;
    private int extraFlags;
    private byte[] securityDescriptor;
    private final List<ValueSpec> values = new ArrayList<>();
    private final List<KeySpec> subkeys = new ArrayList<>();

    private KeySpec(String name) {
        if (name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a key name cannot contain a backslash: " + name);
        }
        if (name.length() > 255) {
            throw new IllegalArgumentException("a key name is at most 255 characters: " + name);
        }
        this.name = name;
    }

    /** @return a new key named {@code name} (use it as a root or {@link #add(KeySpec)} it) */
    public static KeySpec named(String name) {
        return new KeySpec(Objects.requireNonNull(name));
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** Sets the class name (stored as UTF-16 in its own cell). */
    public KeySpec className(String newClassName) {
        this.className = newClassName;
        return this;
    }

    /** @return the class name, if set */
    public Optional<String> className() {
        return Optional.ofNullable(className);
    }

    /** Sets the last-write time as a FILETIME (default: the writer's timestamp). */
    public KeySpec lastWritten(long filetime) {
        this.lastWritten = filetime;
        return this;
    }

    /** Sets the last-write time. */
    public KeySpec lastWritten(Instant time) {
        return lastWritten(Filetime.of(time));
    }

    /** @return the last-write FILETIME, if set */
    public Optional<Long> lastWritten() {
        return Optional.ofNullable(lastWritten);
    }

    /**
     * Adds key flags (e.g. {@link RegistryKey#KEY_SYM_LINK}); the writer sets {@link RegistryKey#KEY_COMP_NAME}
     * and, for the root, {@link RegistryKey#KEY_HIVE_ENTRY} and {@link RegistryKey#KEY_NO_DELETE} itself.
     */
    public KeySpec flags(int flags) {
        this.extraFlags = flags;
        return this;
    }

    /** @return the flags added by {@link #flags(int)} */
    public int flags() {
        return extraFlags;
    }

    /** Sets the self-relative security descriptor (default: the writer's, owner Administrators). */
    public KeySpec securityDescriptor(byte[] descriptor) {
        this.securityDescriptor = descriptor.clone();
        return this;
    }

    /** @return the security descriptor, if set */
    public Optional<byte[]> securityDescriptor() {
        return Optional.ofNullable(securityDescriptor).map(byte[]::clone);
    }

    /**
     * Sets a value (replacing one of the same name, compared case-insensitively).
     *
     * @param valueName the name; "" for the default value
     */
    public KeySpec value(String valueName, int type, byte[] data) {
        ValueSpec v = new ValueSpec(valueName, type, data);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).name().equalsIgnoreCase(valueName)) {
                values.set(i, v);
                return this;
            }
        }
        values.add(v);
        return this;
    }

    /** Sets a value of a documented type. */
    public KeySpec value(String valueName, ValueType type, byte[] data) {
        return value(valueName, type.code(), data);
    }

    /** Sets a REG_SZ value (written NUL-terminated). */
    public KeySpec string(String valueName, String text) {
        return value(valueName, ValueType.REG_SZ, utf16z(text));
    }

    /** Sets a REG_EXPAND_SZ value. */
    public KeySpec expandString(String valueName, String text) {
        return value(valueName, ValueType.REG_EXPAND_SZ, utf16z(text));
    }

    /** Sets a REG_MULTI_SZ value. */
    public KeySpec multiString(String valueName, List<String> strings) {
        StringBuilder all = new StringBuilder();
        for (String s : strings) {
            all.append(s).append('\0');
        }
        all.append('\0');
        return value(valueName, ValueType.REG_MULTI_SZ, all.toString().getBytes(StandardCharsets.UTF_16LE));
    }

    /** Sets a REG_DWORD value. */
    public KeySpec dword(String valueName, int number) {
        return value(valueName, ValueType.REG_DWORD, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(number).array());
    }

    /** Sets a REG_DWORD_BIG_ENDIAN value. */
    public KeySpec dwordBigEndian(String valueName, int number) {
        return value(valueName, ValueType.REG_DWORD_BIG_ENDIAN, ByteBuffer.allocate(4).putInt(number).array());
    }

    /** Sets a REG_QWORD value. */
    public KeySpec qword(String valueName, long number) {
        return value(valueName, ValueType.REG_QWORD, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(number).array());
    }

    /** Sets a REG_BINARY value. */
    public KeySpec binary(String valueName, byte[] data) {
        return value(valueName, ValueType.REG_BINARY, data);
    }

    /** @return the values in the order they were set */
    public List<ValueSpec> values() {
        return Collections.unmodifiableList(values);
    }

    /** @return the direct subkeys in the order they were added (the writer sorts them as Windows does) */
    public List<KeySpec> subkeys() {
        return Collections.unmodifiableList(subkeys);
    }

    /** @return the direct subkey {@code subkeyName}, created when absent */
    public KeySpec subkey(String subkeyName) {
        for (KeySpec k : subkeys) {
            if (k.name.equalsIgnoreCase(subkeyName)) {
                return k;
            }
        }
        KeySpec k = new KeySpec(subkeyName);
        subkeys.add(k);
        return k;
    }

    /** @return the key at {@code path} (components separated by a backslash) below this one, created as needed */
    public KeySpec path(String path) {
        KeySpec at = this;
        for (String part : path.split("\\\\")) {
            if (!part.isEmpty()) {
                at = at.subkey(part);
            }
        }
        return at;
    }

    /**
     * Adds {@code child} as a subkey.
     *
     * @throws IllegalArgumentException when a subkey of that name exists
     */
    public KeySpec add(KeySpec child) {
        for (KeySpec k : subkeys) {
            if (k.name.equalsIgnoreCase(child.name)) {
                throw new IllegalArgumentException("subkey " + child.name + " exists under " + name);
            }
        }
        subkeys.add(child);
        return this;
    }

    private static byte[] utf16z(String text) {
        return (text + '\0').getBytes(StandardCharsets.UTF_16LE);
    }

    @Override
    public String toString() {
        return name + " (" + values.size() + " values, " + subkeys.size() + " subkeys)";
    }

    /**
     * A value to be written.
     *
     * @param name the value name ("" for the default value)
     * @param type the type code
     * @param data the data
     * @since 0.1
     */
    public record ValueSpec(String name, int type, byte[] data) {

        public ValueSpec {
            Objects.requireNonNull(name);
            if (name.length() > 16_383) {
                throw new IllegalArgumentException("a value name is at most 16383 characters");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }
}
