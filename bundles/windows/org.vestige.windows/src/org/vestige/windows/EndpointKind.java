package org.vestige.windows;

import java.nio.charset.StandardCharsets;

/**
 * The three kinds of network endpoint tcpip.sys keeps, by their pool tags.
 *
 * @since 0.1
 */
public enum EndpointKind {
    /** a TCP connection ({@code _TCP_ENDPOINT}), in any state */
    TCP_ENDPOINT("TcpE", "TCP"),
    /** a listening TCP socket ({@code _TCP_LISTENER}) */
    TCP_LISTENER("TcpL", "TCP"),
    /** a bound UDP socket ({@code _UDP_ENDPOINT}) */
    UDP_ENDPOINT("UdpA", "UDP");

    private final String tag;
    private final String protocol;

    EndpointKind(String tag, String protocol) {
        this.tag = tag;
        this.protocol = protocol;
    }

    /** @return the pool tag, e.g. "TcpE" */
    public String tag() {
        return tag;
    }

    /** @return the pool tag as a _POOL_HEADER holds it (little-endian) */
    public int poolTag() {
        byte[] b = tag.getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** @return "TCP" or "UDP" */
    public String protocol() {
        return protocol;
    }

    /** @return the kind whose pool tag is {@code tag} */
    public static EndpointKind ofTag(String tag) {
        for (EndpointKind k : values()) {
            if (k.tag.equals(tag)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no endpoint kind has the pool tag '" + tag + "'");
    }

    /** @return the kind whose little-endian pool tag is {@code poolTag} (protected bit ignored), or null */
    public static EndpointKind ofPoolTag(int poolTag) {
        for (EndpointKind k : values()) {
            if ((k.poolTag() & 0x7FFFFFFF) == (poolTag & 0x7FFFFFFF)) {
                return k;
            }
        }
        return null;
    }
}
