package org.vestige.layer.crashdump.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.DumpLayer;

/**
 * The physical memory of a bitmap crash dump: bit {@code n} of the bitmap says whether physical page
 * {@code n} is in the file, and present pages are stored one after another, in page order, from the
 * first page offset. The file offset of a page is therefore the number of set bits before it; a rank
 * index (set bits before each 64-bit word) makes that O(1) and costs as much memory as the bitmap.
 */
public final class BitmapLayer implements DumpLayer {

    private static final int PAGE = 4096;
    static final String ABSENT = "page not in dump (bitmap)";

    private final String name;
    private final DumpFile file;
    private final long[] words;
    private final long[] rank;
    private final long pages;
    private final long firstPageOffset;
    private final long presentPages;

    /**
     * @param words           the bitmap as little-endian 64-bit words (bit n of the dump's bitmap is bit n % 64 of word n / 64)
     * @param pages           the number of pages the bitmap describes
     * @param firstPageOffset file offset of the first present page
     */
    public BitmapLayer(String name, DumpFile file, long[] words, long pages, long firstPageOffset) {
        this.name = name;
        this.file = file;
        this.pages = pages;
        this.firstPageOffset = firstPageOffset;
        this.words = words;
        int lastBits = (int) (pages & 63);
        if (lastBits != 0 && words.length > 0) {
            // bits beyond the last described page are padding, not pages
            words[words.length - 1] &= (1L << lastBits) - 1;
        }
        this.rank = new long[words.length + 1];
        long count = 0;
        for (int w = 0; w < words.length; w++) {
            rank[w] = count;
            count += Long.bitCount(words[w]);
        }
        rank[words.length] = count;
        this.presentPages = count;
    }

    /** @return the number of pages whose bit is set */
    public long presentPages() {
        return presentPages;
    }

    /** @return whether physical page {@code pfn} is in the dump */
    public boolean isPresent(long pfn) {
        return pfn >= 0 && pfn < pages && (words[(int) (pfn >>> 6)] & (1L << (pfn & 63))) != 0;
    }

    /** @return the file offset of present page {@code pfn} */
    public long fileOffsetOf(long pfn) {
        int w = (int) (pfn >>> 6);
        long before = rank[w] + Long.bitCount(words[w] & ((1L << (pfn & 63)) - 1));
        return firstPageOffset + before * PAGE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return pages * PAGE;
    }

    @Override
    public AddressSpace addressSpace() {
        return AddressSpace.PHYSICAL;
    }

    @Override
    public Path file() {
        return file.path();
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int available = 0;
        long addr = address;
        int pos = offset;
        int remaining = length;
        while (remaining > 0) {
            long pfn = addr >>> 12;
            int step;
            if (addr < 0 || pfn >= pages) {
                step = remaining;
                Arrays.fill(buffer, pos, pos + step, (byte) 0);
                sink.accept(addr, step, new PageProvenance.Missing(new MissingCause.OutsideImage(),
                        "beyond the highest physical page the dump's bitmap describes (0x%x pages)".formatted(pages)));
            } else {
                long limit = Math.min(pages, ((addr + remaining - 1) >>> 12) + 1);
                boolean present = isPresent(pfn);
                long runEnd = present ? nextClear(pfn, limit) : nextSet(pfn, limit);
                long bytes = runEnd * PAGE - addr;
                step = (int) Math.min(remaining, bytes);
                if (present) {
                    long fileOffset = fileOffsetOf(pfn) + (addr & (PAGE - 1));
                    available += file.copyTo(addr, fileOffset, buffer, pos, step, sink);
                } else {
                    Arrays.fill(buffer, pos, pos + step, (byte) 0);
                    sink.accept(addr, step, new PageProvenance.Missing(new MissingCause.NotCaptured(), ABSENT));
                }
            }
            addr += step;
            pos += step;
            remaining -= step;
        }
        return available;
    }

    @Override
    public PageProvenance provenance(long address) {
        long pfn = address >>> 12;
        if (address >= 0 && isPresent(pfn)) {
            return file.provenanceOf(fileOffsetOf(pfn) + (address & (PAGE - 1)));
        }
        if (address >= 0 && pfn < pages) {
            return new PageProvenance.Missing(new MissingCause.NotCaptured(), ABSENT);
        }
        return new PageProvenance.Missing(new MissingCause.OutsideImage(),
                "beyond the highest physical page the dump's bitmap describes (0x%x pages)".formatted(pages));
    }

    /** First page at or after {@code from} (below {@code limit}) whose bit is clear, else {@code limit}. */
    private long nextClear(long from, long limit) {
        long p = from;
        while (p < limit) {
            int w = (int) (p >>> 6);
            long inverted = ~words[w] >>> (p & 63);
            if (inverted != 0) {
                return Math.min(limit, p + Long.numberOfTrailingZeros(inverted));
            }
            p = (long) (w + 1) << 6;
        }
        return limit;
    }

    /** First page at or after {@code from} (below {@code limit}) whose bit is set, else {@code limit}. */
    private long nextSet(long from, long limit) {
        long p = from;
        while (p < limit) {
            int w = (int) (p >>> 6);
            long bits = words[w] >>> (p & 63);
            if (bits != 0) {
                return Math.min(limit, p + Long.numberOfTrailingZeros(bits));
            }
            p = (long) (w + 1) << 6;
        }
        return limit;
    }

    @Override
    public String toString() {
        return name;
    }
}
