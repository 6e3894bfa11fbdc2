package org.vestige.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vestige.core.types.LayoutTable;
import org.vestige.windows.internal.BundleData;

/**
 * The public symbols of one real tcpip.sys build that its tables are read from, matched by the PDB identity
 * in the module's CodeView record: the RVAs of PartitionTable, PartitionCount, TcpCompartmentSet and
 * UdpCompartmentSet. The rows are data, in {@code data/tcpip-symbols.txt} of this bundle, derived from the
 * BSD-3-licensed Volatility 3 symbol tables of JPCERTCC/Windows-Symbol-Tables (attribution kept there).
 *
 * @param identity          GUID-age, upper-case hexadecimal (as symbol servers name it)
 * @param family            the builds the identity is known to belong to ("17763", "20348", "pre-17763")
 * @param partitionTable    RVA of PartitionTable (a pointer to the partitions)
 * @param partitionCount    RVA of PartitionCount (u32)
 * @param tcpCompartmentSet RVA of TcpCompartmentSet
 * @param udpCompartmentSet RVA of UdpCompartmentSet
 * @since 0.1
 */
public record TcpipSymbols(String identity, String family, long partitionTable, long partitionCount,
        long tcpCompartmentSet, long udpCompartmentSet) {

    private static final String RESOURCE = "data/tcpip-symbols.txt";
    private static volatile List<TcpipSymbols> table;

    /** @return the symbols of the tcpip.pdb identified by {@code guid} and {@code age} */
    public static Optional<TcpipSymbols> forIdentity(String guid, int age) {
        String key = guid.replace("-", "").toUpperCase(Locale.ROOT) + "-" + age;
        return all().stream().filter(s -> s.identity.equals(key)).findFirst();
    }

    /** @return every identity of {@code family}, in the order of the data file */
    public static List<TcpipSymbols> ofFamily(String family) {
        return all().stream().filter(s -> s.family.equals(family)).toList();
    }

    /** @return the GUID part of the identity */
    public String guid() {
        return identity.substring(0, identity.indexOf('-'));
    }

    /** @return the age part of the identity */
    public int age() {
        return Integer.parseInt(identity.substring(identity.indexOf('-') + 1));
    }

    /** @return every row, in the order of the data file */
    public static List<TcpipSymbols> all() {
        List<TcpipSymbols> t = table;
        if (t == null) {
            t = parse(BundleData.text(RESOURCE));
            table = t;
        }
        return t;
    }

    static List<TcpipSymbols> parse(String text) {
        List<TcpipSymbols> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 6)) {
            try {
                rows.add(new TcpipSymbols(row.field(0), row.field(1), Long.decode(row.field(2)), Long.decode(row
                        .field(3)), Long.decode(row.field(4)), Long.decode(row.field(5))));
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }
}
