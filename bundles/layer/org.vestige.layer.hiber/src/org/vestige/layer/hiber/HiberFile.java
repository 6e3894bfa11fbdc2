package org.vestige.layer.hiber;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.LittleEndian;

/**
 * A Windows 8 to 11 (x64) hibernation file, opened read-only and indexed once: which compression set holds
 * each physical page the file saved.
 *
 * <p>The format (Sylve, Marziale and Richard, "Modern Windows Hibernation File Analysis", 2017; the field
 * offsets per build are in {@link HiberLayout}'s table): the header page ({@code PO_MEMORY_IMAGE}) names two
 * <em>restore sets</em>, the boot (loader) set at file page FirstBootRestorePage holding NumPagesForLoader
 * pages and the kernel set at FirstKernelRestorePage holding KernelPagesProcessed pages. Each restore set is
 * a chain of <em>compression sets</em> laid end to end, with no alignment between them. A compression set is
 * a u32 header — bits 0–7 the number of page descriptors, bits 8–29 the size of the compressed data, bit 31
 * set for Xpress LZ77+Huffman and clear for plain Xpress LZ77 — then its descriptors (u64 each on x64: bits
 * 0–3 the number of pages less one, bits 4–63 the first physical page number), then the compressed data,
 * which decodes to the descriptors' pages in order. A set whose compressed size equals its pages' size holds
 * them uncompressed. (Bit layout: LeechCore {@code leechcore_device_hibr.c},
 * {@code DeviceHibr_HibrInitialize_RestoreSet}, which follows the paper.)
 *
 * <p>The index keeps, per compression set, its header offset, compressed size, descriptor and page counts
 * and codec (16 bytes), and per run of pages its first page, set and page in the set (12 bytes); runs of
 * one descriptor that continue the run before them are merged. A machine of 64 GiB whose pages all sit in
 * sets of 16 pages needs about 1 M sets and 1 M runs: some 28 MiB, under 2 bytes per page held; memory
 * whose saved pages are scattered costs at most 12 bytes per page held, plus 1 per page for the sets. The
 * walk is a chain (each set's header is found from the one before), so it runs on one thread, reading the
 * restore sets through a 1 MiB window while sets are small (one read holds many headers) and header by
 * header past large ones (so that it does not read the data it skips).
 *
 * <p>Bad input is an {@link EvidenceException} that names the structure and its file offset: a header page
 * that is all zeros or a cleared {@code RSTR} file ("holds nothing"), an unknown header size, a restore set
 * that points past the end of the file, a compression set with no descriptors, one whose data runs past the
 * end, or whose descriptors name pages above HighestPhysicalPage, two sets holding the same page. Loops are
 * bounded by the file's size.
 *
 * @since 0.1
 */
public final class HiberFile implements Closeable {

    /** The page size of x64 hibernation files. */
    public static final int PAGE = 0x1000;
    /** Page numbers are read as 32-bit values: machines of up to 16 TiB (2^32 pages). */
    private static final long MAX_PAGES = 1L << 32;
    /** A compression set header and its most descriptors (255 × 8 bytes). */
    private static final int SET_HEADER_MAX = 4 + 255 * 8;
    /** What the index reads of a restore set at once. */
    private static final int WINDOW = 1 << 20;
    private static final int CODEC_STORED = 0;
    private static final int CODEC_XPRESS = 1;
    private static final int CODEC_HUFFMAN = 2;
    /** LZ77+Huffman (MS-XCA 2.2.4) starts every 64 KiB block of output with a 256-byte table of code lengths. */
    private static final int HUFFMAN_TABLE = 256;
    private static final int HUFFMAN_BLOCK = 0x10000;

    /** One of the two restore sets the header names, as the index found it. */
    public record RestoreSet(String name, long firstPage, long declaredPages, int firstSet, int sets, long pages) {
    }

