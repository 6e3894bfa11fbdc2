package org.vestige.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The services the SYSTEM hive declares: each subkey of {@code <current control set>\Services} that has a
 * {@code Type} value (the Service Control Manager skips the others), with its DisplayName, ImagePath, Type
 * and Start. What cannot be read becomes a note and the other keys are still read.
 *
 * @since 0.1
 */
public final class ServiceKeys {

    /** More services than this is not a real machine's registry. */
    private static final int MAX_SERVICES = 100_000;

    /**
     * One service key.
     *
     * @param name        the key's name: the service's name
     * @param displayName DisplayName, or null when absent
     * @param imagePath   ImagePath, or null when absent
     * @param type        Type
     * @param start       Start, or -1 when absent
     * @since 0.1
     */
    public record ServiceKey(String name, String displayName, String imagePath, long type, long start) {
    }

    private final String path;
    private final Map<String, ServiceKey> services;
    private final List<String> notes;

    private ServiceKeys(String path, Map<String, ServiceKey> services, List<String> notes) {
        this.path = path;
        this.services = services;
        this.notes = List.copyOf(notes);
    }

    /**
     * Reads the Services key of the SYSTEM hive loaded in memory.
     *
     * @return the services, or empty with the reason when there is no SYSTEM hive or it cannot be read
     */
    public static Readable of(MemoryHives hives) {
        Optional<LoadedHive> loaded = hives.listing().machineHive("SYSTEM");
        if (loaded.isEmpty()) {
            return new Readable(null, "no SYSTEM hive is on the hive list (" + MemoryHives.LIST_HEAD + ")");
        }
        try {
            return new Readable(of(Hive.open(hives.source(loaded.get()))), null);
        } catch (HiveException e) {
            return new Readable(null, "the SYSTEM hive at 0x" + Long.toHexString(loaded.get().address())
                    + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * The services of a SYSTEM hive, or why they could not be read.
     *
     * @param keys the services, or null
     * @param why  why there are none, or null
     * @since 0.1
     */
    public record Readable(ServiceKeys keys, String why) {
    }

    /**
     * Reads the Services key of the hive's current control set.
     *
     * @throws HiveException when the hive has no control set or its Services key cannot be read
     */
    public static ServiceKeys of(Hive system) {
        String path = ControlSets.current(system).keyName() + "\\Services";
        RegistryKey root = system.findKey(path).orElseThrow(() -> new KeyNotFoundException(system.rootCellOffset(),
                path, path));
        List<String> notes = new ArrayList<>();
        Map<String, ServiceKey> out = new LinkedHashMap<>();
        for (RegistryKey k : root.subkeys(p -> notes.add(path + ": " + p))) {
            if (out.size() >= MAX_SERVICES) {
                notes.add(path + ": more than " + MAX_SERVICES + " services; the rest are not read");
                break;
            }
            try {
                Optional<RegistryValue> type = k.value("Type");
                if (type.isPresent()) {
                    out.put(k.name().toLowerCase(Locale.ROOT), new ServiceKey(k.name(), text(k, "DisplayName"), text(k,
                            "ImagePath"), type.get().asDword(), k.value("Start").map(RegistryValue::asDword).orElse(
                                    -1L)));
                }
            } catch (HiveException e) {
                notes.add(path + "\\" + k.name() + ": " + e.getMessage());
            }
        }
        return new ServiceKeys(path, out, notes);
    }

    private static String text(RegistryKey key, String value) {
        return key.value(value).map(RegistryValue::asString).orElse(null);
    }

    /** @return the key read, e.g. {@code ControlSet001\Services} */
    public String path() {
        return path;
    }

    /** @return the service named {@code name} (case-insensitive, as the SCM compares names) */
    public Optional<ServiceKey> find(String name) {
        return Optional.ofNullable(services.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return every service, in the hive's key order */
    public List<ServiceKey> all() {
        return List.copyOf(services.values());
    }

    /** @return what could not be read, and why */
    public List<String> notes() {
        return notes;
    }
}
