package org.vestige.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.testing.TestData;

/** The third-party hives of {@code registry/}, decompressed once per run. */
public final class TestHives {

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private TestHives() {
    }

    /** @return the bytes of {@code registry/<name>.xz} (skips the calling test when absent) */
    public static byte[] bytes(String name) {
        byte[] cached = CACHE.get(name);
        if (cached == null) {
            cached = TestData.readAll("registry/" + name + ".xz");
            CACHE.put(name, cached);
        }
        return cached;
    }

    /** @return the hive {@code registry/<name>.xz} opened from memory */
    public static Hive open(String name) {
        return Hive.of(name, bytes(name));
    }
}
