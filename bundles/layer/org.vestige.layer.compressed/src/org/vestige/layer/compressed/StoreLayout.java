package org.vestige.layer.compressed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vestige.codec.Codec;
import org.vestige.core.types.LayoutTable;

/**
 * Where one range of kernel builds keeps the parts of {@code _SMKM_STORE} that are not the same on
 * every build. The store's structures are private — not in the kernel's PDB — so their offsets are
 * facts per build, kept in {@code data/store-layouts.txt} of this bundle rather than in code.
 *
 * <p>The offsets common to every supported build are constants here: the data manager
 * ({@code _ST_DATA_MGR}) at +0x50 of the store, its PagesTree at +0, chunk metadata at +0xC0,
 * region masks at +0x328 and +0x32C.
 *
 * @param firstBuild           first kernel build the row covers
 * @param lastBuild            last build, or {@link Integer#MAX_VALUE} for every later one
 * @param regionPtrArray       offset in the store of the pointer to the array of region pointers
 * @param ownerProcess         offset in the store of the owning process (MemCompression's _EPROCESS)
 * @param compressionAlgorithm offset in the data manager of the u16 CompressionAlgorithm, or -1 when unknown
 * @param codec                the codec pages are compressed with on these builds
 * @since 0.1
 */
public record StoreLayout(int firstBuild, int lastBuild, int regionPtrArray, int ownerProcess,
        int compressionAlgorithm, Codec codec) {

    /** Offset of {@code _ST_DATA_MGR} in the store. */
    public static final int DATA_MANAGER = 0x50;
    /** Offsets in the data manager. */
    public static final int PAGES_TREE = 0x0;
    public static final int CHUNK_METADATA = 0xC0;
    public static final int SMKM_STORE = 0x320;
    public static final int REGION_SIZE_MASK = 0x328;
    public static final int REGION_INDEX_MASK = 0x32C;
    /** Offsets in the chunk metadata. */
    public static final int CHUNK_PTR_ARRAY = 0x0;
    public static final int BIT_VALUE = 0x108;
    public static final int PAGE_RECORDS_PER_CHUNK_MASK = 0x10C;
    public static final int PAGE_RECORD_SIZE = 0x110;
    public static final int CHUNK_PAGE_HEADER_SIZE = 0x118;
    /** The store manager: 32 pointers to arrays of 32 store metadata entries, then KeyToStoreTree. */
    public static final int KEY_TO_STORE_TREE = 0x1C0;
    public static final int METADATA_SIZE = 0x28;
    public static final int METADATA_OWNER = 0x18;
    /** CompressionAlgorithm value of Xpress (COMPRESSION_FORMAT_XPRESS). */
    public static final int ALGORITHM_XPRESS = 3;

    private static final String RESOURCE = "data/store-layouts.txt";
    private static volatile List<StoreLayout> table;

    /** @return the row covering {@code build}, if the build is known */
    public static Optional<StoreLayout> forBuild(int build) {
        return all().stream().filter(l -> build >= l.firstBuild && build <= l.lastBuild).findFirst();
    }

    /** @return every row of the table, in build order */
    public static List<StoreLayout> all() {
        List<StoreLayout> t = table;
        if (t == null) {
            ClassLoader loader = StoreLayout.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from bundle org.vestige.layer.compressed");
                }
                t = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(RESOURCE + " cannot be read", e);
            }
            table = t;
        }
        return t;
    }

    /**
     * Parses the table: one row per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static List<StoreLayout> parse(String text) {
        List<StoreLayout> rows = new ArrayList<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 6)) {
            List<String> f = row.fields();
            try {
                Codec codec = Codec.find(f.get(5)).orElseThrow(() -> new IllegalArgumentException("unknown codec"));
                rows.add(new StoreLayout(Integer.parseInt(f.get(0)), f.get(1).equals("*") ? Integer.MAX_VALUE
                        : Integer.parseInt(f.get(1)), Integer.decode(f.get(2)), Integer.decode(f.get(3)), f.get(4)
                                .equals("-") ? -1 : Integer.decode(f.get(4)), codec));
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return List.copyOf(rows);
    }

    /** @return the builds the table knows, e.g. "14393, 15063, 16299–18363, 19041–22631, 26100 and later" */
    public static String knownBuilds() {
        List<String> ranges = new ArrayList<>();
        for (StoreLayout l : all()) {
            ranges.add(l.lastBuild == Integer.MAX_VALUE ? l.firstBuild + " and later"
                    : l.firstBuild == l.lastBuild ? Integer.toString(l.firstBuild) : l.firstBuild + "–" + l.lastBuild);
        }
        return String.join(", ", ranges);
    }
}
