package org.vestige.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;
import org.vestige.layer.hiber.HiberLayout;

/**
 * Writes the hibernation file ({@code hiberfil.sys}, Windows 8 to 11, x64) a synthesized machine would
 * leave, from its raw physical image: the header page of the build's layout ({@link HiberLayout}'s table,
 * shared with the reader so both follow the same cited offsets), a boot restore set with the pages of the
 * first MiB and a kernel restore set with the rest, in compression sets of at most 16 pages, each compressed
 * with Xpress or Xpress-Huffman (or stored, when compressing does not make it smaller), as the format of
 * {@code org.vestige.layer.hiber.HiberFile} describes. Pages that are all zeros are left out, as Windows
 * leaves out free pages, except every {@link Settings#keepZeroPageEvery()}-th, so that the file holds zero
 * pages in use too.
 *
 * <p>Compression runs on every core in batches; the file is written in order. Deterministic: the same image
 * and settings give the same bytes.
 *
 * @since 0.1
 */
public final class HiberfilWriter {

    private static final int PAGE = 4096;
    /** Pages in a compression set: Windows' sets decode to at most 64 KiB. */
    public static final int SET_PAGES = 16;
    /** Pages below this go to the boot (loader) restore set: the first MiB. */
    private static final long BOOT_LIMIT = 0x100;
    private static final int BATCH = 512;

    /** Which codec the compression sets use. */
    public enum Codecs {
        /** Plain Xpress LZ77 for every set. */
        XPRESS,
        /** Xpress LZ77+Huffman for every set. */
        XPRESS_HUFFMAN,
        /** Alternately: even sets Xpress, odd sets Xpress-Huffman. */
        BOTH
    }

    /**
     * How to write the file.
     *
     * @param build              the Windows build whose header layout to write (a build of {@link HiberLayout})
     * @param codecs             the codecs of the compression sets
     * @param keepZeroPageEvery  of the all-zero pages, those whose page number is a multiple of this are kept
     *                           (0 keeps none)
     * @param systemTime         the FILETIME written as the header's SystemTime
     */
    public record Settings(int build, Codecs codecs, int keepZeroPageEvery, long systemTime) {

        public Settings {
            Objects.requireNonNull(codecs, "codecs");
            if (keepZeroPageEvery < 0) {
                throw new IllegalArgumentException("keepZeroPageEvery must be 0 or more: " + keepZeroPageEvery);
            }
        }

        /** @return settings for {@code build} with both codecs, every 64th zero page kept */
        public static Settings of(int build) {
            return new Settings(build, Codecs.BOTH, 64, 0x01DA_0000_0000_0000L);
        }

        public Settings withCodecs(Codecs value) {
            return new Settings(build, value, keepZeroPageEvery, systemTime);
        }
    }

    private HiberfilWriter() {
    }

