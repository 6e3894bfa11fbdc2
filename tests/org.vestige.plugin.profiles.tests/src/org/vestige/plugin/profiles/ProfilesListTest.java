package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;

/** {@code profiles.list}: one row per installed profile, as the bundles declare it. */
public class ProfilesListTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private AnalysisResult run(Map<String, List<String>> given) throws Exception {
        Extensions extensions = Extensions.fromPlatform();
        PluginInfo info = extensions.plugin("profiles.list").orElseThrow().info();
        try (AnalysisSession session = new AnalysisSession(null, extensions, SessionSettings.writingTo(temp.getRoot()
                .toPath()))) {
            return session.run(info, new ProfilesList(), Options.parse(info, given), new NullProgressMonitor());
        }
    }

    @Test
    public void listsEveryInstalledKernelAndDriverWithItsIdentityRevisionAndOrigin() throws Exception {
        List<ProfileDescriptor> installed = Extensions.fromPlatform().profiles();
        List<Row> rows = run(Map.of()).table().rows();
        assertEquals(installed.size(), rows.size());
        ProfileDescriptor kernel = installed.stream().filter(d -> d.build() == 19041 && d.pdbGuid() != null)
                .findFirst().orElseThrow();
        Row row = rows.stream().filter(r -> r.get(ProfilesList.PROFILE).equals(kernel.id())).findFirst()
                .orElseThrow();
        assertEquals(kernel.pdbName() + "/" + kernel.pdbGuid() + "-" + kernel.pdbAge(), row.get(ProfilesList.PDB));
        assertEquals(Long.valueOf(kernel.revision()), row.get(ProfilesList.REVISION));
        assertTrue(row.get(ProfilesList.ORIGIN), row.get(ProfilesList.ORIGIN).contains("isf-jpcert/")
                && row.get(ProfilesList.ORIGIN).contains("about_files/"));
        assertEquals(kernel.file() + " over " + kernel.types(), row.get(ProfilesList.STORAGE));

        List<ProfileDescriptor> tcpip = installed.stream().filter(d -> "tcpip.pdb".equals(d.pdbName())).toList();
        assertEquals(85, tcpip.size());
        for (ProfileDescriptor d : tcpip) {
            Row r = rows.stream().filter(x -> x.get(ProfilesList.PROFILE).equals(d.id())).findFirst().orElseThrow();
            assertEquals("tcpip.pdb/" + d.pdbGuid() + "-" + d.pdbAge(), r.get(ProfilesList.PDB));
            assertEquals("org.vestige.profile.windows.x64.tcpip", r.get(ProfilesList.BUNDLE));
            assertEquals(d.file(), r.get(ProfilesList.STORAGE));
            assertTrue(r.get(ProfilesList.ORIGIN), r.get(ProfilesList.ORIGIN).startsWith("isf-jpcert/windows/tcpip.pdb/"
                    + d.pdbGuid() + "-" + d.pdbAge() + ".json.xz; license in about_files/"));
        }

        List<Row> one = run(Map.of("build", List.of("19041"))).table().rows();
        assertEquals(installed.stream().filter(d -> d.build() == 19041).count(), one.size());
        assertTrue(one.stream().allMatch(r -> r.get(ProfilesList.BUILD) == 19041L));
    }
}
