package org.vestige.layer.pagefile;

import java.util.Arrays;
import java.util.List;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;

/**
 * A paging file as a backing store: pagefile.sys and swapfile.sys have no header, page N of the
 * file is at N × 4096, and a software PTE's PageFileHigh is that N. Pages past the end of the file
 * are reported missing with the reason (a file smaller than the kernel's, or taken from another
 * machine), never read as zeros.
 *
 * @since 0.1
 */
public final class PagefileStore implements BackingStore {

    public static final int PAGE = 4096;

    private final int slot;
    private final String name;
    private final Layer file;
    private final List<String> problems;

    /**
     * @param slot the kernel's page-file number this file serves (0..15)
     * @param name the file's name for provenance, e.g. {@code pagefile.sys}
     * @param file its bytes
     */
    public PagefileStore(int slot, String name, Layer file) {
        this(slot, name, file, List.of());
    }

    /**
     * @param problems what does not fit the kernel's record of this paging file (size, name), for the analyst
     */
    public PagefileStore(int slot, String name, Layer file, List<String> problems) {
        if (slot < 0 || slot > 15) {
            throw new IllegalArgumentException("page-file number " + slot + " is outside 0..15");
        }
        this.slot = slot;
        this.name = name;
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    @Override
    public List<String> problems() {
        return problems;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int slot() {
        return slot;
    }

    /** @return the size of the file in bytes */
    @Override
    public long size() {
        return file.size();
    }

    @Override
    public PageProvenance locate(long pageOffset) {
        if (pageOffset < 0 || pageOffset % PAGE != 0 || pageOffset + PAGE > file.size()) {
            return readPage(pageOffset, new byte[PAGE], 0);
        }
        return new PageProvenance.Pagefile(slot, pageOffset, name);
    }

    @Override
    public PageProvenance readPage(long pageOffset, byte[] buffer, int offset) {
        if (pageOffset < 0 || pageOffset % PAGE != 0) {
            Arrays.fill(buffer, offset, offset + PAGE, (byte) 0);
            return new PageProvenance.Missing(new MissingCause.Unreadable(), "invalid offset 0x" + Long.toHexString(pageOffset) + " in " + name);
        }
        if (pageOffset + PAGE > file.size()) {
            Arrays.fill(buffer, offset, offset + PAGE, (byte) 0);
            return new PageProvenance.Missing(new MissingCause.OutsideImage(), "paged out to " + name + " (slot "
                    + slot + ") at offset 0x" + Long.toHexString(pageOffset) + ", beyond the end of the supplied file ("
                    + file.size() + " bytes): it is smaller than the kernel's paging file, or belongs to another image");
        }
        boolean[] missing = {false};
        String[] why = {null};
        file.read(pageOffset, buffer, offset, PAGE, (a, l, p) -> {
            if (!p.isAvailable()) {
                missing[0] = true;
                why[0] = p instanceof PageProvenance.Missing m ? m.reason() : p.kind();
            }
        });
        if (missing[0]) {
            return new PageProvenance.Missing(new MissingCause.Unreadable(), "paged out to " + name + " (slot "
                    + slot + ") at offset 0x" + Long.toHexString(pageOffset) + ", which cannot be read: " + why[0]);
        }
        return new PageProvenance.Pagefile(slot, pageOffset, name);
    }

    @Override
    public String toString() {
        return name + " (page-file number " + slot + ", " + file.size() + " bytes)";
    }
}
