package org.vestige.windows.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a data file shipped in this bundle (the per-build layout tables under {@code data/}).
 *
 * @since 0.1
 */
public final class BundleData {

    private BundleData() {
    }

    /**
     * @return the UTF-8 text of {@code resource}
     * @throws IllegalStateException when the bundle lacks it
     */
    public static String text(String resource) {
        try (InputStream in = BundleData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from bundle org.vestige.windows");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " cannot be read", e);
        }
    }
}
