package org.vestige.api.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Vestige's bundles and features against the dependency rules of docs/architecture.md, and the rules
 * themselves against manifests that break each one.
 */
public class ArchitectureTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void theTreeKeepsTheRules() throws Exception {
        Path root = ApiDisciplineTest.sourceTree();
        List<ArchitectureRules.Dependencies> read = ArchitectureRules.bundles(root, "bundles", "examples");
        // guards against the rules passing because they read nothing
        assertTrue("bundles read: " + read.size(), read.size() >= 20);
        assertTrue(read.stream().anyMatch(d -> d.symbolicName().equals("org.vestige.plugin.windows")));
        assertTrue(ArchitectureRules.featurePlugins(root.resolve("features/org.vestige.windows.feature/feature.xml"))
                .contains("org.vestige.windows"));
        List<String> problems = ArchitectureRules.problems(root);
        assertEquals("architecture rules broken (docs/architecture.md):\n  " + String.join("\n  ", problems) + "\n",
                0, problems.size());
    }

    @Test
    public void aBundleOnCoreAndTheEnginesKeepsTheRules() throws Exception {
        assertEquals(List.of(), check("org.example.good", """
                Import-Package: org.vestige.core.plugin;version="[0.1,1)",
                 org.vestige.windows;version="[0.1,1)"
                Export-Package: org.example.good;version="1.0.0"
                """));
    }

    @Test
    public void dependingOnAnAnalysisBundleIsReported() throws Exception {
        List<String> p = check("org.example.bad", """
                Require-Bundle: org.vestige.plugin.registry
                Import-Package: org.vestige.plugin.windows;version="[0.1,1)"
                """);
        assertEquals(p.toString(), 2, p.size());
        assertTrue(p.get(0), p.get(0).contains("requires the analysis bundle org.vestige.plugin.registry"));
        assertTrue(p.get(1), p.get(1).contains("imports the analysis package org.vestige.plugin.windows"));
    }

    @Test
    public void anAnalysisBundleExportingApiIsReported() throws Exception {
        List<String> p = check("org.vestige.plugin.example", """
                Export-Package: org.vestige.plugin.example;version="0.1.0",
                 org.vestige.plugin.example.more;version="0.1.0";x-internal:=true
                """);
        assertEquals(p.toString(), 1, p.size());
        assertTrue(p.get(0), p.get(0).contains("exports org.vestige.plugin.example without x-internal"));
    }

    @Test
    public void anEngineOnTheUiIsReported() throws Exception {
        List<String> p = check("org.vestige.windows", """
                Require-Bundle: org.eclipse.swt;bundle-version="[3.120.0,4.0.0)"
                Import-Package: org.vestige.ui;version="[0.1,1)",
                 org.eclipse.jface.viewers
                """);
        assertEquals(p.toString(), 3, p.size());
        assertTrue(p.get(0), p.get(0).contains("requires the UI bundle org.eclipse.swt"));
        // the workbench may, of course
        assertEquals(List.of(), check("org.vestige.windows.ui", """
                Require-Bundle: org.eclipse.swt;bundle-version="[3.120.0,4.0.0)"
                Import-Package: org.vestige.ui;version="[0.1,1)"
                """));
    }

    @Test
    public void aFragmentIsNotABundleOfTheProduct() throws Exception {
        assertEquals(List.of(), check("org.vestige.plugin.windows.tests", """
                Fragment-Host: org.vestige.plugin.windows
                Require-Bundle: org.vestige.plugin.registry
                """));
    }

    @Test
    public void testSupportInAFeatureIsReported() throws Exception {
        Path root = temp.newFolder("tree").toPath();
        Path feature = root.resolve("features/org.example.feature/feature.xml");
        Files.createDirectories(feature.getParent());
        Files.writeString(feature, """
                <feature id="org.example.feature">
                   <!-- <plugin id="org.vestige.commented"/> -->
                   <plugin id="org.vestige.core" version="0.0.0"/>
                   <plugin
                         id="org.vestige.testing"
                         version="0.0.0"/>
                </feature>
                """);
        assertEquals(List.of("org.vestige.core", "org.vestige.testing"), ArchitectureRules.featurePlugins(feature));
        List<String> p = ArchitectureRules.problems(root);
        assertEquals(p.toString(), 1, p.size());
        assertTrue(p.get(0), p.get(0).contains("ships org.vestige.testing"));
    }

    private List<String> check(String symbolicName, String headers) throws Exception {
        Path m = temp.newFolder().toPath().resolve("META-INF/MANIFEST.MF");
        Files.createDirectories(m.getParent());
        Files.writeString(m, "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: " + symbolicName
                + "\n" + headers);
        return ArchitectureRules.problems(ArchitectureRules.read(m));
    }
}
