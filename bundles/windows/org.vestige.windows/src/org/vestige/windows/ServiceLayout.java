package org.vestige.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.core.types.LayoutTable;

/**
 * Where a range of builds keeps the fields of the Service Control Manager's records in {@code services.exe}
 * (x64): the {@code serH} header, {@code _SERVICE_RECORD} and {@code _SERVICE_PROCESS}. No PDB describes them,
 * so the rows are data, in {@code data/service-layouts.txt} of this bundle, each with its public source named
 * there (Volatility 2's svcscan overlays, Volatility 3's services symbol tables).
 *
 * @param from          first build of the range
 * @param to            last build of the range
 * @param headerTag     the header's four-byte tag
 * @param headerRecord  offset of the header's pointer to the newest record
 * @param recordTag     the record's own tag at +0, or null when records carry none
 * @param prev          offset of PrevEntry (pointer)
 * @param name          offset of ServiceName (pointer to UTF-16)
 * @param displayName   offset of DisplayName (pointer to UTF-16)
 * @param order         offset of Order (u32)
 * @param start         offset of Start (u32)
 * @param type          offset of Type (u32)
 * @param state         offset of State (u32)
 * @param process       offset of ServiceProcess / DriverName (pointer)
 * @param binaryPath    offset of _SERVICE_PROCESS.BinaryPath (pointer to UTF-16)
 * @param processId     offset of _SERVICE_PROCESS.ProcessId (u32)
 * @param source        the source tags of the row in the data file
 * @since 0.1
 */
public record ServiceLayout(int from, int to, String headerTag, int headerRecord, String recordTag, int prev,
        int name, int displayName, int order, int start, int type, int state, int process, int binaryPath,
        int processId, String source) {

    private static final String RESOURCE = "data/service-layouts.txt";
    private static volatile List<ServiceLayout> table;

    /** @return the bytes of a header: its tag and its record pointer */
    public int headerSize() {
        return headerRecord + 8;
    }

    /** @return the bytes of a record that hold every field read */
    public int recordSize() {
        return Math.max(Math.max(Math.max(prev, name), Math.max(displayName, process)) + 8, Math.max(Math.max(order,
                start), Math.max(type, state)) + 4);
    }

    /** @return the bytes of a service process that hold every field read */
    public int processSize() {
        return Math.max(binaryPath + 8, processId + 4);
    }

    /** @return the row covering {@code build} */
    public static Optional<ServiceLayout> forBuild(int build) {
        return all().stream().filter(l -> build >= l.from && build <= l.to).findFirst();
    }

    /** @return the ranges the table covers, e.g. "6000-9199, 9200-15062, …" */
    public static String knownBuilds() {
        return all().stream().map(l -> l.from + "-" + l.to).collect(Collectors.joining(", "));
    }

    /** @return every row, in the order of the data file */
    public static List<ServiceLayout> all() {
        List<ServiceLayout> t = table;
        if (t == null) {
            t = parse(LayoutTable.read(ServiceLayout.class, RESOURCE));
            table = t;
        }
        return t;
    }

    /**
     * Parses the table: one row per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static List<ServiceLayout> parse(String text) {
        List<ServiceLayout> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 16)) {
            try {
                int[] o = new int[11];
                for (int i = 0; i < o.length; i++) {
                    o[i] = Integer.decode(row.field(i == 0 ? 3 : i + 4));
                }
                String tag = row.field(4).equals("-") ? null : row.field(4);
                if (row.field(2).length() != 4 || (tag != null && tag.length() != 4)) {
                    throw new IllegalArgumentException("tags are four ASCII characters");
                }
                rows.add(new ServiceLayout(Integer.parseInt(row.field(0)), Integer.parseInt(row.field(1)), row
                        .field(2), o[0], tag, o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], row
                                .field(15)));
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }
}
