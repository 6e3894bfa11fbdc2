package org.vestige.layer.hiber;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.vestige.codec.CodecException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * The physical memory a hibernation file saved: each run of pages is read from its compression set, which is
 * decoded when one of its pages is first read and kept in a cache bounded by bytes (least recently used
 * first out). Pages the file does not hold are missing as {@link MissingCause.NotCaptured} (Windows saves
 * only the pages in use); addresses above HighestPhysicalPage are {@link MissingCause.OutsideImage}; a set
 * that cannot be read or decoded gives {@link MissingCause.Unreadable} naming the set and its offset.
 *
 * <p>Each available run's provenance is {@code Evidence("hiberfil.sys compression set N at 0xX (codec)",
 * offset in the set's decoded pages)}. Safe for concurrent reads: two threads that miss on one set both
 * decode it, and the cache keeps one.
 *
 * <p>Not a {@code SegmentedLayer}: its runs live in {@link HiberFile}'s compact index (12 bytes a run rather
 * than a segment table's 28), which a large machine's scattered pages need.
 *
 * @since 0.1
 */
public final class HiberLayer implements Layer {

    /** The decoded sets kept: 32 MiB, some 512 sets of 16 pages. */
    static final long CACHE_BYTES = 32L << 20;
    private static final int PAGE = HiberFile.PAGE;

    private final HiberFile file;
    private final long size;
    private final String name;
    private final String fileName;
    private final PageProvenance.Missing notSaved;
    private final PageProvenance.Missing beyond;
    private final Map<Integer, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cached;

    public HiberLayer(HiberFile file) {
        this.file = file;
        this.size = (file.header().highestPage() + 1) * PAGE;
        this.fileName = file.path().getFileName().toString();
        this.name = "physical (hibernation file: " + fileName + ")";
        this.notSaved = new PageProvenance.Missing(new MissingCause.NotCaptured(), "not in the hibernation file "
                + fileName + ": Windows saves only the pages in use, and left this one out (a free page)");
        this.beyond = new PageProvenance.Missing(new MissingCause.OutsideImage(), "beyond the machine's memory: "
                + fileName + " gives HighestPhysicalPage 0x" + Long.toHexString(file.header().highestPage()));
    }

    /** @return the indexed file */
    public HiberFile file() {
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int available = 0;
        long a = address;
        int pos = offset;
        int remaining = length;
        while (remaining > 0) {
            int step;
            if (Long.compareUnsigned(a, size) >= 0) {
                step = remaining;
                Arrays.fill(buffer, pos, pos + step, (byte) 0);
                sink.accept(a, step, beyond);
            } else {
                long pfn = a / PAGE;
                int within = (int) (a % PAGE);
                long[] at = file.locate(pfn);
                if (at == null) {
                    long next = file.nextHeld(pfn);
                    long stop = next < 0 ? size : next * PAGE;
                    step = (int) Math.min(remaining, stop - a);
                    Arrays.fill(buffer, pos, pos + step, (byte) 0);
                    sink.accept(a, step, notSaved);
                } else {
                    step = (int) Math.min(remaining, at[2] * PAGE - within);
                    available += readSet((int) at[0], a, at[1] + within, buffer, pos, step, sink);
                }
            }
            a += step;
            pos += step;
            remaining -= step;
        }
        return available;
    }

    private int readSet(int set, long address, long offset, byte[] buffer, int position, int length,
            ProvenanceSink sink) {
        byte[] pages;
        try {
            pages = decoded(set);
        } catch (IOException | CodecException e) {
            Arrays.fill(buffer, position, position + length, (byte) 0);
            HiberFile.CompressionSet s = file.compressionSet(set);
            sink.accept(address, length, new PageProvenance.Missing(new MissingCause.Unreadable(), "compression set "
                    + set + " of " + fileName + " at file offset 0x" + Long.toHexString(s.headerOffset()) + " ("
                    + s.codecName() + ", " + s.compressedSize() + " bytes for " + s.pages() + " pages) "
                    + (e instanceof IOException ? "cannot be read: " : "does not decode: ") + e.getMessage()));
            return 0;
        }
        System.arraycopy(pages, (int) offset, buffer, position, length);
        if (sink != ProvenanceSink.IGNORE) {
            sink.accept(address, length, provenance(set, offset));
        }
        return length;
    }

    @Override
    public PageProvenance provenance(long address) {
        if (Long.compareUnsigned(address, size) >= 0) {
            return beyond;
        }
        long[] at = file.locate(address / PAGE);
        return at == null ? notSaved : provenance((int) at[0], at[1] + address % PAGE);
    }

    private PageProvenance provenance(int set, long offset) {
        HiberFile.CompressionSet s = file.compressionSet(set);
        return new PageProvenance.Evidence(fileName + " compression set " + set + " at 0x"
                + Long.toHexString(s.headerOffset()) + " (" + s.codecName() + ")", offset);
    }

    private byte[] decoded(int set) throws IOException, CodecException {
        synchronized (cache) {
            byte[] hit = cache.get(set);
            if (hit != null) {
                return hit;
            }
        }
        byte[] pages = file.decompress(set);
        synchronized (cache) {
            if (cache.putIfAbsent(set, pages) == null) {
                cached += pages.length;
                var it = cache.entrySet().iterator();
                while (cached > CACHE_BYTES && it.hasNext()) {
                    var e = it.next();
                    if (e.getKey() != set) {
                        cached -= e.getValue().length;
                        it.remove();
                    }
                }
            }
        }
        return pages;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // read-only file: nothing is lost
        }
    }
}
