package org.vestige.windows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.core.types.LayoutTable;
import org.vestige.windows.internal.BundleData;

/**
 * Where a range of builds keeps the fields of one kind of tcpip.sys network endpoint (x64). tcpip's public PDB
 * carries no types, so the rows are data, in {@code data/tcpip-endpoint-layouts.txt} of this bundle, each with
 * its public source named there (Volatility 2's tcpip overlays, Volatility 3's netscan symbol tables).
 *
 * @param from      first build of the range
 * @param to        last build of the range
 * @param kind      which endpoint
 * @param inetAf    offset of the InetAF pointer
 * @param family    offset of _INETAF.AddressFamily
 * @param owner     offset of the Owner pointer (_EPROCESS)
 * @param created   offset of CreateTime, or -1 when the layout publishes none
 * @param state     offset of State, or -1 (listeners, UDP)
 * @param localPort offset of the local port (big-endian)
 * @param remotePort offset of the remote port (big-endian), or -1
 * @param local     the pointer chain from the endpoint to the local address bytes
 * @param remote    the pointer chain to the remote address bytes, or null
 * @param next      offset of Next (the port pools' link), or -1
 * @param links     offset of the hash-table _LIST_ENTRY of a TCP connection, or -1
 * @param source    the source tags of the row in the data file
 * @since 0.1
 */
public record EndpointLayout(int from, int to, EndpointKind kind, int inetAf, int family, int owner, int created,
        int state, int localPort, int remotePort, int[] local, int[] remote, int next, int links, String source) {

    private static final String RESOURCE = "data/tcpip-endpoint-layouts.txt";
    private static volatile List<EndpointLayout> table;

    /** @return the bytes of an endpoint that hold every field read */
    public int size() {
        int end = Math.max(Math.max(inetAf, owner), Math.max(Math.max(local[0], next), links + 8)) + 8;
        end = Math.max(end, Math.max(created + 8, Math.max(state + 4, Math.max(localPort, remotePort) + 2)));
        return remote == null ? end : Math.max(end, remote[0] + 8);
    }

    /** @return the row covering {@code build} for {@code kind} */
    public static Optional<EndpointLayout> forBuild(int build, EndpointKind kind) {
        return all().stream().filter(l -> l.kind == kind && build >= l.from && build <= l.to).findFirst();
    }

    /** @return the ranges the table covers */
    public static String knownBuilds() {
        return all().stream().map(l -> l.from + "-" + l.to).distinct().collect(Collectors.joining(", "));
    }

    /** @return every row, in the order of the data file */
    public static List<EndpointLayout> all() {
        List<EndpointLayout> t = table;
        if (t == null) {
            t = parse(BundleData.text(RESOURCE));
            table = t;
        }
        return t;
    }

    @Override
    public String toString() {
        return kind.tag() + " " + from + "-" + to + " " + source;
    }

    /**
     * Parses the table: one row per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static List<EndpointLayout> parse(String text) {
        List<EndpointLayout> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 15)) {
            try {
                EndpointKind kind = EndpointKind.ofTag(row.field(2));
                int[] o = new int[7];
                for (int i = 0; i < o.length; i++) {
                    o[i] = offset(row.field(3 + i));
                }
                rows.add(new EndpointLayout(Integer.parseInt(row.field(0)), Integer.parseInt(row.field(1)), kind,
                        o[0], o[1], o[2], o[3], o[4], o[5], o[6], chain(row.field(10)), row.field(11).equals("-")
                                ? null : chain(row.field(11)), offset(row.field(12)), offset(row.field(13)), row
                                        .field(14)));
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }

    private static int offset(String field) {
        return field.equals("-") ? -1 : Integer.decode(field);
    }

    private static int[] chain(String field) {
        int[] c = Arrays.stream(field.split(">")).mapToInt(Integer::decode).toArray();
        if (c.length == 0) {
            throw new IllegalArgumentException("an empty pointer chain");
        }
        return c;
    }
}
