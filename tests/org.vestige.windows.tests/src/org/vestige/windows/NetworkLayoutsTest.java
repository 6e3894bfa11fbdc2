package org.vestige.windows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.Test;

/**
 * The tcpip.sys data of this bundle — endpoint layouts, table layouts, the symbols of real tcpip.pdb builds —
 * parses, names its sources and covers every synthesized build; addresses print as RFC 5952 says.
 */
public class NetworkLayoutsTest {

    private static final int[] BUILDS = {7601, 17763, 19041, 22000, 26100};

    @Test
    public void everyEndpointKindHasALayoutWithASourceOnEverySynthesizedBuild() {
        for (int build : BUILDS) {
            for (EndpointKind k : EndpointKind.values()) {
                EndpointLayout l = EndpointLayout.forBuild(build, k).orElseThrow(() -> new AssertionError(k + " "
                        + build));
                assertTrue(l.toString(), l.source().matches("(\\[V[23](-\\d+)?\\])+"));
                assertTrue(l.toString(), l.size() > l.owner() && l.size() > l.localPort() + 1);
                assertEquals(l.toString(), k == EndpointKind.TCP_ENDPOINT, l.remote() != null && l.state() >= 0);
            }
        }
        assertFalse(EndpointLayout.forBuild(9600, EndpointKind.TCP_ENDPOINT).isPresent());
        EndpointLayout win7 = EndpointLayout.forBuild(7601, EndpointKind.TCP_ENDPOINT).orElseThrow();
        assertEquals(0x238, win7.owner());
        assertEquals(-1, win7.created());
        assertArrayEquals(new int[] {0x20, 0, 0x10, 0}, win7.local());
        assertEquals(0x2f0, EndpointLayout.forBuild(26100, EndpointKind.TCP_ENDPOINT).orElseThrow().owner());
        assertEquals(0xa0, EndpointLayout.forBuild(22000, EndpointKind.UDP_ENDPOINT).orElseThrow().localPort());
    }

    @Test
    public void theTablesAreLaidOutFrom17763AndEachRowNamesItsSources() {
        assertFalse(TcpipTableLayout.forBuild(7601).isPresent());
        for (int build : new int[] {17763, 19041, 22000, 26100}) {
            TcpipTableLayout t = TcpipTableLayout.forBuild(build).orElseThrow();
            assertTrue(t.source(), t.source().startsWith("[WDK][V3-"));
            assertEquals(0x20, t.directory());
        }
        assertEquals(0x20, TcpipTableLayout.forBuild(22000).orElseThrow().entrySize());
        assertEquals(0xe8, TcpipTableLayout.forBuild(17763).orElseThrow().assignments());
    }

    @Test
    public void theSymbolsOfEveryRealTcpipBuildAreFoundByTheirIdentity() {
        List<TcpipSymbols> all = TcpipSymbols.all();
        assertEquals(85, all.size());
        assertEquals(all.size(), all.stream().map(TcpipSymbols::identity).distinct().count());
        TcpipSymbols s = TcpipSymbols.forIdentity("021c12b1-5f95-e1f6-61dc-deefb190095a", 1).orElseThrow();
        assertEquals("20348", s.family());
        assertEquals(0x2183f0, s.partitionTable());
        assertEquals(0x2183ec, s.partitionCount());
        assertEquals("021C12B15F95E1F661DCDEEFB190095A", s.guid());
        assertFalse(TcpipSymbols.forIdentity("021C12B15F95E1F661DCDEEFB190095A", 2).isPresent());
        assertEquals(10, TcpipSymbols.ofFamily("pre-17763").size());
        assertEquals(31, TcpipSymbols.ofFamily("17763").size());
        assertEquals(44, TcpipSymbols.ofFamily("20348").size());
    }

    @Test
    public void aMalformedRowIsNamedByItsLine() {
        try {
            EndpointLayout.parse("# header\n7600 9199 TcpX 0x18 0x14 0x238 - 0x68 0x6c 0x6e 0x20 0x20 - 0x28 [V2]\n");
            fail("an unknown pool tag must not parse");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 2"));
        }
    }

    @Test
    public void ipv6AddressesPrintInTheirRfc5952Form() throws UnknownHostException {
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"));
        assertEquals("1:0:0:2::3", text("1:0:0:2:0:0:0:3"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:0db8:0000:0001:0001:0001:0001:0001"));
        assertEquals("::", text("0:0:0:0:0:0:0:0"));
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("fe80::a00:27ff:fe4e:66a1", text("FE80:0:0:0:0A00:27FF:FE4E:66A1"));
        assertEquals("2001:db8:85a3::8a2e:370:7334", text("2001:db8:85a3:0:0:8a2e:370:7334"));
        assertEquals("192.168.56.101", text("192.168.56.101"));
        assertEquals("TCP_LISTENER", EndpointKind.ofPoolTag(0x4C706354 | 0x80000000).name());
        assertNull(EndpointKind.ofPoolTag(0x636F7250));
        assertEquals("TIME_WAIT", NetEndpoint.stateName(12));
    }

    private static String text(String literal) throws UnknownHostException {
        return InetText.format(InetAddress.getByName(literal).getAddress());
    }
}