    /**
     * Writes {@code hiberfil} from the raw physical image {@code image} (its length is the machine's memory).
     *
     * @return the truth: which pages the file holds and which compression set, with which codec, holds each
     * @throws IllegalArgumentException when the build has no known layout or the image is not whole pages
     */
    public static HiberfilTruth write(Path image, Path hiberfil, Settings settings) throws IOException {
        HiberLayout layout = HiberLayout.forBuild(settings.build()).orElseThrow(() -> new IllegalArgumentException(
                "no hibernation header layout for build " + settings.build() + " (known: "
                        + HiberLayout.knownBuilds() + ")"));
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(hiberfil, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < PAGE || size % PAGE != 0) {
                throw new IllegalArgumentException(image + " is " + size + " bytes: not whole 4 KiB pages");
            }
            long pages = size / PAGE;
            int[] setOf = new int[Math.toIntExact(pages)];
            Arrays.fill(setOf, -1);
            List<HiberfilTruth.Set> sets = new ArrayList<>();
            long bootStart = 1;
            Section boot = new Section(in, out, settings, setOf, sets, "boot", bootStart * PAGE);
            boot.write(0, Math.min(BOOT_LIMIT, pages));
            long kernelStart = (boot.position + PAGE - 1) / PAGE;
            Section kernel = new Section(in, out, settings, setOf, sets, "kernel", kernelStart * PAGE);
            kernel.write(Math.min(BOOT_LIMIT, pages), pages);
            long end = (kernel.position + PAGE - 1) / PAGE * PAGE;
            ByteBuffer h = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
            h.put(0, "HIBR".getBytes(StandardCharsets.US_ASCII));
            h.putInt(HiberLayout.LENGTH_SELF, layout.lengthSelf());
            h.putInt(layout.pageSize(), PAGE);
            h.putLong(layout.systemTime(), settings.systemTime());
            h.putLong(layout.numPagesForLoader(), boot.pagesWritten);
            h.putLong(layout.firstBootRestore(), boot.pagesWritten == 0 ? 0 : bootStart);
            h.putLong(layout.firstKernelRestore(), kernelStart);
            h.putLong(layout.kernelPages(), kernel.pagesWritten);
            h.putLong(layout.highestPage(), pages - 1);
            writeFully(out, h, 0);
            if (out.size() < end) {
                writeFully(out, ByteBuffer.allocate(1), end - 1);
            }
            return new HiberfilTruth(settings.build(), layout.lengthSelf(), pages - 1, boot.pagesWritten,
                    kernel.pagesWritten, bootStart, kernelStart, setOf, sets);
        }
    }

    /** One restore set being written: pages are read, grouped into sets, compressed in batches, written in order. */
    private static final class Section {
        private final FileChannel in;
        private final FileChannel out;
        private final Settings settings;
        private final int[] setOf;
        private final List<HiberfilTruth.Set> sets;
        private final String name;
        long position;
        long pagesWritten;

        Section(FileChannel in, FileChannel out, Settings settings, int[] setOf, List<HiberfilTruth.Set> sets,
                String name, long position) {
            this.in = in;
            this.out = out;
            this.settings = settings;
            this.setOf = setOf;
            this.sets = sets;
            this.name = name;
            this.position = position;
        }

        void write(long from, long to) throws IOException {
            List<long[]> batch = new ArrayList<>();
            long[] current = new long[SET_PAGES];
            int n = 0;
            ByteBuffer chunk = ByteBuffer.allocate(SET_PAGES * PAGE);
            for (long p = from; p < to; p += SET_PAGES) {
                int count = (int) Math.min(SET_PAGES, to - p);
                chunk.clear().limit(count * PAGE);
                readFully(in, chunk, p * PAGE);
                byte[] b = chunk.array();
                for (int i = 0; i < count; i++) {
                    long pfn = p + i;
                    if (isZero(b, i * PAGE) && (settings.keepZeroPageEvery() == 0
                            || pfn % settings.keepZeroPageEvery() != 0)) {
                        continue;
                    }
                    current[n++] = pfn;
                    if (n == SET_PAGES) {
                        batch.add(current);
                        current = new long[SET_PAGES];
                        n = 0;
                        if (batch.size() == BATCH) {
                            flush(batch);
                        }
                    }
                }
            }
            if (n > 0) {
                batch.add(Arrays.copyOf(current, n));
            }
            flush(batch);
        }

        private void flush(List<long[]> batch) throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            int first = sets.size();
            byte[][] encoded = new byte[batch.size()][];
            IOException[] failure = new IOException[1];
            IntStream.range(0, batch.size()).parallel().forEach(i -> {
                try {
                    encoded[i] = encode(batch.get(i), first + i);
                } catch (IOException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            for (int i = 0; i < batch.size(); i++) {
                long[] pfns = batch.get(i);
                int index = first + i;
                byte[] e = encoded[i];
                int status = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                int descriptors = status & 0xff;
                int compressed = (status >>> 8) & 0x3fffff;
                Codec codec = compressed == pfns.length * PAGE ? null
                        : (status & 0x80000000) != 0 ? Codec.XPRESS_HUFFMAN : Codec.XPRESS;
                sets.add(new HiberfilTruth.Set(index, name, position, position + 4 + descriptors * 8L, compressed,
                        codec == null ? "stored" : codec.id(), pfns.clone()));
                for (long pfn : pfns) {
                    setOf[(int) pfn] = index;
                }
                writeFully(out, ByteBuffer.wrap(e), position);
                position += e.length;
                pagesWritten += pfns.length;
            }
            batch.clear();
        }

        /** @return the set's header, descriptors and data */
        private byte[] encode(long[] pfns, int index) throws IOException {
            byte[] plain = new byte[pfns.length * PAGE];
            for (int i = 0; i < pfns.length; i++) {
                readFully(in, ByteBuffer.wrap(plain, i * PAGE, PAGE), pfns[i] * PAGE);
            }
            List<long[]> runs = new ArrayList<>();
            for (long pfn : pfns) {
                long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && last[0] + last[1] == pfn && last[1] < 16) {
                    last[1]++;
                } else {
                    runs.add(new long[] {pfn, 1});
                }
            }
            boolean huffman = switch (settings.codecs()) {
                case XPRESS -> false;
                case XPRESS_HUFFMAN -> true;
                case BOTH -> (index & 1) == 1;
            };
            Compressor c = (huffman ? Codec.XPRESS_HUFFMAN : Codec.XPRESS).compressor();
            byte[] packed = c.compress(plain);
            byte[] data = packed.length < plain.length ? packed : plain;
            int status = runs.size() | data.length << 8 | (huffman && data != plain ? 0x80000000 : 0);
            ByteBuffer b = ByteBuffer.allocate(4 + runs.size() * 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(status);
            for (long[] r : runs) {
                b.putLong(r[0] << 4 | (r[1] - 1));
            }
            b.put(data);
            return b.array();
        }
    }

    private static boolean isZero(byte[] b, int from) {
        for (int i = from; i < from + PAGE; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long start = at - b.position();
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) {
                throw new IOException("end of the image at 0x" + Long.toHexString(start + b.position()));
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long start = at - b.position();
        while (b.hasRemaining()) {
            ch.write(b, start + b.position());
        }
    }

    /** @return {@code hiberfil.truth.json}'s path beside {@code hiberfil} */
    public static Path truthFile(Path hiberfil) {
        return hiberfil.resolveSibling(hiberfil.getFileName() + ".truth.json");
    }

    /** Writes {@link #write} and the truth as JSON beside the file ({@link #truthFile}). */
    public static HiberfilTruth writeWithTruth(Path image, Path hiberfil, Settings settings) throws IOException {
        HiberfilTruth t = write(image, hiberfil, settings);
        Files.writeString(truthFile(hiberfil), t.toJson());
        return t;
    }
}
