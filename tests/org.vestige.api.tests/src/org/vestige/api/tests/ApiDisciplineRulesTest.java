package org.vestige.api.tests;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The checks on small bundles made for the purpose, each breaking one rule. */
public class ApiDisciplineRulesTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path bundle(String exports, String... files) throws IOException {
        Path b = folder.newFolder("bundles", "org.example.b").toPath();
        Files.createDirectories(b.resolve("META-INF"));
        Files.writeString(b.resolve("META-INF/MANIFEST.MF"), """
                Manifest-Version: 1.0
                Bundle-ManifestVersion: 2
                Bundle-SymbolicName: org.example.b;singleton:=true
                Bundle-Version: 0.1.0.qualifier
                Export-Package: %s
                """.formatted(exports));
        Files.writeString(b.resolve("build.properties"), "source.. = src/\nbin.includes = META-INF/,.\n");
        for (int i = 0; i < files.length; i += 2) {
            Path f = b.resolve("src").resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        return folder.getRoot().toPath();
    }

    private static List<String> problems(Path root) throws Exception {
        return ApiDiscipline.problems(Bundles.under(root, "bundles"));
    }

    @Test
    public void aBundleThatFollowsThePolicyHasNoProblems() throws Exception {
        Path root = bundle("org.example.b;version=\"0.2.0\",\n org.example.b.internal;version=\"0.2.0\";x-internal:=true",
                "org/example/b/Api.java", "package org.example.b;\n/**\n * Api.\n *\n * @since 0.2\n */\npublic interface Api {}\n",
                "org/example/b/Helper.java", "package org.example.b;\nclass Helper {}\n",
                "org/example/b/internal/Impl.java", "package org.example.b.internal;\npublic class Impl {}\n");
        assertEquals(List.of(), problems(root));
    }

    @Test
    public void everyBrokenRuleIsReported() throws Exception {
        Path root = bundle("org.example.b,\n org.example.b.internal;version=\"0.1.0\",\n org.example.b.gone;version=\"0.1.0\","
                + "\n org.example.b.later;version=\"0.1.0\"",
                "org/example/b/Api.java", "package org.example.b;\n/** Api. */\npublic interface Api {}\n",
                "org/example/b/internal/Impl.java", "package org.example.b.internal;\npublic class Impl {}\n",
                "org/example/b/later/Later.java", "package org.example.b.later;\n/** @since 0.2 */\npublic class Later {}\n");
        assertEquals(List.of(
                "org.example.b: org.example.b is exported without a version",
                "org.example.b: org.example.b.Api (Api.java:3) is public API without @since in its Javadoc",
                "org.example.b: org.example.b.internal is an internal package exported as API: add x-internal:=true (or x-friends)",
                "org.example.b: org.example.b.gone is exported but is not in the bundle's sources [src]",
                "org.example.b: org.example.b.later.Later (Later.java:3) has @since 0.2, later than its package's version 0.1.0"),
                problems(root));
    }

    @Test
    public void friendsPackagesAreNotApi() throws Exception {
        Path root = bundle("org.example.b.internal;version=\"0.1.0\";x-friends:=\"org.example.c\"",
                "org/example/b/internal/Impl.java", "package org.example.b.internal;\npublic class Impl {}\n");
        assertEquals(List.of(), problems(root));
    }
}
