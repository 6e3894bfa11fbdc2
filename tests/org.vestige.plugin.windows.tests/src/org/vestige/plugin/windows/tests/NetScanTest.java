package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.NetTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.EndpointKind;
import org.vestige.windows.EndpointLayout;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.NetEndpoint;
import org.vestige.windows.ProcessWalker;
import org.vestige.windows.X64Layer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.netscan} and {@code windows.netstat} through the vestige command on every synthesized build:
 * the whole results (every endpoint, every column) against the synthesizer's truth, in JSON, text and CSV; the
 * closed connection found by the scan, flagged, and not by the walk of tcpip's tables (on 7601, where no table
 * layout is published, both say the tables were not walked), the tables found by the symbols of tcpip.sys's
 * identity on 17763 and by a search of its image on the builds whose tcpip.sys no symbols describe; and damage — a wild owner pointer, a port chain
 * that loops, a wild hash-table link — named while the rest is listed, without hanging.
 */
@RunWith(Parameterized.class)
public class NetScanTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private static final String NA = "(unavailable)";
    private static final String[] COLUMNS = {"Offset(V)", "Proto", "LocalAddr", "LocalPort", "ForeignAddr",
        "ForeignPort", "State", "PID", "Owner", "Created"};

    private final int build;
    private final String profileId;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public NetScanTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(37).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    private static Cli.Invocation run(Path image, String... args) {
        String[] all = new String[4 + args.length];
        System.arraycopy(new String[] {"-f", image.toString(), "--no-hash", "-q"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(all);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    private NetTruth network() {
        NetTruth n = truth.network();
        assertEquals(n.skipped(), null, n.skipped());
        assertEquals(10, n.endpoints().size());
        return n;
    }

    /** An endpoint of the truth as its row shows the shared columns. */
    private static String shared(NetTruth.Endpoint e) {
        boolean udp = e.kind().equals("UdpA");
        return String.join("|", e.inTables() ? "0x" + Long.toHexString(e.address()) : NA, e.protocol(), e
                .localAddress(), String.valueOf(e.localPort()), e.remoteAddress() != null ? e.remoteAddress() : NA, e
                        .remotePort() >= 0 ? String.valueOf(e.remotePort()) : NA, udp ? NA : NetEndpoint.stateName(e
                                .state()), String.valueOf(e.pid()), e.owner(), e.createFileTime() != 0
                                        ? ProcessWalker.instant(e.createFileTime()).toString() : NA);
    }

    private static String cells(JsonNode r, String... columns) {
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
            cells.add(r.get(c).isObject() ? NA : r.get(c).asText());
        }
        return String.join("|", cells);
    }

    @Test
    public void everyEndpointInPoolWithTheClosedOneFlaggedInJsonTextAndCsv() {
        NetTruth n = network();
        Cli.Invocation o = run(image.image(), "windows.netscan", "-r", "json");
        List<JsonNode> rows = JsonLines.parse(o.out());
        Set<String> expected = new HashSet<>();
        for (NetTruth.Endpoint e : n.endpoints()) {
            expected.add(shared(e) + "|" + (n.tables() == null ? String.valueOf(e.inTables()) : NA));
        }
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            assertFalse(r.toString(), r.get("Offset(P)").isObject());
            actual.add(cells(r, COLUMNS) + "|" + cells(r, "InTables"));
        }
        assertEquals(expected, actual);
        assertEquals(n.endpoints().size(), rows.size());
        NetTruth.Endpoint closed = n.endpoints().stream().filter(e -> !e.inTables() && e.state() == 0).findFirst()
                .orElseThrow(() -> new AssertionError("no closed connection outside the tables on " + build));
        if (n.tables() == null) {
            assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains(":" + closed.localPort() + " -> " + closed
                    .remoteAddress()) && l.contains("not in tcpip's tables")));
            assertEquals(1, n.endpoints().stream().filter(e -> !e.inTables()).count());
        } else {
            assertTrue(o.err(), o.err().contains("tcpip's tables were not walked: " + n.tables().substring(0, 10)));
        }
        String text = run(image.image(), "windows.netscan").out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        assertTrue(text, text.contains("2001:db8::1:0:0:1") && text.contains("2001:db8:85a3::8a2e:370:7334"));
        String[] csv = run(image.image(), "windows.netscan", "-r", "csv").out().split("\r?\n");
        assertTrue(csv[0], csv[0].startsWith("Depth,Offset(P),Offset(V),Proto,LocalAddr"));
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void theTablesListEveryLinkedEndpointAndNotTheClosedOne() {
        NetTruth n = network();
        Cli.Invocation o = run(image.image(), "windows.netstat", "-r", "json");
        List<JsonNode> rows = JsonLines.parse(o.out());
        if (n.tables() != null) {
            assertTrue(rows.isEmpty());
            assertTrue(o.err(), o.err().contains("tcpip's tables were not walked"));
            return;
        }
        Set<String> expected = new HashSet<>();
        n.endpoints().stream().filter(NetTruth.Endpoint::inTables).forEach(e -> expected.add(shared(e)));
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            actual.add(cells(r, COLUMNS));
            // the builds whose tcpip.sys carries a real identity are found by the symbols of its installed profile
            // (org.vestige.profile.windows.x64.tcpip), the others by a search
            assertEquals(r.toString(), n.family() != null ? "symbols of tcpip.pdb " + n.identity()
                    + " (profile windows.x64.tcpip." + n.identity() + ")" : "symbol-less search of tcpip.sys's image (no symbols of tcpip.pdb " + n.identity() + ")", r.get(
                            "FoundBy").asText());
            String kind = r.get("Proto").asText().startsWith("UDP") ? "UDP port pool, port " : r.get("State").asText()
                    .equals("LISTENING") ? "TCP port pool, port " : "partition ";
            assertTrue(r.toString(), r.get("Link").asText().startsWith(kind));
        }
        assertEquals(expected, actual);
        assertEquals(n.endpoints().size() - 1, rows.size());
        if (n.family() != null) {
            // without the installed profile, the engine's own table of tcpip symbols finds the same endpoints
            List<JsonNode> without = JsonLines.parse(run(image.image(), "--no-cache", "--exclude-profile",
                    "windows.x64.tcpip." + n.identity(), "windows.netstat", "-r", "json").out());
            assertEquals(rows.size(), without.size());
            assertTrue(without.toString(), without.stream().allMatch(r -> r.get("FoundBy").asText().equals(
                    "symbols of tcpip.pdb " + n.identity())));
        }
        String[] csv = run(image.image(), "windows.netstat", "-r", "csv").out().split("\r?\n");
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test(timeout = 600_000)
    public void aWildOwnerALoopingPortChainAndAWildBucketLinkAreNamedAndTheRestIsListed() throws IOException {
        assumeTrue("the damage is the same on every layout with tables: checked on 19041", build == 19041);
        NetTruth n = network();
        NetTruth.Endpoint connection = n.endpoints().stream().filter(e -> e.kind().equals("TcpE") && e.state() == 4
                && e.protocol().equals("TCPv4")).findFirst().orElseThrow();
        List<NetTruth.Endpoint> mdns = n.endpoints().stream().filter(e -> e.kind().equals("UdpA") && e.localPort()
                == 5353).toList();
        NetTruth.Endpoint listener = n.endpoints().stream().filter(e -> e.kind().equals("TcpL") && e.localPort()
                == 139).findFirst().orElseThrow();
        EndpointLayout tcp = EndpointLayout.forBuild(build, EndpointKind.TCP_ENDPOINT).orElseThrow();
        EndpointLayout udp = EndpointLayout.forBuild(build, EndpointKind.UDP_ENDPOINT).orElseThrow();
        Profile profile = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                .findFirst().orElseThrow().load();
        Path copy = tmp.newFolder().toPath().resolve("damaged.raw");
        Files.copy(image.image(), copy);
        long wild = 0xFFFF_F7A5_DEAD_0000L;
        try (FileLayer physical = FileLayer.open(image.image(), "raw"); FileChannel out = FileChannel.open(copy,
                StandardOpenOption.WRITE)) {
            KernelDiscovery d = new KernelLocator(physical, List.of(profile), LocatorHints.none()).locate();
            X64Layer kernel = d.kernel();
            assertEquals("the wild pointer must map nothing", -1, kernel.translate(wild));
            // the established connection's owner pointer leads nowhere
            write(out, kernel, connection.address() + tcp.owner(), wild);
            // the second endpoint on UDP port 5353 points back at the first: the port's chain loops
            write(out, kernel, mdns.get(1).address() + udp.next(), (mdns.get(0).address() + udp.next()) | 1);
            // the CLOSE_WAIT connection's hash-table link leads nowhere
            NetTruth.Endpoint closing = n.endpoints().stream().filter(e -> e.state() == 7).findFirst().orElseThrow();
            write(out, kernel, closing.address() + tcp.links(), wild);
        }
        Cli.Invocation scan = run(copy, "windows.netscan", "-r", "json");
        List<JsonNode> rows = JsonLines.parse(scan.out());
        assertEquals(n.endpoints().size(), rows.size());
        JsonNode damaged = rows.stream().filter(r -> r.get("LocalPort").asLong() == connection.localPort())
                .findFirst().orElseThrow();
        assertTrue(damaged.toString(), damaged.get("PID").isObject() && damaged.get("PID").toString().contains(
                "is wild"));
        assertEquals(connection.remoteAddress(), damaged.get("ForeignAddr").asText());
        assertTrue(scan.err(), scan.err().lines().anyMatch(l -> l.contains("the owner of TCPv4 " + connection
                .localAddress() + ":" + connection.localPort()) && l.contains("0x" + Long.toHexString(wild))));
        assertTrue(scan.err(), scan.err().lines().anyMatch(l -> l.contains("port 5353") && l.contains("loops back to"
                + " the UdpA at 0x" + Long.toHexString(mdns.get(0).address()))));
        assertTrue(scan.err(), scan.err().lines().anyMatch(l -> l.contains("0x" + Long.toHexString(wild))
                && l.contains("hash-table link")));
        Cli.Invocation stat = run(copy, "windows.netstat", "-r", "json");
        Set<String> listed = new HashSet<>();
        JsonLines.parse(stat.out()).forEach(r -> listed.add(r.get("Offset(V)").asText()));
        assertTrue(listed.toString(), listed.contains("0x" + Long.toHexString(listener.address())));
        assertTrue(listed.toString(), listed.contains("0x" + Long.toHexString(mdns.get(1).address())));
        assertTrue(listed.toString(), listed.contains("0x" + Long.toHexString(connection.address())));
    }

    private static void write(FileChannel out, X64Layer kernel, long va, long value) throws IOException {
        long pa = kernel.translate(va);
        assertTrue("0x" + Long.toHexString(va) + " is mapped", pa >= 0);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), pa);
    }
}
