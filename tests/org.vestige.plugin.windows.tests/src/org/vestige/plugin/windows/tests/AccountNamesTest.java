package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.registry.AccountNames;
import org.vestige.synth.HiveMemoryWriter.HivePlacement;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.TokenTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.Sid;
import org.vestige.windows.SidName;

/**
 * Account names read from the SAM and SOFTWARE hives the synthesizer placed in memory: local accounts by the
 * machine SID and the SAM's Names keys, domain users by ProfileList, the rest by the well-known table; without
 * hives, the well-known names alone and a note saying why.
 */
public class AccountNamesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final String PROFILE = "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1";

    private static AccountNames names(ImageSynthesizer.Output image) throws Exception {
        Extensions ext = Extensions.fromPlatform();
        Path out = tmp.newFolder().toPath();
        try (EvidenceCase c = EvidenceCase.open(image.image(), List.of(), ext.formats(), false,
                new NullProgressMonitor()); AnalysisSession session = new AnalysisSession(c, ext, SessionSettings
                        .writingTo(out))) {
            AccountNames names = AccountNames.of(session, "test");
            assertTrue("made once per session", names == AccountNames.of(session, "test"));
            return names;
        }
    }

    @Test(timeout = 300_000)
    public void namesComeFromTheSamProfileListAndTheWellKnownTable() throws Exception {
        ImageSynthesizer.Output image = SynthesizedImages.installed(PROFILE, SynthOptions.builder().seed(35)
                .windowsBuild(19041).hives(HivePlacement.RESIDENT).build());
        TokenTruth truth = image.truth().tokens();
        AccountNames names = names(image);
        assertEquals(List.of(), names.notes());
        assertEquals(Optional.of(Sid.parse(truth.machineSid())), names.machineDomain());
        assertEquals(Optional.of(new SidName("localuser01", SidName.SAM)), names.name(Sid.parse(truth.machineSid()
                + "-1001")));
        // the SAM names RID 500 too, ahead of the well-known table
        assertEquals(Optional.of(new SidName("Administrator", SidName.SAM)), names.name(Sid.parse(truth.machineSid()
                + "-500")));
        assertEquals(Optional.of(new SidName("alice", SidName.SAM)), names.name(Sid.parse(truth.machineSid()
                + "-1003")));
        // RID 513 of the machine is no account in the SAM: the well-known table names the group
        assertEquals(Optional.of(new SidName("Domain Users", SidName.WELL_KNOWN)), names.name(Sid.parse(truth
                .machineSid() + "-513")));
        Map.Entry<String, String> roaming = truth.profileList().entrySet().stream().filter(e -> e.getValue()
                .endsWith("\\jdoe")).findFirst().orElseThrow();
        assertEquals(Optional.of(new SidName("jdoe", SidName.PROFILE_LIST)), names.name(Sid.parse(roaming
                .getKey())));
        // a local RID on another domain is not a local account
        String other = roaming.getKey().substring(0, roaming.getKey().lastIndexOf('-')) + "-1001";
        assertEquals(Optional.empty(), names.name(Sid.parse(other)));
        assertEquals(Optional.of(new SidName("Local System", SidName.WELL_KNOWN)), names.name(Sid.parse(
                "S-1-5-18")));
    }

    @Test(timeout = 300_000)
    public void withoutHivesOnlyTheWellKnownTableAnswersAndSaysWhy() throws Exception {
        ImageSynthesizer.Output image = SynthesizedImages.installed(PROFILE, SynthOptions.builder().seed(33)
                .windowsBuild(19041).build());
        AccountNames names = names(image);
        assertTrue(names.notes().toString(), names.notes().stream().anyMatch(n -> n.contains("no SAM hive")));
        assertTrue(names.notes().toString(), names.notes().stream().anyMatch(n -> n.contains("no SOFTWARE hive")));
        assertEquals(Optional.empty(), names.machineDomain());
        assertEquals(Optional.empty(), names.name(Sid.parse(image.truth().tokens().machineSid() + "-1001")));
        assertEquals(Optional.of(new SidName("Network Service", SidName.WELL_KNOWN)), names.name(Sid.parse(
                "S-1-5-20")));
    }
}
