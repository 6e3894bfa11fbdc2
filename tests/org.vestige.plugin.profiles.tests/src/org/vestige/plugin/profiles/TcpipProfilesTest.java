package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.Test;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.testing.TestData;
import org.vestige.windows.PdbIdentity;
import org.vestige.windows.ProfileMatcher;

/**
 * The shipped tcpip.sys symbol tables: each real tcpip.pdb identity resolves, by its PDB identity alone, to its
 * installed profile, which keeps every listed symbol of the source at the source's RVA and nothing else; an
 * identity that is not installed gets the nearest build's profile and says so; a table without the listed
 * symbols is refused.
 */
public class TcpipProfilesTest {

    private static final String REFERENCE = "isf-jpcert/windows/tcpip.pdb";
    private static final String BUNDLE = "org.vestige.profile.windows.x64.tcpip";

    private static List<ProfileDescriptor> installedTcpip() {
        return Extensions.fromPlatform().profiles().stream().filter(d -> "tcpip.pdb".equals(d.pdbName())).toList();
    }

    @Test
    public void everyReferenceTcpipResolvesToItsOwnProfileWithTheSourcesRvas() throws IOException {
        Path folder = TestData.requireReferenceProfile(REFERENCE);
        List<Path> sources;
        try (Stream<Path> files = Files.list(folder)) {
            sources = files.filter(p -> p.getFileName().toString().endsWith(".json.xz")).sorted().toList();
        }
        assertEquals("tcpip.pdb tables in " + folder, 85, sources.size());
        ProfileMatcher matcher = new ProfileMatcher(Extensions.fromPlatform().profiles());
        int checked = 0;
        for (Path file : sources) {
            Profile source = IsfReader.read(file);
            PdbIdentity pdb = new PdbIdentity(source.identity().pdbName(), source.identity().guid(), source
                    .identity().age());
            ProfileMatcher.ModuleMatch match = matcher.forModule(pdb, 0, 0).orElseThrow(() -> new AssertionError(
                    "no tcpip.pdb profile installed"));
            assertTrue(pdb + ": " + match.reason(), match.exact());
            assertEquals(BUNDLE, match.profile().contributor());
            assertEquals("windows.x64.tcpip." + pdb.guid() + "-" + pdb.age(), match.profile().id());
            Profile shipped = match.profile().load();
            assertEquals(pdb.guid(), shipped.identity().guid());
            assertEquals(pdb.age(), shipped.identity().age());
            Map<String, Long> expected = new TreeMap<>();
            source.symbols().forEach((name, rva) -> {
                if (IsfTrimmer.TCPIP_SYMBOLS.contains(name)) {
                    expected.put(name, rva);
                }
            });
            assertTrue(file + " has no PartitionTable", expected.containsKey("PartitionTable"));
            assertEquals(file.getFileName().toString(), expected, new TreeMap<>(shipped.symbols()));
            assertTrue(shipped.structs().isEmpty());
            checked++;
        }
        assertEquals(sources.size(), checked);
        assertEquals("installed tcpip.pdb profiles", sources.size(), installedTcpip().size());
    }

    @Test
    public void aTcpipNotInstalledGetsTheNearestBuildsProfileAndSaysSo() {
        List<ProfileDescriptor> installed = installedTcpip();
        assertFalse("no tcpip.pdb profile is installed", installed.isEmpty());
        ProfileMatcher matcher = new ProfileMatcher(Extensions.fromPlatform().profiles());
        PdbIdentity absent = new PdbIdentity("tcpip.pdb", "00000000000000000000000000000000", 1);
        for (int build : new int[] {17763, 20348}) {
            assertTrue("an installed tcpip.pdb of build " + build, installed.stream().anyMatch(d -> d.build() == build));
            ProfileMatcher.ModuleMatch m = matcher.forModule(absent, build + 1, 0).orElseThrow();
            assertFalse(m.exact());
            assertEquals(m.reason(), build, m.profile().build());
            assertTrue(m.reason(), m.reason().contains(absent.key() + " is not installed") && m.reason().contains(m
                    .profile().id()) && m.reason().contains("nearest to " + (build + 1)));
        }
        // a build of no installed profile: the nearest build that is installed
        ProfileMatcher.ModuleMatch newer = matcher.forModule(absent, 26100, 0).orElseThrow();
        assertEquals(newer.reason(), installed.stream().mapToInt(ProfileDescriptor::build).max().orElseThrow(), newer
                .profile().build());
        // another driver of which nothing is installed: nothing, rather than a wrong driver's symbols
        assertTrue(matcher.forModule(new PdbIdentity("afd.pdb", absent.guid(), 1), 19041, 0).isEmpty());
    }

