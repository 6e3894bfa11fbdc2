package org.vestige.windows;

import java.time.Instant;

/**
 * One network endpoint of tcpip.sys as read from memory.
 *
 * @param kind          TCP connection, TCP listener or UDP endpoint
 * @param physical      physical address of its body, or -1 when it was reached only by a virtual address
 * @param address       virtual address of its body, or 0 when unknown
 * @param ipVersion     4 or 6 (from its _INETAF's AddressFamily)
 * @param localAddress  the local address as text (RFC 5952 for IPv6), or why it cannot be read
 * @param localPort     the local port, in host order
 * @param remoteAddress the remote address of a TCP connection, or why there is none
 * @param remotePort    the remote port of a TCP connection, or -1
 * @param state         the TCP state of a connection (LISTENING for a listener), or -1 for UDP
 * @param owner         the process that owns it, or why it cannot be named (a wild Owner pointer included)
 * @param created       CreateTime, or why it cannot be given
 * @since 0.1
 */
public record NetEndpoint(EndpointKind kind, long physical, long address, int ipVersion,
        Readout<String> localAddress, int localPort, Readout<String> remoteAddress, int remotePort, int state,
        Readout<Owner> owner, Readout<Instant> created) {

    /** TCP state of a listener. */
    public static final int LISTENING = 1;
    private static final String[] STATES = {"CLOSED", "LISTENING", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
        "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "10", "11", "TIME_WAIT", "DELETE_TCB"};

    /**
     * The process an endpoint belongs to.
     *
     * @param eprocess the _EPROCESS the Owner pointer points at
     * @param pid      its UniqueProcessId
     * @param name     its ImageFileName
     * @since 0.1
     */
    public record Owner(long eprocess, long pid, String name) {
    }

    /** @return e.g. "TCPv4", "UDPv6" */
    public String protocol() {
        return kind.protocol() + "v" + ipVersion;
    }

    /** @return the name of a TCP state, e.g. "ESTABLISHED", or its number */
    public static String stateName(int state) {
        return state >= 0 && state < STATES.length ? STATES[state] : String.valueOf(state);
    }

    /** @return whether {@code state} is a TCP state tcpip.sys uses */
    static boolean plausibleState(long state) {
        return state >= 0 && state < STATES.length && state != 10 && state != 11;
    }

    /** @return this endpoint with its virtual address known */
    public NetEndpoint at(long va) {
        return new NetEndpoint(kind, physical, va, ipVersion, localAddress, localPort, remoteAddress, remotePort,
                state, owner, created);
    }
}