    /** One compression set: where its data is, its size, its pages and its codec ({@code null} when stored). */
    public record CompressionSet(int index, long headerOffset, long dataOffset, int compressedSize, int pages,
            Codec codec) {

        /** @return the codec's name, or {@code stored} */
        public String codecName() {
            return codec == null ? "stored" : codec.id();
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final HiberHeader header;
    private final List<RestoreSet> restoreSets = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final PageRuns runs = new PageRuns();
    private final long indexMillis;

    private int setCount;
    private long[] headerOffsets = new long[1024];
    private int[] compressedSizes = new int[1024];
    /** pages in bits 0–11 (at most 255 × 16), codec in bits 12–13, descriptors in bits 14–21 */
    private int[] shapes = new int[1024];

    private HiberFile(Path path, FileChannel channel) throws EvidenceException {
        this.path = path;
        this.channel = channel;
        long t0 = System.nanoTime();
        try {
            this.fileSize = channel.size();
        } catch (IOException e) {
            throw new EvidenceException(path, "cannot be read: " + e.getMessage(), e);
        }
        this.header = readHeader();
        walk("boot restore set", header.firstBootPage(), header.loaderPages(), header.layout().firstBootRestore());
        walk("kernel restore set", header.firstKernelPage(), header.kernelPages(),
                header.layout().firstKernelRestore());
        int overlap = runs.sort();
        if (overlap >= 0) {
            int a = Math.min(runs.set(overlap - 1), runs.set(overlap));
            int b = Math.max(runs.set(overlap - 1), runs.set(overlap));
            throw new EvidenceException(path, "compression set " + a + " at file offset 0x"
                    + Long.toHexString(headerOffsets[a]) + " and compression set " + b + " at file offset 0x"
                    + Long.toHexString(headerOffsets[b]) + " both hold physical page 0x"
                    + Long.toHexString(runs.start(overlap)));
        }
        headerOffsets = Arrays.copyOf(headerOffsets, setCount);
        compressedSizes = Arrays.copyOf(compressedSizes, setCount);
        shapes = Arrays.copyOf(shapes, setCount);
        this.indexMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Opens and indexes a hibernation file read-only.
     *
     * @throws EvidenceException when it is not a Windows 8+ hibernation file, holds nothing, or is corrupt
     */
    public static HiberFile open(Path file) throws EvidenceException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be opened: " + e.getMessage(), e);
        }
        try {
            return new HiberFile(file, ch);
        } catch (EvidenceException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private HiberHeader readHeader() throws EvidenceException {
        if (fileSize < PAGE) {
            throw new EvidenceException(path, "only " + fileSize + " bytes: shorter than the " + PAGE
                    + "-byte header page (PO_MEMORY_IMAGE) of a hibernation file");
        }
        byte[] page = read(0, PAGE, "the header page (PO_MEMORY_IMAGE)");
        if (isZero(page, 0, PAGE)) {
            throw new EvidenceException(path, "holds nothing: its header page (PO_MEMORY_IMAGE at offset 0) is all "
                    + "zeros, as Windows 8 and later leave hiberfil.sys after resuming from it");
        }
        int signature = LittleEndian.i32(page, HiberLayout.SIGNATURE);
        String text = HiberHeader.text(signature);
        if (signature != HiberHeader.HIBR && signature != HiberHeader.WAKE && signature != HiberHeader.RSTR) {
            throw new EvidenceException(path, notHiber(text));
        }
        long lengthSelf = LittleEndian.u32(page, HiberLayout.LENGTH_SELF);
        HiberLayout layout = HiberLayout.forLength(lengthSelf).orElseThrow(() -> new EvidenceException(path,
                "the header's size (LengthSelf 0x" + Long.toHexString(lengthSelf) + " at offset 0xc) matches no known "
                        + "PO_MEMORY_IMAGE layout (known builds: " + HiberLayout.knownBuilds() + ")"));
        HiberHeader h = new HiberHeader(text, layout, LittleEndian.u32(page, layout.pageSize()),
                LittleEndian.i64(page, layout.systemTime()), LittleEndian.i64(page, layout.numPagesForLoader()),
                LittleEndian.i64(page, layout.firstBootRestore()), LittleEndian.i64(page, layout.firstKernelRestore()),
                LittleEndian.i64(page, layout.kernelPages()), LittleEndian.i64(page, layout.highestPage()));
        if (h.pageSize() != PAGE) {
            throw new EvidenceException(path, "PageSize 0x" + Long.toHexString(h.pageSize()) + " at header offset 0x"
                    + Integer.toHexString(layout.pageSize()) + ": only 0x1000 (x64) is read");
        }
        if (h.highestPage() <= 0 || h.highestPage() >= MAX_PAGES) {
            throw new EvidenceException(path, "HighestPhysicalPage 0x" + Long.toHexString(h.highestPage())
                    + " at header offset 0x" + Integer.toHexString(layout.highestPage()) + " is not a machine's");
        }
        boolean empty = h.loaderPages() == 0 && h.kernelPages() == 0;
        if (!empty && signature == HiberHeader.RSTR) {
            empty = setHeaderIsZero(h.firstBootPage()) && setHeaderIsZero(h.firstKernelPage());
        }
        if (empty) {
            throw new EvidenceException(path, "holds nothing: signature " + HiberHeader.meaning(text)
                    + "; its restore sets are empty (NumPagesForLoader " + h.loaderPages() + ", KernelPagesProcessed "
                    + h.kernelPages() + ")");
        }
        for (long[] count : new long[][] {{h.loaderPages(), layout.numPagesForLoader()},
                {h.kernelPages(), layout.kernelPages()}}) {
            if (count[0] < 0 || count[0] > h.highestPage() + 1) {
                throw new EvidenceException(path, "a restore set's page count " + count[0] + " at header offset 0x"
                        + Long.toHexString(count[1]) + " exceeds the machine's " + (h.highestPage() + 1) + " pages");
            }
        }
        return h;
    }

    static String notHiber(String signature) {
        return switch (signature) {
            case "hibr", "wake", "HORM" -> "signature '" + signature + "' at offset 0 is of a Windows 7 or earlier "
                    + "hibernation file, which this format does not read (Windows 8 to 11 only)";
            default -> "no hibernation signature at offset 0 (HIBR, WAKE or RSTR; found " + signature + ")";
        };
    }

    private boolean setHeaderIsZero(long filePage) throws EvidenceException {
        long at = filePage * PAGE;
        if (filePage <= 0 || at >= fileSize || at < 0) {
            return true;
        }
        byte[] b = read(at, (int) Math.min(64, fileSize - at), "a restore set's first compression set");
        return isZero(b, 0, b.length);
    }

    private void walk(String name, long firstPage, long pages, int field) throws EvidenceException {
        int firstSet = setCount;
        if (pages == 0) {
            restoreSets.add(new RestoreSet(name, firstPage, 0, firstSet, 0, 0));
            return;
        }
        long pos = firstPage * PAGE;
        if (firstPage <= 0 || firstPage >= fileSize / PAGE) {
            throw new EvidenceException(path, "the " + name + " begins at file page 0x" + Long.toHexString(firstPage)
                    + " (header offset 0x" + Integer.toHexString(field) + "), "
                    + (firstPage <= 0 ? "inside the header page"
                            : "past the end of the file (" + fileSize + " bytes)"));
        }
        long highest = header.highestPage();
        long remaining = pages;
        long held = 0;
        // sets lie end to end: one read of a window holds the headers of many, so the walk reads the
        // restore set sequentially instead of one small positional read per set
        // no larger than what the file holds from here: a small or damaged file costs no 1 MiB buffer
        ByteBuffer window = ByteBuffer.allocate((int) Math.min(WINDOW, fileSize - pos));
        byte[] b = window.array();
        long windowStart = -1;
        int windowLength = 0;
        long stride = 0;
        while (remaining > 0) {
            int number = setCount;
            if (pos + 4 + 8 > fileSize) {
                throw new EvidenceException(path, where(number, name, pos) + " lies past the end of the file ("
                        + fileSize + " bytes): truncated, " + remaining + " of the set's " + pages + " pages unread");
            }
            int want = (int) Math.min(SET_HEADER_MAX, fileSize - pos);
            if (windowStart < 0 || pos < windowStart || pos + want > windowStart + windowLength) {
                // sets of zero or repetitive pages are small and a window holds hundreds; past a large set
                // read only the next header, so the walk does not read the data it skips
                windowLength = stride > WINDOW / 64 ? want : (int) Math.min(WINDOW, fileSize - pos);
                window.clear().limit(windowLength);
                readFully(window, pos, where(number, name, pos));
                windowStart = pos;
            }
            int at = (int) (pos - windowStart);
            long status = LittleEndian.u32(b, at);
            int descriptors = (int) (status & 0xff);
            int compressed = (int) ((status >>> 8) & 0x3fffff);
            boolean huffman = (status & 0x80000000L) != 0;
            if (descriptors == 0 || compressed == 0) {
                throw new EvidenceException(path, where(number, name, pos) + ": header 0x"
                        + Long.toHexString(status) + " gives " + descriptors + " page descriptors and " + compressed
                        + " bytes of data ("
                        + remaining + " of the " + name + "'s " + pages + " pages are still to come)");
            }
            int headerBytes = 4 + descriptors * 8;
            if (headerBytes > want) {
                throw new EvidenceException(path, where(number, name, pos) + ": its " + descriptors
                        + " page descriptors run past the end of the file (" + fileSize + " bytes)");
            }
            int setPages = 0;
            for (int d = 0; d < descriptors; d++) {
                long desc = LittleEndian.i64(b, at + 4 + d * 8);
                int count = (int) (desc & 0xf) + 1;
                long pfn = desc >>> 4;
                if (pfn > highest || highest - pfn < count - 1) {
                    throw new EvidenceException(path, where(number, name, pos) + ": page descriptor " + d
                            + " (0x" + Long.toHexString(desc) + ") names pages 0x" + Long.toHexString(pfn) + "–0x"
                            + Long.toHexString(pfn + count - 1)
                            + ", above HighestPhysicalPage 0x" + Long.toHexString(highest));
                }
                runs.add(pfn, count, number, setPages);
                setPages += count;
            }
            long plain = (long) setPages * PAGE;
            if (compressed > plain) {
                throw new EvidenceException(path, where(number, name, pos) + ": " + compressed
                        + " bytes of data for " + setPages + " pages (" + plain
                        + " bytes): larger than the pages themselves");
            }
            long data = pos + headerBytes;
            if (data + compressed > fileSize) {
                throw new EvidenceException(path, where(number, name, pos) + ": its " + compressed
                        + " bytes of data at 0x"
                        + Long.toHexString(data) + " run past the end of the file (" + fileSize + " bytes): truncated");
            }
            int codec = compressed == plain ? CODEC_STORED : huffman ? CODEC_HUFFMAN : CODEC_XPRESS;
            addSet(pos, descriptors, compressed, setPages, codec);
            held += setPages;
            if (setPages > remaining) {
                warnings.add(where(number, name, pos) + " holds " + setPages + " pages, " + (setPages - remaining)
                        + " more than the " + name + "'s count leaves");
            }
            remaining -= setPages;
            stride = data + compressed - pos;
            pos = data + compressed;
        }
        restoreSets.add(new RestoreSet(name, firstPage, pages, firstSet, setCount - firstSet, held));
    }

    private static String where(int number, String name, long pos) {
        return "compression set " + number + " (" + name + ") at file offset 0x" + Long.toHexString(pos);
    }

    private void addSet(long headerOffset, int descriptors, int compressed, int pages, int codec) {
        if (setCount == headerOffsets.length) {
            int n = setCount * 2;
            headerOffsets = Arrays.copyOf(headerOffsets, n);
            compressedSizes = Arrays.copyOf(compressedSizes, n);
            shapes = Arrays.copyOf(shapes, n);
        }
        headerOffsets[setCount] = headerOffset;
        compressedSizes[setCount] = compressed;
        shapes[setCount] = pages | codec << 12 | descriptors << 14;
        setCount++;
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /** @return the file's size in bytes */
    public long fileSize() {
        return fileSize;
    }

    /** @return what the header page says */
    public HiberHeader header() {
        return header;
    }

    /** @return the boot and the kernel restore set, as indexed */
    public List<RestoreSet> restoreSets() {
        return List.copyOf(restoreSets);
    }

    /** @return what the index found odd but could read past */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** @return the number of compression sets */
    public int compressionSets() {
        return setCount;
    }

    /** @return compression set {@code i} */
    public CompressionSet compressionSet(int i) {
        int codec = shapes[i] >>> 12 & 3;
        int descriptors = shapes[i] >>> 14 & 0xff;
        return new CompressionSet(i, headerOffsets[i], headerOffsets[i] + 4 + descriptors * 8L, compressedSizes[i],
                shapes[i] & 0xfff,
                codec == CODEC_STORED ? null : codec == CODEC_HUFFMAN ? Codec.XPRESS_HUFFMAN : Codec.XPRESS);
    }

    /** @return the number of runs of physical pages the index keeps */
    public int runCount() {
        return runs.count();
    }

    /** @return the run holding page {@code pfn} as {set, byte offset in the set's decoded pages, pages left in
     *         the run from pfn}, or null when the file does not hold it */
    long[] locate(long pfn) {
        int r = runs.find(pfn);
        if (r < 0) {
            return null;
        }
        long into = pfn - runs.start(r);
        return new long[] {runs.set(r), (runs.pageInSet(r) + into) * PAGE, runs.pages(r) - into};
    }

    /** @return the first page number above {@code pfn} that the file holds, or -1 */
    long nextHeld(long pfn) {
        int r = runs.floor(pfn) + 1;
        return r < runs.count() ? runs.start(r) : -1;
    }

    /** @return the number of physical pages the file holds */
    public long pagesHeld() {
        long n = 0;
        for (int i = 0; i < runs.count(); i++) {
            n += runs.pages(i);
        }
        return n;
    }

    /** @return the bytes the index keeps: 12 per run, 16 per compression set */
    public long indexBytes() {
        return runs.bytes() + setCount * 16L;
    }

    /** @return how long opening took to read the header and index the sets, in milliseconds */
    public long indexMillis() {
        return indexMillis;
    }

    /**
     * Reads and decodes compression set {@code i} into a new array of its pages.
     *
     * @throws IOException when the file cannot be read
     * @throws CodecException when the data does not decode to exactly the set's pages
     */
    public byte[] decompress(int i) throws IOException, CodecException {
        CompressionSet s = compressionSet(i);
        byte[] in = new byte[s.compressedSize()];
        ByteBuffer bb = ByteBuffer.wrap(in);
        long at = s.dataOffset();
        while (bb.hasRemaining()) {
            int n = channel.read(bb, at + bb.position());
            if (n < 0) {
                throw new IOException("end of file at 0x" + Long.toHexString(at + bb.position()));
            }
        }
        if (s.codec() == null) {
            return in;
        }
        long tables = HUFFMAN_TABLE * ((s.pages() * (long) PAGE + HUFFMAN_BLOCK - 1) / HUFFMAN_BLOCK);
        if ((shapes[i] >>> 12 & 3) == CODEC_HUFFMAN && s.compressedSize() < tables) {
            // refused before the pages are allocated: a damaged header can claim 4080 pages for a few bytes
            throw new CodecException(s.codec().id(), 0, 0, s.compressedSize() + " bytes cannot hold the " + tables
                    + " bytes of Huffman tables " + s.pages() + " pages need (256 bytes per 64 KiB of output)");
        }
        byte[] out = new byte[s.pages() * PAGE];
        s.codec().decompressor().decompressFully(in, 0, in.length, out, 0, out.length);
        return out;
    }

    /** @return the properties {@code evidence.info} shows, in display order */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("format", "Windows hibernation file (Windows 8 to 11, x64)");
        p.put("file", path + " (" + fileSize + " bytes, read-only)");
        p.put("signature", header.signatureMeaning());
        HiberLayout l = header.layout();
        p.put("header layout", "PO_MEMORY_IMAGE of 0x" + Integer.toHexString(l.lengthSelf()) + " bytes (builds "
                + l.builds().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + "; source "
                + l.source() + ")");
        p.put("system time", filetime(header.systemTime()));
        p.put("highest physical page", "0x" + Long.toHexString(header.highestPage()) + " ("
                + ((header.highestPage() + 1) * PAGE >> 20) + " MiB of physical address space)");
        for (RestoreSet r : restoreSets) {
            p.put(r.name(), r.declaredPages() + " pages from file page 0x" + Long.toHexString(r.firstPage()) + " in "
                    + r.sets() + " compression sets" + (r.pages() == r.declaredPages() ? "" : " (" + r.pages()
                            + " pages found)"));
        }
        int[] byCodec = new int[3];
        for (int i = 0; i < setCount; i++) {
            byCodec[shapes[i] >>> 12 & 3]++;
        }
        p.put("compression sets", setCount + ": " + byCodec[CODEC_XPRESS] + " Xpress, " + byCodec[CODEC_HUFFMAN]
                + " Xpress-Huffman, " + byCodec[CODEC_STORED] + " stored");
        long held = pagesHeld();
        p.put("pages held", held + " (" + (held * PAGE >> 20) + " MiB); the pages Windows did not save (free "
                + "pages) read as missing, not captured");
        p.put("index", runs.count() + " runs and " + setCount + " sets, " + (indexBytes() >> 10) + " KiB, built in "
                + indexMillis + " ms");
        p.put("processor state", "not read: the DTB is found by scanning, as for a raw image");
        if (!warnings.isEmpty()) {
            p.put("warnings", String.join("; ", warnings.subList(0, Math.min(8, warnings.size())))
                    + (warnings.size() > 8 ? "; …" : ""));
        }
        return p;
    }

    private static String filetime(long ft) {
        if (ft <= 0) {
            return "0x" + Long.toHexString(ft);
        }
        long millis = ft / 10_000 - 11_644_473_600_000L;
        return java.time.Instant.ofEpochMilli(millis) + " (FILETIME 0x" + Long.toHexString(ft) + ")";
    }

    private byte[] read(long at, int length, String what) throws EvidenceException {
        ByteBuffer b = ByteBuffer.allocate(length);
        readFully(b, at, what);
        return b.array();
    }

    private void readFully(ByteBuffer b, long at, String what) throws EvidenceException {
        try {
            long start = at - b.position();
            while (b.hasRemaining()) {
                int n = channel.read(b, start + b.position());
                if (n < 0) {
                    throw new EvidenceException(path, what + " at offset 0x" + Long.toHexString(at)
                            + " runs past the end of the file");
                }
            }
        } catch (IOException e) {
            throw new EvidenceException(path, what + " at offset 0x" + Long.toHexString(at) + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
