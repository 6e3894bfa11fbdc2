package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.core.runtime.ContributorFactorySimple;
import org.eclipse.core.runtime.IContributor;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;
import org.junit.Test;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;

public class ExtensionsTest {

    @Test
    public void theRunningPlatformContributesFormatsRenderersAndPlugins() {
        Extensions ext = Extensions.fromPlatform();
        assertTrue(ext.problems().toString(), ext.problems().isEmpty());
        assertEquals(List.of("text", "json", "csv", "bodyfile"), ext.renderers().stream().filter(r -> r
                .contributor().equals("org.vestige.core")).map(r -> r.id()).toList());
        assertTrue(ext.renderers().stream().noneMatch(r -> r.contributor().equals("org.vestige.core") && r
                .writesCaseFile()));
        assertTrue(ext.formats().stream().anyMatch(f -> f.id().equals("raw")));
        PluginInfo info = ext.plugin("evidence.info").orElseThrow().info();
        assertEquals("Evidence", info.category());
        assertEquals("org.vestige.plugin.evidence", info.contributor());
        assertEquals(OptionType.BOOLEAN, info.option("probes").orElseThrow().type());
        // the closest id first, however many analyses the runtime holds
        assertEquals("evidence.info", ext.suggest("evidence.inf", 3).get(0));
        assertTrue(ext.suggest("info", 3).toString(), ext.suggest("info", 3).contains("evidence.info"));
    }

    /** The registry can be fed outside OSGi, e.g. when the engine runs as plain jars in another host. */
    @Test
    public void aHandFedRegistryIsReadAndMalformedContributionsAreReported() {
        withPlugins("""
                <plugin>
                   <extension point="org.vestige.core.plugins">
                      <plugin id="third.party.scan" name="Scan" category="Third party" class="third.party.Scan">
                         <description>Scans things. Carefully.</description>
                         <option name="depth" type="integer" default="3" description="how deep"/>
                         <requires kind="evidence"/>
                      </plugin>
                      <plugin id="third.party.noclass" name="Broken" category="Third party"/>
                      <plugin id="Bad Id" name="Bad" category="Third party" class="x.Y"/>
                      <plugin id="third.party.badoption" name="Bad option" category="X" class="x.Y">
                         <option name="n" type="float"/>
                      </plugin>
                   </extension>
                </plugin>""", ext -> {
            assertEquals(List.of("third.party.scan"), ext.plugins().stream().map(PluginDescriptor::id).toList());
            PluginInfo scan = ext.plugins().get(0).info();
            assertEquals("Scans things.", scan.summary());
            assertEquals("3", scan.option("depth").orElseThrow().defaultValue());
            assertEquals(3, ext.problems().size());
            for (String p : ext.problems()) {
                assertTrue(p, p.startsWith("bundle third.party: "));
            }
            assertTrue(ext.problems().get(0), ext.problems().get(0).contains("'class'"));
            assertTrue(ext.problems().get(2), ext.problems().get(2).contains("float"));
            assertFalse(ext.plugin("third.party.noclass").isPresent());
        });
    }

    /**
     * Reads the contributions of a bundle {@code third.party} to {@code org.vestige.core.plugins} from a
     * registry fed by hand, and checks what was read.
     */
    static void withPlugins(String thirdPartyXml, java.util.function.Consumer<Extensions> check) {
        Object token = new Object();
        IExtensionRegistry registry = RegistryFactory.createRegistry(null, token, token);
        try {
            add(registry, token, "org.vestige.core", """
                    <plugin>
                       <extension-point id="plugins" name="Analysis plugins"/>
                    </plugin>""");
            add(registry, token, "third.party", thirdPartyXml);
            check.accept(new Extensions(registry));
        } finally {
            registry.stop(token);
        }
    }

    private static void add(IExtensionRegistry registry, Object token, String bundle, String xml) {
        IContributor contributor = ContributorFactorySimple.createContributor(bundle);
        boolean ok = registry.addContribution(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                contributor, false, bundle, null, token);
        assertTrue("contribution of " + bundle + " was not accepted", ok);
    }
}
