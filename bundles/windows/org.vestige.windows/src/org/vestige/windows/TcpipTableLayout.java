package org.vestige.windows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.core.types.LayoutTable;
import org.vestige.windows.internal.BundleData;

/**
 * Where a range of builds keeps tcpip.sys's tables of endpoints (x64): the partitions of TCP connections and
 * their hash tables, and the port pools of TCP listeners and UDP endpoints. The rows are data, in
 * {@code data/tcpip-table-layouts.txt} of this bundle, each with its public source named there.
 *
 * @param from        first build of the range
 * @param to          last build of the range
 * @param partition   the size of a _PARTITION
 * @param tables      offsets of a partition's hash table pointers
 * @param tableSize   offset of RTL_DYNAMIC_HASH_TABLE.TableSize
 * @param directory   offset of RTL_DYNAMIC_HASH_TABLE.Directory
 * @param compartment offset of _INET_COMPARTMENT_SET.InetCompartment
 * @param protocol    offset of _INET_COMPARTMENT.ProtocolCompartment
 * @param pool        offset of _PROTOCOL_COMPARTMENT.PortPool
 * @param assignments offset of _INET_PORT_POOL.PortAssignments (256 pointers)
 * @param bigPool     offset of _PORT_ASSIGNMENT.InPaBigPoolBase
 * @param entrySize   the size of a _PORT_ASSIGNMENT_ENTRY
 * @param entry       offset of _PORT_ASSIGNMENT_ENTRY.Entry
 * @param source      the source tags of the row in the data file
 * @since 0.1
 */
public record TcpipTableLayout(int from, int to, int partition, int[] tables, int tableSize, int directory,
        int compartment, int protocol, int pool, int assignments, int bigPool, int entrySize, int entry,
        String source) {

    private static final String RESOURCE = "data/tcpip-table-layouts.txt";
    private static volatile List<TcpipTableLayout> table;

    /** @return the row covering {@code build} */
    public static Optional<TcpipTableLayout> forBuild(int build) {
        return all().stream().filter(l -> build >= l.from && build <= l.to).findFirst();
    }

    /** @return the ranges the table covers */
    public static String knownBuilds() {
        return all().stream().map(l -> l.from + "-" + l.to).collect(Collectors.joining(", "));
    }

    /** @return every row, in the order of the data file */
    public static List<TcpipTableLayout> all() {
        List<TcpipTableLayout> t = table;
        if (t == null) {
            t = parse(BundleData.text(RESOURCE));
            table = t;
        }
        return t;
    }

    /**
     * Parses the table: one row per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static List<TcpipTableLayout> parse(String text) {
        List<TcpipTableLayout> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 14)) {
            try {
                int[] o = new int[10];
                for (int i = 0; i < o.length; i++) {
                    o[i] = Integer.decode(row.field(i < 1 ? 2 : i + 3));
                }
                int[] tables = Arrays.stream(row.field(3).split(",")).mapToInt(Integer::decode).toArray();
                rows.add(new TcpipTableLayout(Integer.parseInt(row.field(0)), Integer.parseInt(row.field(1)), o[0],
                        tables, o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], row.field(13)));
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }
}