    @Test
    public void aKernelNotInstalledGetsItsBuildsNearestRevisionAndNoDriverStandsInForAKernel() {
        List<ProfileDescriptor> all = Extensions.fromPlatform().profiles();
        ProfileMatcher matcher = new ProfileMatcher(all);
        int revision = 1300;
        ProfileDescriptor nearest = all.stream().filter(d -> d.build() == 19041 && "ntkrnlmp.pdb".equals(d.pdbName()))
                .min(Comparator.comparingInt((ProfileDescriptor d) -> Math.abs(d.revision() - revision))
                        .thenComparing(Comparator.comparingInt(ProfileDescriptor::revision).reversed())).orElseThrow();
        ProfileMatcher.ModuleMatch m = matcher.forModule(new PdbIdentity("ntkrnlmp.pdb",
                "00000000000000000000000000000000", 1), 19041, revision).orElseThrow();
        assertFalse(m.exact());
        assertEquals(m.reason(), nearest.id(), m.profile().id());
        assertTrue(m.reason(), m.reason().contains("revision " + nearest.revision()));

        ProfileDescriptor tcpip = installedTcpip().stream().filter(d -> d.build() == 17763).findFirst().orElseThrow();
        List<String> notes = new ArrayList<>();
        List<ProfileDescriptor> chosen = matcher.forKernel(new PdbIdentity("tcpip.pdb", tcpip.pdbGuid(), tcpip
                .pdbAge()), 17763, 0, notes);
        assertFalse(notes.toString(), chosen.isEmpty());
        assertTrue(chosen.toString(), chosen.stream().allMatch(ProfileMatcher::describesKernel));
        assertTrue(matcher.forBuild(17763).map(ProfileMatcher::describesKernel).orElse(false));
    }

    @Test
    public void aTcpipTableWithoutTheListedSymbolsIsRefused() throws IOException {
        String isf = """
                {"metadata": {"format": "6.1.0", "windows": {"pdb": {"GUID": "0123456789ABCDEF0123456789ABCDEF",
                   "age": 1, "database": "tcpip.pdb", "machine_type": 34404}}},
                 "base_types": {}, "user_types": {}, "enums": {},
                 "symbols": {"TcpStartPartitionModule": {"address": 4096}, "IppInspectLocalDatagrams": {"address": 8192}}}
                """;
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        try {
            writer.add("no-globals.json", "no-globals", isf.getBytes(StandardCharsets.UTF_8), null);
            fail("a tcpip.pdb table without any listed symbol was accepted");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("none of the symbols Vestige reads from tcpip.pdb"));
        }
        String withGlobals = isf.replace("\"TcpStartPartitionModule\"", "\"PartitionTable\"");
        ProfileBundleWriter.Imported ok = writer.add("globals.json", "globals", withGlobals.getBytes(
                StandardCharsets.UTF_8), null);
        assertEquals("windows.x64.tcpip.0123456789ABCDEF0123456789ABCDEF-1", ok.id());
        assertEquals(BUNDLE, ok.bundle());
        assertEquals(1, ok.symbols());
        assertEquals(0, ok.build());
    }
}
