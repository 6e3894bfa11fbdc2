package org.vestige.api.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Vestige's own bundles against docs/API_POLICY.md. Every problem is listed, not only the first, so
 * one run shows all there is to fix.
 */
public class ApiDisciplineTest {

    private static List<Bundles.Bundle> bundles;

    @BeforeClass
    public static void readTheTree() throws Exception {
        Path root = sourceTree();
        bundles = Bundles.under(root, "bundles", "examples");
    }

    /** The repository root: the vestige.sources property the build sets, else found upwards from here. */
    static Path sourceTree() {
        String property = System.getProperty("vestige.sources");
        if (property != null && Files.isDirectory(Path.of(property, "bundles"))) {
            return Path.of(property);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("bundles/core/org.vestige.core"))) {
                return p;
            }
        }
        fail("Vestige's source tree was not found: set -Dvestige.sources=ROOT (the build sets it)");
        return null;
    }

    @Test
    public void theTreeHasTheBundlesItShould() {
        // guards against the checks passing because they read nothing
        assertTrue("bundles found: " + bundles.size(), bundles.size() >= 20);
        assertTrue(bundles.stream().anyMatch(b -> b.symbolicName().equals("org.vestige.core") && b.exports().size() >= 8));
    }

    @Test
    public void apiPolicyHolds() throws Exception {
        List<String> problems = ApiDiscipline.problems(bundles);
        assertEquals("API policy problems (docs/API_POLICY.md):\n  " + String.join("\n  ", problems) + "\n", 0,
                problems.size());
    }
}
