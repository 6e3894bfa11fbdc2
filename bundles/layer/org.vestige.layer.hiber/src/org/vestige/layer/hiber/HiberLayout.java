package org.vestige.layer.hiber;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.core.types.LayoutTable;

/**
 * Where one family of builds keeps the fields of the hibernation header ({@code PO_MEMORY_IMAGE}, x64) that
 * a reader needs, keyed by the header's own size ({@code LengthSelf}, a u32 at 0xc). The rows are data, in
 * {@code data/hiber-layouts.txt} of this bundle, each with its source named there (Ulf Frisk's LeechCore
 * {@code leechcore_device_hibr.c} table of offsets per build; Sylve, Marziale and Richard, "Modern Windows
 * Hibernation File Analysis", 2017, for the structures).
 *
 * @param lengthSelf         the header size that selects this row
 * @param builds             the Windows builds known to write it
 * @param pageSize           offset of PageSize (u32)
 * @param systemTime         offset of SystemTime (FILETIME)
 * @param numPagesForLoader  offset of NumPagesForLoader (u64): pages of the boot restore set
 * @param firstBootRestore   offset of FirstBootRestorePage (u64): file page of the boot restore set
 * @param firstKernelRestore offset of FirstKernelRestorePage (u64): file page of the kernel restore set
 * @param kernelPages        offset of KernelPagesProcessed (u64): pages of the kernel restore set
 * @param highestPage        offset of HighestPhysicalPage (u64)
 * @param source             the source tag of the row in the data file
 * @since 0.1
 */
public record HiberLayout(int lengthSelf, List<Integer> builds, int pageSize, int systemTime, int numPagesForLoader,
        int firstBootRestore, int firstKernelRestore, int kernelPages, int highestPage, String source) {

    /** Offset of Signature (u32) in every layout. */
    public static final int SIGNATURE = 0x0;
    /** Offset of LengthSelf (u32) in every layout. */
    public static final int LENGTH_SELF = 0xc;

    private static final String RESOURCE = "data/hiber-layouts.txt";
    private static volatile List<HiberLayout> table;

    public HiberLayout {
        builds = List.copyOf(builds);
    }

    /** @return the row whose header size is {@code lengthSelf} */
    public static Optional<HiberLayout> forLength(long lengthSelf) {
        return all().stream().filter(l -> l.lengthSelf == lengthSelf).findFirst();
    }

    /** @return the row naming {@code build} */
    public static Optional<HiberLayout> forBuild(int build) {
        return all().stream().filter(l -> l.builds.contains(build)).findFirst();
    }

    /** @return the largest offset plus size of any field this row reads: the bytes a header must have */
    public int extent() {
        return Math.max(pageSize + 4, Arrays.stream(new int[] {systemTime, numPagesForLoader, firstBootRestore,
                firstKernelRestore, kernelPages, highestPage}).max().getAsInt() + 8);
    }

    /** @return every row, in the order of the data file */
    public static List<HiberLayout> all() {
        List<HiberLayout> t = table;
        if (t == null) {
            t = parse(LayoutTable.read(HiberLayout.class, RESOURCE));
            table = t;
        }
        return t;
    }

    /** @return the builds the table names, e.g. "9200, 9600, 10240, …" */
    public static String knownBuilds() {
        return all().stream().flatMap(l -> l.builds.stream()).sorted().map(String::valueOf)
                .collect(Collectors.joining(", "));
    }

    /**
     * Parses the table: one row per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static List<HiberLayout> parse(String text) {
        List<HiberLayout> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 10)) {
            List<String> f = row.fields();
            try {
                List<Integer> builds = Arrays.stream(f.get(1).split(",")).map(Integer::valueOf).toList();
                rows.add(new HiberLayout(Integer.decode(f.get(0)), builds, Integer.decode(f.get(2)), Integer.decode(
                        f.get(3)), Integer.decode(f.get(4)), Integer.decode(f.get(5)), Integer.decode(f.get(6)),
                        Integer.decode(f.get(7)), Integer.decode(f.get(8)), f.get(9)));
            } catch (NumberFormatException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }
}
