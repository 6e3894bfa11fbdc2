package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The network endpoints the synthesizer gave tcpip.sys: each TCP connection, TCP listener and UDP endpoint in
 * pool memory, and whether tcpip's own tables (the partitions' hash tables, the port pools) reach it. A closed
 * connection stays in its pool block, unlinked from the tables.
 *
 * @param skipped     why tcpip.sys holds no endpoints (no endpoint layout for the build), or null
 * @param identity    the PDB identity (GUID-age) in tcpip.sys's CodeView record
 * @param family      the builds the identity's real tcpip.sys belongs to ({@code TcpipSymbols#family}), or null
 *                    when the identity is a random one no symbols match
 * @param tcpipBase   tcpip.sys's base address
 * @param tables      why tcpip's tables were not written (no symbols, no table layout for the build), or null
 * @param endpoints   every endpoint, in the order written
 * @since 0.1
 */
public record NetTruth(String skipped, String identity, String family, long tcpipBase, String tables, List<Endpoint> endpoints) {

    /**
     * One endpoint.
     *
     * @param kind          its pool tag: TcpE, TcpL or UdpA
     * @param protocol      TCPv4, TCPv6, UDPv4 or UDPv6
     * @param localAddress  its local address as text (RFC 5952 for IPv6)
     * @param localPort     its local port
     * @param remoteAddress a connection's remote address, else null
     * @param remotePort    a connection's remote port, else -1
     * @param state         the TCP state of a connection (1, LISTENING, for a listener), -1 for UDP
     * @param pid           the owner's pid
     * @param owner         the owner's image name
     * @param eprocess      the owner's _EPROCESS
     * @param createFileTime CreateTime as written (a FILETIME)
     * @param address       the virtual address of its body (behind the pool header)
     * @param inTables      whether tcpip's tables reach it
     * @since 0.1
     */
    public record Endpoint(String kind, String protocol, String localAddress, int localPort, String remoteAddress,
            int remotePort, int state, long pid, String owner, long eprocess, long createFileTime, long address,
            boolean inTables) {
    }

    public NetTruth {
        endpoints = List.copyOf(endpoints);
    }

    /** Writes this truth as the value of a key of {@code truth.json}. */
    public void toJson(Json j) {
        j.open('{').key("skipped").value(skipped).key("identity").value(identity).key("family").value(family).key("tcpipBase").hex(tcpipBase)
                .key("tables").value(tables).key("endpoints").open('[');
        for (Endpoint e : endpoints) {
            j.open('{').key("kind").value(e.kind()).key("protocol").value(e.protocol()).key("localAddress").value(e
                    .localAddress()).key("localPort").value(e.localPort()).key("remoteAddress").value(e
                            .remoteAddress()).key("remotePort").value(e.remotePort()).key("state").value(e.state())
                    .key("pid").value(e.pid()).key("owner").value(e.owner()).key("eprocess").hex(e.eprocess())
                    .key("createFileTime").value(e.createFileTime()).key("address").hex(e.address()).key("inTables")
                    .value(e.inTables()).end('}');
        }
        j.end(']').end('}');
    }
}
