package org.vestige.testing;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.IsfReader;

/**
 * Locates the third-party test data that lives beside the project (in {@code ../shared/testdata}),
 * never inside it. Tests that need a file call {@link #require(String)}: when the folder or the file
 * is absent, the test is skipped with a message naming what was looked for, so the suite passes on
 * any fresh clone.
 *
 * <p>The folder is taken from the system property {@code vestige.testdata} when set (the build sets
 * it), otherwise it is searched for upwards from the working directory as {@code shared/testdata}
 * beside a parent folder.
 *
 * @since 0.1
 */
public final class TestData {

    /** System property naming the test-data folder. */
    public static final String PROPERTY = "vestige.testdata";

    /** The folder of partial reference layouts (Windows 11 22621+), which installed bundles supplement. */
    private static final String PARTIAL = "isf-partial";

    /** System property naming the folder of reference kernel profiles (ISF). */
    public static final String PROFILES_PROPERTY = "vestige.profiles";

    private TestData() {
    }

    /** @return the test-data folder, or {@code null} when none is present on this machine */
    public static Path root() {
        return locate(PROPERTY, "testdata");
    }

    /** @return the reference-profile folder (ISF files), or {@code null} when none is present */
    public static Path profilesRoot() {
        return locate(PROFILES_PROPERTY, "profiles");
    }

    private static Path locate(String property, String folder) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured).toAbsolutePath().normalize();
            return Files.isDirectory(p) ? p : null;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve(folder);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Returns a kernel profile (e.g. {@code isf-full/windows/ntkrnlmp.pdb/GUID-AGE.json.xz}): the reference
     * file in the profiles folder when it is there, otherwise the copy of the same file that an installed
     * profile bundle ships (trimmed to the types and symbols Vestige reads, which is all a synthesized image
     * needs). A partial layout ({@code isf-partial/...}) comes from the installed bundle first: the bundle
     * ships the reference completed by its supplement, which is what Vestige reads those kernels with. The
     * calling test is skipped, with a message naming both places, only when neither has it. Tests of the
     * reference files themselves call {@link #requireReferenceProfile(String)}.
     */
    public static Path requireProfile(String relative) {
        Path root = profilesRoot();
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        if (relative.startsWith(PARTIAL + "/")) {
            // a partial reference layout is what the installed bundle completes with its supplement (never
            // overriding it): the shipped profile is the one Vestige reads such kernels with
            Path installed = installedProfile(name);
            if (installed != null) {
                return installed;
            }
        }
        if (root != null && Files.exists(root.resolve(relative))) {
            return root.resolve(relative);
        }
        Path installed = installedProfile(name);
        assumeTrue("profile " + relative + " is neither in the reference profiles ("
                + (root == null ? "not found: set -D" + PROFILES_PROPERTY + " or place them at ../shared/profiles"
                        : root) + ") nor shipped by an installed profile bundle; skipping", installed != null);
        return installed;
    }

    /**
     * Returns a reference profile as third parties published it, skipping the calling test when the
     * profiles folder or the file is absent. For tests of the profiles themselves (reading, trimming).
     */
    public static Path requireReferenceProfile(String relative) {
        Path root = profilesRoot();
        assumeTrue("reference profiles not found (set -D" + PROFILES_PROPERTY
                + " or place them at ../shared/profiles); skipping test that needs " + relative, root != null);
        Path file = root.resolve(relative);
        assumeTrue("profile " + file + " is absent; skipping", Files.exists(file));
        return file;
    }

    private static final Map<String, Path> INSTALLED = new HashMap<>();

    /** @return the installed profile bundle's file of that name, copied out of its bundle once, or null */
    private static synchronized Path installedProfile(String name) {
        if (INSTALLED.containsKey(name)) {
            return INSTALLED.get(name);
        }
        Path out = null;
        Bundle self = FrameworkUtil.getBundle(TestData.class);
        for (ProfileDescriptor d : Extensions.fromPlatform().profiles()) {
            if (!d.file().equals(name) && !d.file().endsWith("/" + name)) {
                continue;
            }
            for (Bundle b : self == null ? new Bundle[0] : self.getBundleContext().getBundles()) {
                URL entry = b.getSymbolicName().equals(d.contributor()) ? b.getEntry(d.file()) : null;
                if (entry == null) {
                    continue;
                }
                try (InputStream in = entry.openStream()) {
                    Path dir = Files.createTempDirectory("vestige-profile");
                    dir.toFile().deleteOnExit();
                    out = dir.resolve(name);
                    if (d.types() == null) {
                        Files.copy(in, out);
                    } else {
                        // the kernel's own document holds only what differs from its build's shared types; the
                        // whole profile is written xz-compressed, as its file name says
                        try (InputStream shared = b.getEntry(d.types()).openStream();
                                OutputStream xz = new XZOutputStream(Files.newOutputStream(out), new LZMA2Options(1))) {
                            xz.write(IsfReader.layeredJson(shared, in, d.id()));
                        }
                    }
                    out.toFile().deleteOnExit();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy the installed profile " + d.id(), e);
                }
                break;
            }
            if (out != null) {
                break;
            }
        }
        INSTALLED.put(name, out);
        return out;
    }

    /**
     * Returns the file at {@code relative} inside the test-data folder, skipping the calling test
     * (JUnit assumption) when it is not there.
     */
    public static Path require(String relative) {
        Path root = root();
        assumeTrue("third-party test data not found (set -D" + PROPERTY
                + " or place it at ../shared/testdata); skipping test that needs " + relative, root != null);
        Path file = root.resolve(relative);
        assumeTrue("test data file " + file + " is absent; skipping", Files.exists(file));
        return file;
    }

    /**
     * Returns the file at {@code relative} inside the test-data folder when it is there, for tests that
     * cover more ground with third-party files but do not need them (the caller says what it left out
     * when the file is absent).
     *
     * @return the file, or empty when the folder or the file is absent
     */
    public static Optional<Path> find(String relative) {
        Path root = root();
        Path file = root == null ? null : root.resolve(relative);
        return file != null && Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** Reads a test-data file whole, decompressing it when its name ends in {@code .xz}. */
    public static byte[] readAll(String relative) {
        Path file = require(relative);
        try {
            if (file.getFileName().toString().endsWith(".xz")) {
                try (InputStream in = new XZInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test data " + file, e);
        }
    }
}
