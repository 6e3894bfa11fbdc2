package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * A file as the cache manager holds it: an address space of file offsets whose bytes come from the views
 * its {@code _SHARED_CACHE_MAP} has mapped in the system cache, each a {@code _VACB} whose
 * {@code BaseAddress} maps {@value #VIEW} bytes of the file, read through the kernel address space (so a
 * view page in transition, paged out or compressed reads as such). Offsets no view maps are missing.
 *
 * <p>Facts (Windows Internals 7th ed., part 2, ch. 11 "Cache manager", "Cache data structures"): views are
 * 256 KB (VACB_MAPPING_GRANULARITY); the shared cache map's {@code InitialVacbs} hold the VACBs of a file of
 * up to four views (1 MB), and {@code Vacbs} points at a single-level array of VACB pointers, one per view,
 * for files up to 32 MB; larger files use a multilevel tree, not read here (their views past 32 MB are
 * missing with a warning).
 *
 * @since 0.1
 */
public final class CacheViews implements Layer {

    /** Bytes one view maps: VACB_MAPPING_GRANULARITY. */
    public static final int VIEW = 256 * 1024;
    /** Views a single-level VACB array holds (32 MB). */
    static final int SINGLE_LEVEL = 128;
    private static final int PAGE = 4096;

    private final X64Layer kernel;
    private final String name;
    private final long map;
    private final long size;
    private final long[] views;

    private CacheViews(X64Layer kernel, String name, long map, long size, long[] views) {
        this.kernel = kernel;
        this.name = name;
        this.map = map;
        this.size = size;
        this.views = views;
    }

    /**
     * Reads the views of a shared cache map.
     *
     * @param kernel   the kernel address space
     * @param map      the {@code _SHARED_CACHE_MAP}'s address
     * @param name     what the file is, for the layer's name
     * @param warnings where VACBs that do not belong to the map or point nowhere are described
     * @return the file's cached views, or why the map cannot be read
     * @throws java.util.NoSuchElementException naming the field the profile lacks
     */
    public static Readout<CacheViews> read(X64Layer kernel, Profile profile, long map, String name,
            List<String> warnings) {
        Objects.requireNonNull(kernel);
        int sectionSize = (int) FieldPath.require(profile, "_SHARED_CACHE_MAP", "SectionSize").offset();
        int initial = (int) FieldPath.require(profile, "_SHARED_CACHE_MAP", "InitialVacbs").offset();
        int array = (int) FieldPath.require(profile, "_SHARED_CACHE_MAP", "Vacbs").offset();
        int base = (int) FieldPath.require(profile, "_VACB", "BaseAddress").offset();
        int owner = (int) FieldPath.require(profile, "_VACB", "SharedCacheMap").offset();
        MemoryReader reader = new MemoryReader(kernel);
        String what = "shared cache map " + hex(map);
        if (map >= 0 || !X64Translator.canonical(map)) {
            return Readout.missing(what + " is not a kernel address");
        }
        return reader.bytes(map, Math.max(sectionSize, Math.max(initial + 32, array)) + 8, "_SHARED_CACHE_MAP")
                .flatMap(m -> {
                    long size = Bytes.u64(m, sectionSize);
                    if (size < 0 || size > 1L << 40) {
                        return Readout.missing(what + ": SectionSize " + hex(size) + " is implausible");
                    }
                    int count = (int) Math.min(SINGLE_LEVEL, (size + VIEW - 1) / VIEW);
                    if ((size + VIEW - 1) / VIEW > SINGLE_LEVEL) {
                        warnings.add(what + ": the file has more than " + SINGLE_LEVEL + " views; views past 32 MB"
                                + " are in a multilevel VACB tree, not read");
                    }
                    long[] pointers = new long[count];
                    if (count <= 4) {
                        for (int i = 0; i < count; i++) {
                            pointers[i] = Bytes.u64(m, initial + 8 * i);
                        }
                    } else {
                        long at = Bytes.u64(m, array);
                        Readout<byte[]> a = reader.bytes(at, count * 8, what + " Vacbs");
                        if (!a.isPresent()) {
                            warnings.add(a.reason());
                        } else {
                            for (int i = 0; i < count; i++) {
                                pointers[i] = Bytes.u64(a.get(), 8 * i);
                            }
                        }
                    }
                    long[] views = new long[count];
                    for (int i = 0; i < count; i++) {
                        views[i] = view(reader, pointers[i], map, base, owner, what, warnings);
                    }
                    return Readout.of(new CacheViews(kernel, name, map, size, views));
                });
    }

    /** @return the view's base address in the system cache, or 0 when the VACB is absent or not the map's */
    private static long view(MemoryReader reader, long vacb, long map, int base, int owner, String what,
            List<String> warnings) {
        if (vacb == 0) {
            return 0;
        }
        Readout<byte[]> v = reader.bytes(vacb, Math.max(base, owner) + 8, "_VACB");
        if (!v.isPresent()) {
            warnings.add(what + ": " + v.reason());
            return 0;
        }
        long at = Bytes.u64(v.get(), base);
        long mine = Bytes.u64(v.get(), owner);
        if (mine != map) {
            warnings.add(what + ": VACB " + hex(vacb) + " belongs to shared cache map " + hex(mine));
            return 0;
        }
        if (at >= 0 || !X64Translator.canonical(at)) {
            warnings.add(what + ": VACB " + hex(vacb) + " maps its view at " + hex(at) + ", not a kernel address");
            return 0;
        }
        return at;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the file's size as the cache manager has it ({@code SectionSize}) */
    @Override
    public long size() {
        return size;
    }

    /** @return the shared cache map read */
    public long sharedCacheMap() {
        return map;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int available = 0;
        while (length > 0) {
            int n = (int) Math.min(length, PAGE - (address & (PAGE - 1)));
            long index = address / VIEW;
            long view = index < views.length ? views[(int) index] : 0;
            if (view == 0) {
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                sink.accept(address, n, new PageProvenance.Missing(new MissingCause.NotMapped(), "no view of "
                        + "shared cache map " + hex(map) + " maps offset " + hex(address) + " in the system cache"));
            } else {
                long from = address;
                available += kernel.read(view + address % VIEW, buffer, offset, n, (a, l, p) -> sink.accept(from
                        + (a - view - from % VIEW), l, p));
            }
            address += n;
            offset += n;
            length -= n;
        }
        return available;
    }
}
